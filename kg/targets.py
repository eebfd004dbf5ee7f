"""Quantitative targets: 培养乡村工匠200名, 建设保障性租赁住房6万套以上, 比例达到87%以上."""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Units that make a number a quantity (longest first where one is a prefix of another).
UNITS = sorted("""人次 场次 户次 家次 个百分点 百分点 平方公里 平方米 立方米 公里 千米 米 万元 亿元 元 人 名 次 套 所 个
个工作日 工作日 家 户 项 座 张 台 辆 艘 架 栋 条 处 亩 公顷 吨 千克 公斤 倍 床 间 批 支 期 班 种 件 篇 本 册 域 园 校
村 镇 县 节 天 小时 岁 例 株 棵 头 千瓦 兆瓦 千瓦时 标准箱 平方千米 % ％ ‰""".split(),
               key=len, reverse=True)
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000,
               "千万": 10_000_000, "亿": 100_000_000}
#: Words around a number that state how it compares: (word, comparator).
BEFORE = {"不少于": ">=", "不低于": ">=", "不得少于": ">=", "不得低于": ">=", "不小于": ">=", "至少": ">=",
          "不超过": "<=", "不高于": "<=", "不得超过": "<=", "不得高于": "<=", "不大于": "<=", "控制在": "<=",
          "超过": ">", "约": "~", "大约": "~", "达到": "=", "达": "=", "保持在": "=",
          "压缩至": "<=", "压缩到": "<=", "压减至": "<=", "降至": "<=", "降低至": "<=", "降低到": "<=",
          "缩短至": "<=", "缩短到": "<=", "提高到": ">=", "提高至": ">=", "提升至": ">=", "提升到": ">=",
          "增加到": ">=", "增加至": ">=", "增长到": ">="}
AFTER = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}
#: Between the two ends of a range: 16—24岁, 16-24岁, 16至24岁, 16～24岁, 60%—70%.
RANGE_DASH = "—–－\\-～~至到"
#: ``零`` + one of these is a target of zero: 重特大事故零发生, 能耗零增长, 安全生产零死亡.
ZERO_WORDS = ("增长", "发生", "死亡", "伤亡", "事故", "排放", "扩散", "突破", "投诉", "上访", "拖欠", "容忍")
#: Words that open a target clause and name no indicator: 确保…, 力争…, 实现….
LEAD_VERBS = ("力争实现", "确保实现", "努力实现", "争取实现", "确保", "力争", "努力", "争取", "实现", "做到")
#: A horizon before a target: 到2020年， / 2025年底前 / 力争到2025年 / 2023年，.
HORIZON = re.compile(r"(?:(?:力争|争取|确保)?(?:到|至|在)?)(?P<year>(?:19|20)\d{2})年(?:底|末)?(?:前|以前)?[，,]?")
# Words between the indicator and the number that belong to neither.
_LINK = re.compile(r"(?:比例|比重|占比|覆盖率|率)?(?:%s)$" % "|".join(sorted(BEFORE, key=len, reverse=True)))
# A number is taken whole (an atomic group): a unit, multiplier or dash never starts with a digit,
# comma or point, so a shorter part of the number can never match where the whole did not, and the
# scan need not try each (2023年 alone cost four tries of every unit).
_NUM = r"(?>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
# The units led by a lookahead for their first characters: after most numbers (2023年, 12月) no unit
# starts, and one test replaces trying eighty units in turn (same matches).
_UNIT = "(?=[%s])(?:%s)" % (re.escape("".join(sorted({u[0] for u in UNITS}))), "|".join(map(re.escape, UNITS)))

#: Every quantity starts with a digit or a comparator word: looking ahead for one lets the scan skip
#: the other characters at once (twice as fast over a notice, same matches).
_STARTS = "".join(sorted({w[0] for w in BEFORE} | set("0123456789")))
_QUANTITY = re.compile(
    "(?=[%s])" % re.escape(_STARTS) +
    r"(?:(?P<lo>%s)(?P<lomult>%s)?(?P<lounit>%s)?\s*[%s]\s*)?"
    r"(?P<before>%s)?(?P<num>%s)(?P<mult>%s)?(?P<unit>%s)(?P<after>%s)?"
    % (_NUM, _MULT, _UNIT, RANGE_DASH, "|".join(sorted(BEFORE, key=len, reverse=True)), _NUM, _MULT, _UNIT,
       "|".join(sorted(AFTER, key=len, reverse=True))))
_ZERO = re.compile(r"零(?P<what>%s)" % "|".join(ZERO_WORDS))
_NOT_AFTER = re.compile(r"^(?:年|月|日|号|届|周年|批次|部门|个月|多)")
#: The numbering an item starts with: （一） 1. 2、 （3） ① 第六条 — not part of an indicator.
_ITEM_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]"
                          r"|\d{1,3}(?:[.．、](?!\d)|﹒)|[①-⑳]|第[一二三四五六七八九十百\d]+条)\s*")
_LEAD = re.compile("^(?:%s)" % "|".join(LEAD_VERBS))


@dataclass
class Quantity:
    start: int
    end: int
    indicator: str
    indicator_start: int
    value: float | int | None
    unit: str
    comparator: str
    #: both ends of a range (16—24岁 → 16, 24); ``value`` is None then
    low: float | int | None = None
    high: float | int | None = None
    #: a year the target's own clause names first (2020年初步建成300个 → 2020)
    horizon: str | None = None


def _number(num: str, mult: str | None) -> float | int:
    value = float(re.sub(r"[,，]", "", num)) * MULTIPLIERS.get(mult or "", 1)  # 1,200人
    return int(value) if value.is_integer() else value


def clean_indicator(raw: str) -> tuple[str, str | None]:
    """(indicator, horizon year): without the item number, a leading horizon or an opening verb.

    ``（一）知识产权保护方面`` → ``知识产权保护方面``; ``2020年初步建成`` → (``初步建成``, ``2020``).
    """
    text = _ITEM_NUMBER.sub("", raw, count=1)
    year = None
    m = HORIZON.match(text)
    if m:
        year, text = m.group("year"), text[m.end():]
    text = _LEAD.sub("", text)
    return _LINK.sub("", text).strip(), year


#: The indicator of an item count printed beside a heading: ``二、坚定不移推进项目建设（共3项）``.
_COUNT_OF_ITEMS = re.compile(r"[共计合]{1,2}")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number-with-unit in text[start:end] with its indicator (what is counted)."""
    end = len(text) if end is None else end
    found = []
    for m in _QUANTITY.finditer(text, start, end):
        first = m.start("lo") if m.group("lo") else m.start("num")
        if first > 0 and (text[first - 1].isdigit() or text[first - 1] in "第〔[.（"):
            continue
        if _NOT_AFTER.match(text[m.end("unit"):m.end("unit") + 2]) and not m.group("after"):
            continue
        if _inside_title(text, start, m.start()):
            continue
        low = high = None
        if m.group("lo") and not m.group("before") and m.group("lounit") in (None, m.group("unit")):
            low, high = _number(m.group("lo"), m.group("lomult") or m.group("mult")), \
                _number(m.group("num"), m.group("mult"))
            if not low < high:  # 2-1次: no range
                low = high = None
        clause_start = _clause_start(text, m.start(), start)
        indicator, horizon = clean_indicator(text[clause_start:m.start()])
        if not indicator or indicator.isdigit() or _COUNT_OF_ITEMS.fullmatch(indicator):
            continue  # （共3项）: how many items a part has, not a target
        unit = "%" if m.group("unit") == "％" else m.group("unit")
        if low is not None:
            found.append(Quantity(m.start(), m.end(), indicator, clause_start, None, unit, "between", low, high,
                                  horizon))
            continue
        comparator = AFTER.get(m.group("after") or "") or BEFORE.get(m.group("before") or "") or "="
        found.append(Quantity(m.start(), m.end(), indicator, clause_start,
                              _number(m.group("num"), m.group("mult")), unit, comparator, horizon=horizon))
    for m in _ZERO.finditer(text, start, end):  # 重特大事故零发生 → 重特大事故发生 = 0
        if _inside_title(text, start, m.start()):
            continue
        clause_start = _clause_start(text, m.start(), start)
        indicator, horizon = clean_indicator(text[clause_start:m.start()])
        if indicator and not indicator.endswith(m.group("what")):
            indicator += m.group("what")
        if indicator:
            found.append(Quantity(m.start(), m.end(), indicator, clause_start, 0, "", "=", horizon=horizon))
    found.sort(key=lambda q: q.start)
    # 60岁以上农村老年人健康体检率达到80%: a number qualifying what the next one in its clause counts
    return [q for q, nxt in zip(found, found[1:] + [None])
            if nxt is None or nxt.start <= q.end or not _qualifies(text[q.end:nxt.start])]


def _qualifies(between: str) -> bool:
    """Whether the text between two numbers of one clause makes the first a qualifier of the second
    (…500万元及以下的小微企业…不超过1%) rather than a listed item (建设50所高水平高等职业学校和150个…)."""
    if any(c in "，。；：、,;:\n（）()" for c in between):
        return False
    return between.startswith("的") or not any(c in "和及与" for c in between)


def _inside_title(text: str, floor: int, pos: int) -> bool:
    return text.rfind("《", floor, pos) > text.rfind("》", floor, pos)


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` starts (after the last ，、；。 outside brackets)."""
    depth = 0
    i = pos - 1
    while i >= floor:
        ch = text[i]
        if ch == "）":
            depth += 1
        elif ch == "（":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and ch in "，。；：、,;:\n":
            return i + 1
        i -= 1
    return floor


_PERIOD = re.compile(r"(?:^|到|至|截至)(?P<year>(?:19|20)\d{2})年(?:底|末)?(?:前)?[，,]")
#: A horizon anywhere before a target in its paragraph: 到2020年， / 2025年底前 / 力争到2025年.
_HORIZON_IN = re.compile(r"(?:(?:到|至)(?P<to>(?:19|20)\d{2})年(?:底|末)?(?:前)?"
                         r"|(?P<end>(?:19|20)\d{2})年(?:底|末)前|(?P<lead>(?:19|20)\d{2})年[，,])")
_SENTENCE_END = "。；;！？\n"


def period_of(paragraph: str) -> str | None:
    """The year a paragraph sets its targets for: ``2023年，…`` / ``到2025年，…`` → 2023 / 2025."""
    m = _PERIOD.search(paragraph[:40])
    return m.group("year") if m else None


def horizon_before(text: str, pos: int, floor: int = 0) -> str | None:
    """The year the nearest horizon before ``pos`` in its sentence sets (到2020年，…达到95% → 2020)."""
    sentence_start = max(text.rfind(c, floor, pos) for c in _SENTENCE_END) + 1
    sentence_start = max(sentence_start, floor)
    last = None
    for m in _HORIZON_IN.finditer(text, sentence_start, pos):
        last = m
    if last is None:
        return None
    return last.group("to") or last.group("end") or last.group("lead")
