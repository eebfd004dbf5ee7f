"""Deadlines: dates by which something is due, what is due, who owes it and to whom.

``请各市…及时总结…，分别于2023年7月15日、2024年1月15日将工作总结…报送自治区人力资源社会保障厅``
gives two deadlines with the same deliverable, obligated parties and recipient.

A date keeps the precision it was written with (day, month, quarter, half-year, year). Dates written
without a year (``6月底前``, ``年底前``, ``第一季度``) take the year from context; dates counted from the
notice (``本意见印发之日起30日内``) are resolved from its date and keep the printed relation; recurring
ones (``从2019年起，每年2月底前``) give their first occurrence and an ISO 8601 interval. Words such as
``长期坚持`` / ``持续推进`` name no date and give no deadline.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date as Date

# -- the genre's date vocabulary (rules as data) ---------------------------------------------------
#: A date with its year; month, day, half-year, quarter or year's end optional (2019年底前 → the year).
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<mend>底|末))?"
                  r"|(?P<yend>底|末)|(?P<half>上半年|下半年)(?:末|底)?|第?(?P<q>[一二三四1-4])季度(?:末|底)?)?")
#: A date printed without its year: 6月底前, 年底前, 第一季度, 上半年, 今年底; 每年… makes it recurring.
#: (It opens with a lookahead for the characters a match can start with: the scan skips the others at
#: once instead of trying every alternative there, four times faster, same matches.)
BARE_DATE = re.compile(r"(?=[每今本当明次\d年底末上下第一二三四])(?<![\d年月〇零一二三四五六七八九十])(?P<every>每年|每半年|每季度)?"
                       r"(?P<yrel>今年|本年|当年|明年|次年)?"
                       r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<mend>底|末))?|(?P<yend>年底|年末|底|末)"
                       r"|(?P<half>上半年|下半年)(?:末|底)?|第?(?P<q>[一二三四1-4])季度(?:末|底)?)")
#: The month a half-year or quarter ends in: 2024年上半年 → 2024-06, 第三季度 → 2024-09.
PERIOD_END = {"上半年": 6, "下半年": 12, "一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
#: How a year written relatively is counted from the year in context.
RELATIVE_YEAR = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "次年": 1}
#: Recurrence words → ISO 8601 interval.
EVERY = {"每年": "P1Y", "每半年": "P6M", "每季度": "P3M"}
#: Where a recurring deadline starts: 从2019年起 / 自2020年开始 / 2019年起.
RECUR_FROM = re.compile(r"(?:从|自)?(?P<y>(?:19|20)\d{2})年(?:起|开始)")
#: A span counted from the notice itself: 本意见印发之日起30日内, 自印发之日起3个月内.
RELATIVE = re.compile(
    r"(?:自|从)?(?P<anchor>(?:本(?:意见|通知|方案|办法|决定|计划|文件|实施意见|工作方案|实施方案))?(?:印发|下发)之日起"
    r"|本(?:意见|通知|方案|办法|决定|计划|文件)(?:发布|公布|出台|实施|施行)之日起)"
    r"(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?P<unit>日|天|个月|年)(?:内|以内)")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: A labelled deadline: 完成时限：2024年12月.
DUE_LABEL = re.compile(r"(?:完成时限|时限|完成时间|时间节点|截止时间|时间要求)[：:]\s*$")
#: Header cells of a table's time column; under one, a cell holding only a date is that row's deadline.
TIME_COLUMN = re.compile(r"(?:^|\t|\n)(?:完成时限|时限|完成时间|时间节点|进度安排|时间要求|完成期限)(?:\t|\n|$)")
#: A month's or year's end followed by completing something: 力争2025年6月底基本完成改造.
COMPLETE_AFTER = re.compile(r"^[^，。；]{0,6}?(?:完成|建成|实现|出台|制定|落实到位|覆盖)")
#: ``到2019年6月底，审批时间压缩至90个工作日以内``: what holds by a month's or year's end is due then.
BY_END = re.compile(r"(?<!截)(?:到|至)$")
#: ``截至2024年底`` states how things stand, not what is due.
AS_OF = re.compile(r"(?:截至|截止|截止到)$")
#: Words after a date that make it a deadline.
DUE_AFTER = re.compile(r"^(?:前|之前|以前|前后|止|为限|截止|内)")
#: ``2018年12月31日之前已完成转制的企业``: a state reached before the date, not something due.
ALREADY = re.compile(r"^(?:前|之前|以前)(?:已经|已)")
#: A date introduced like this is a deadline when a delivery verb follows in the sentence.
DUE_BEFORE = re.compile(r"(?:于|在|截至|截止|至|到)$")
DELIVER = re.compile(r"(?P<verb>报送至|报送|(?<![汇简通公预申举情])上报|(?<![汇简通公预申举情上])报(?![告道名])|提交|送交|反馈"
                     r"|(?<![汇简通公预申])报告)(?P<to>[^，。；]*?)(?=[。；，]|$)")
#: A date cell: the whole cell is the date and a word of completion.
CELL_REST = re.compile(r"^(?:前|之前|以前|底前|内|完成|前完成|底|末)?$")
#: Where the obligated parties' names stop: ``请各市…、区直各有关部门及时总结`` → 及时.
SUBJECT_STOP = re.compile(r"及时|要|应|须|需|于|按|在|将|认真|分别|务必|抓紧|切实|做好|会同|结合|对|根据|同时|并")


@dataclass
class DueDate:
    start: int
    end: int
    iso: str
    precision: str = "day"  # day | month | quarter | half-year | year
    period: str | None = None  # 2019-Q1 / 2019-H1
    recurrence: str | None = None  # P1Y
    relative_to: str | None = None  # 本意见印发之日起30日内


def _year_of(m: re.Match[str], year: int | None) -> int | None:
    if "y" in m.re.groupindex and m.group("y"):
        return int(m.group("y"))
    if year is None:
        return None
    return year + RELATIVE_YEAR.get(m.group("yrel") or "", 0)


def due_of(m: re.Match[str], year: int | None) -> DueDate | None:
    """The date a DATE / BARE_DATE match names, with its precision; ``year`` fills a missing year."""
    y = _year_of(m, year)
    if y is None:
        return None
    if m.group("half"):
        half = 1 if m.group("half") == "上半年" else 2
        return DueDate(m.start(), m.end(), f"{y}-{PERIOD_END[m.group('half')]:02d}", "half-year", f"{y}-H{half}")
    if m.group("q"):
        q = PERIOD_END[m.group("q")] // 3
        return DueDate(m.start(), m.end(), f"{y}-{q * 3:02d}", "quarter", f"{y}-Q{q}")
    if m.group("m"):
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        if m.group("d"):
            day = int(m.group("d"))
            if not 1 <= day <= calendar.monthrange(y, month)[1]:
                return None
            return DueDate(m.start(), m.end(), f"{y}-{month:02d}-{day:02d}", "day")
        return DueDate(m.start(), m.end(), f"{y}-{month:02d}", "month")
    return DueDate(m.start(), m.end(), str(y), "year")


def iso_date(m: re.Match[str]) -> str:
    """ISO form of a DATE match: 2023-07-15, 2023-12, 2023 (a half-year or quarter: its last month)."""
    due = due_of(m, None)
    return due.iso if due else m.group("y")


def _period_end(m: re.Match[str]) -> bool:
    return bool(m.group("mend") or m.group("yend") or m.group("half") or m.group("q"))


def date_mentions(sentence: str) -> list[re.Match[str]]:
    """Dates in a sentence, with or without their year, in order (a bare date inside a full one is not
    counted twice)."""
    full = list(DATE.finditer(sentence))
    covered = [(m.start(), m.end()) for m in full]
    bare = [m for m in BARE_DATE.finditer(sentence)
            if not any(s <= m.start() < e for s, e in covered)
            and not (m.group("yend") in ("底", "末") and not m.group("yrel"))]
    return sorted(full + bare, key=lambda m: m.start())


def date_groups(sentence: str) -> list[list[re.Match[str]]]:
    """Dates in a sentence, grouped where they are listed together (2023年7月15日、2024年1月15日)."""
    groups: list[list[re.Match[str]]] = []
    for m in date_mentions(sentence):
        if groups and sentence[groups[-1][-1].end():m.start()] in ("、", "和", "及", "，"):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def due_dates(sentence: str, year: int | None = None, doc_date: str | None = None,
              time_column: bool = False) -> list[tuple[list[DueDate], int]]:
    """Groups of dates that set deadlines, each with the offset where the group ends.

    ``year``: the year in context for dates printed without one; ``doc_date`` (ISO): the notice's date,
    from which ``本意见印发之日起30日内`` is counted; ``time_column``: the sentence is a row or cell of a
    table with a 完成时限 column, where a cell holding only a date is a deadline.
    """
    found = []
    for group in date_groups(sentence):
        first, last = group[0], group[-1]
        after = sentence[last.end():]
        before = sentence[:first.start()]
        if ALREADY.match(after) or (before.endswith("至") and "起" in before):  # 起…至…止: a term
            continue
        if not (last.group("m") or _period_end(last)) and after.startswith("以前，"):
            continue  # 2008年以前，…每半年召开一次例会: a time frame
        delivered_later = (d := DELIVER.search(sentence, last.end())) is not None and d.start() > last.end()
        recurring = any("every" in m.re.groupindex and m.group("every") for m in group) \
            or (first.re is BARE_DATE and _every_before(sentence, first.start()) is not None)
        cell = time_column and _alone_in_cell(sentence, first.start(), last.end())
        if not (DUE_AFTER.match(after) or (DUE_BEFORE.search(before) and delivered_later)
                or DUE_LABEL.search(before) or cell or (recurring and delivered_later)
                or (_period_end(last) and COMPLETE_AFTER.match(after) and not AS_OF.search(before))
                or (_period_end(last) and BY_END.search(before) and after[:1] in "，,")):
            continue
        dates = []
        for m in group:
            if not (m.group("m") or _period_end(m) or DUE_AFTER.match(after) or DUE_LABEL.search(before) or cell):
                continue  # a bare year is a period (2024年，…) unless 前 or a label makes it due
            here = _year_before(sentence, m.start()) or year  # 2019年完成A，6月底前完成B → 2019
            due = _recurring(sentence, m, here, doc_date) if recurring else due_of(m, here)
            if due is not None:
                dates.append(due)
        if dates:
            found.append((dates, last.end()))
    for m in RELATIVE.finditer(sentence):
        due = _relative(m, doc_date)
        if due is not None:
            found.append(([due], m.end()))
    return sorted(found, key=lambda f: f[0][0].start)


def _alone_in_cell(sentence: str, start: int, end: int) -> bool:
    left = max(sentence.rfind("\t", 0, start), -1) + 1
    right = sentence.find("\t", end)
    right = len(sentence) if right < 0 else right
    return not sentence[left:start].strip() and bool(CELL_REST.match(sentence[end:right].strip(" 。；")))


def _recurring(sentence: str, m: re.Match[str], year: int | None, doc_date: str | None) -> DueDate | None:
    """每年2月底前 from 2019 (从2019年起) or from the notice's date: the first occurrence + interval."""
    start = RECUR_FROM.search(sentence, 0, m.start())
    due = due_of(m, int(start.group("y")) if start else year)
    if due is None:
        return None
    every = EVERY[m.group("every") or _every_before(sentence, m.start()) or "每年"]
    due.recurrence = every
    if not start and doc_date and due.precision in ("day", "month") and due.iso < doc_date[:len(due.iso)]:
        later = due_of(m, int(due.iso[:4]) + 1)  # the first occurrence after the notice
        if later is not None:
            later.recurrence = every
            due = later
    return due


def _every_before(sentence: str, pos: int) -> str | None:
    """``2020年起，每年2月底前…，3月底前…``: a 每年 earlier in the sentence makes later bare dates recur too."""
    found = None
    for m in re.finditer("|".join(EVERY), sentence[:pos]):
        found = m.group(0)
    if found and DATE.search(sentence, sentence.rfind(found, 0, pos), pos) is None:
        return found
    return None


def _relative(m: re.Match[str], doc_date: str | None) -> DueDate | None:
    """本意见印发之日起30日内 → the notice's date + 30 days (None without a date: no date is invented)."""
    if not doc_date or len(doc_date) != 10:
        return None
    n = m.group("n")
    count = int(n) if n.isdigit() else _cn_number(n)
    start = Date.fromisoformat(doc_date)
    unit = m.group("unit")
    if unit in ("日", "天"):
        from datetime import timedelta
        due = start + timedelta(days=count)
    else:
        months = count * (12 if unit == "年" else 1)
        y, mo = divmod(start.month - 1 + months, 12)
        y += start.year
        due = Date(y, mo + 1, min(start.day, calendar.monthrange(y, mo + 1)[1]))
    return DueDate(m.start(), m.end(), due.isoformat(), "day", relative_to=m.group(0).lstrip("自从"))


def _cn_number(n: str) -> int:
    if n == "十":
        return 10
    if "十" in n:
        tens, _, ones = n.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(n, 0)


# -- context ---------------------------------------------------------------------------------------
#: A year, not preceded by a digit (said after the year's four digits: a pattern that starts with
#: its digits is scanned for them at C speed, one that starts with a lookbehind tries every position).
_YEAR = re.compile(r"((?:19|20)\d{2})(?<!\d{5})年")


def _year_before(sentence: str, pos: int) -> int | None:
    years = _YEAR.findall(sentence, 0, pos)
    return int(years[-1]) if years else None


def year_in_context(text: str, pos: int, floor: int = 0) -> int | None:
    """The nearest year printed before ``pos`` (from ``floor``), outside cited titles 《…》."""
    starts, years = _years(text, floor)
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0:  # a year must end before pos, as it is printed in full before it
        if starts[i] + 5 <= pos:
            return years[i]
        i -= 1
    return None


@lru_cache(maxsize=8)
def _years(text: str, floor: int) -> tuple[list[int], list[int]]:
    """Where years are printed in ``text`` from ``floor`` (outside 《…》), once per text: a document asks
    for the year before each of its dates."""
    starts, years = [], []
    # the last 《 and 》 before each year, found in the text since the previous year (not from
    # ``floor`` again for every year: a long notice has hundreds of years)
    last_open = last_close = -1
    scanned = floor
    for m in _YEAR.finditer(text, floor):
        last_open = max(last_open, text.rfind("《", scanned, m.start()))
        last_close = max(last_close, text.rfind("》", scanned, m.start()))
        scanned = m.start()
        if last_open > last_close:
            continue
        starts.append(m.start())
        years.append(int(m.group(1)))
    return starts, years


def is_past(iso: str, doc_date: str | None) -> bool:
    """A date before the notice's own date cannot be due under it (2005年12月28日主持召开… in a reply)."""
    return doc_date is not None and iso < doc_date[:len(iso)]


def time_column_at(text: str, pos: int) -> bool:
    """Whether a table header with a time column (完成时限) comes before ``pos``."""
    first = _first_time_column(text)
    return first is not None and first <= pos


@lru_cache(maxsize=8)
def _first_time_column(text: str) -> int | None:
    """End of the first time-column header in ``text`` (searched once per text)."""
    m = TIME_COLUMN.search(text)
    return m.end() if m else None


def deliverable(sentence: str, after: int) -> tuple[str, str | None]:
    """(what is due, recipient as printed or None) from the part of a sentence after the date."""
    rest = re.sub(r"^[、和及\d年月日底末]*(?:前|之前|以前|内)?[，,]?", "", sentence[after:])
    to = None
    d = DELIVER.search(rest)
    what = rest
    if d:
        to = d.group("to").strip() or None
        what = rest[:d.start()]
        if not what.strip("将把，, "):
            what = rest[d.start():]
    what = re.sub(r"^(?:将|把|完成|前)", "", what).strip("，,。； \t")
    return what, to


def subject(sentence: str) -> str | None:
    """The parties a sentence obliges: ``请A、B及时…`` → ``A、B``."""
    m = re.match(r"^(?:请|由|要求)?(?P<who>[^，。；]*?)(?=" + SUBJECT_STOP.pattern + ")", sentence)
    if not m or not m.group("who"):
        return None
    return m.group("who")
