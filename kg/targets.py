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
BEFORE = {"不少于": ">=", "不低于": ">=", "至少": ">=", "不超过": "<=", "不高于": "<=", "控制在": "<=",
          "超过": ">", "约": "~", "大约": "~", "达到": "=", "达": "=", "保持在": "=",
          "压缩至": "<=", "压缩到": "<=", "压减至": "<=", "降至": "<=", "降低至": "<=", "降低到": "<=",
          "缩短至": "<=", "缩短到": "<=", "提高到": ">=", "提高至": ">=", "提升至": ">=", "提升到": ">=",
          "增加到": ">=", "增加至": ">=", "增长到": ">="}
AFTER = {"以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}
# Words between the indicator and the number that belong to neither.
_LINK = re.compile(r"(?:比例|比重|占比|覆盖率|率)?(?:%s)$" % "|".join(sorted(BEFORE, key=len, reverse=True)))

_QUANTITY = re.compile(
    r"(?P<before>%s)?(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<mult>%s)?(?P<unit>%s)(?P<after>%s)?"
    % ("|".join(sorted(BEFORE, key=len, reverse=True)),
       "|".join(sorted(MULTIPLIERS, key=len, reverse=True)),
       "|".join(map(re.escape, UNITS)),
       "|".join(sorted(AFTER, key=len, reverse=True))))
_NOT_AFTER = re.compile(r"^(?:年|月|日|号|届|周年|批次|部门|个月|多)")


@dataclass
class Quantity:
    start: int
    end: int
    indicator: str
    indicator_start: int
    value: float | int
    unit: str
    comparator: str


def _number(num: str, mult: str | None) -> float | int:
    value = float(re.sub(r"[,，]", "", num)) * MULTIPLIERS.get(mult or "", 1)  # 1,200人
    return int(value) if value.is_integer() else value


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number-with-unit in text[start:end] with its indicator (what is counted)."""
    end = len(text) if end is None else end
    found = []
    for m in _QUANTITY.finditer(text, start, end):
        if m.start("num") > 0 and (text[m.start("num") - 1].isdigit() or text[m.start("num") - 1] in "第〔[.（"):
            continue
        if _NOT_AFTER.match(text[m.end("unit"):m.end("unit") + 2]) and not m.group("after"):
            continue
        if text.rfind("《", start, m.start()) > text.rfind("》", start, m.start()):
            continue  # inside a cited title
        clause_start = _clause_start(text, m.start(), start)
        indicator = _LINK.sub("", text[clause_start:m.start()]).strip()
        if not indicator or indicator.isdigit():
            continue
        comparator = AFTER.get(m.group("after") or "") or BEFORE.get(m.group("before") or "") or "="
        unit = "%" if m.group("unit") == "％" else m.group("unit")
        found.append(Quantity(m.start(), m.end(), indicator, clause_start,
                              _number(m.group("num"), m.group("mult")), unit, comparator))
    return found


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


def period_of(paragraph: str) -> str | None:
    """The year a paragraph sets its targets for: ``2023年，…`` / ``到2025年，…`` → 2023 / 2025."""
    m = _PERIOD.search(paragraph[:40])
    return m.group("year") if m else None
