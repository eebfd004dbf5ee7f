"""Deadlines: dates by which something is due, what is due, who owes it and to whom.

``请各市…及时总结…，分别于2023年7月15日、2024年1月15日将工作总结…报送自治区人力资源社会保障厅``
gives two deadlines with the same deliverable, obligated parties and recipient.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: A date as written in the body; day and month are optional (年底前 → the year's end).
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|(?P<mend>底|末))?|(?P<yend>底|末)"
                  r"|(?P<half>上半年|下半年)(?:末|底)?|第?(?P<q>[一二三四1-4])季度(?:末|底)?)?")
#: The month a half-year or quarter ends in: 2024年上半年 → 2024-06, 第三季度 → 2024-09.
PERIOD_END = {"上半年": 6, "下半年": 12, "一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
#: A labelled deadline: 完成时限：2024年12月.
DUE_LABEL = re.compile(r"(?:完成时限|时限|完成时间|时间节点|截止时间)[：:]\s*$")
#: A month's or year's end followed by completing something: 力争2025年6月底基本完成改造.
COMPLETE_AFTER = re.compile(r"^[^，。；]{0,6}?(?:完成|建成|实现|出台|制定|落实到位|覆盖)")
#: ``截至2024年底`` states how things stand, not what is due.
AS_OF = re.compile(r"(?:截至|截止|截止到)$")
#: Words after a date that make it a deadline.
DUE_AFTER = re.compile(r"^(?:前|之前|以前|前后|止|为限|截止)")
#: A date introduced like this is a deadline when a delivery verb follows in the sentence.
DUE_BEFORE = re.compile(r"(?:于|在|截至|截止|至|到)$")
DELIVER = re.compile(r"(?P<verb>报送至|报送|上报|报|提交|送交|反馈|报告)(?P<to>[^，。；]*?)(?=[。；，]|$)")
#: Where the obligated parties' names stop: ``请各市…、区直各有关部门及时总结`` → 及时.
SUBJECT_STOP = re.compile(r"及时|要|应|须|需|于|按|在|将|认真|分别|务必|抓紧|切实|做好|会同|结合|对|根据|同时|并")


@dataclass
class DueDate:
    start: int
    end: int
    iso: str


def iso_date(m: re.Match[str]) -> str:
    year = m.group("y")
    period = m.group("half") or m.group("q")
    if period:
        return f"{year}-{PERIOD_END[period]:02d}"
    if m.group("m"):
        month = f"{int(m.group('m')):02d}"
        if m.group("d"):
            return f"{year}-{month}-{int(m.group('d')):02d}"
        return f"{year}-{month}"
    return year


def date_groups(sentence: str) -> list[list[re.Match[str]]]:
    """Dates in a sentence, grouped where they are listed together (2023年7月15日、2024年1月15日)."""
    groups: list[list[re.Match[str]]] = []
    for m in DATE.finditer(sentence):
        if groups and sentence[groups[-1][-1].end():m.start()] in ("、", "和", "及", "，"):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def due_dates(sentence: str) -> list[tuple[list[DueDate], int]]:
    """Groups of dates that set deadlines, each with the offset where the group ends."""
    found = []
    for group in date_groups(sentence):
        first, last = group[0], group[-1]
        after = sentence[last.end():]
        delivered_later = (d := DELIVER.search(sentence, last.end())) is not None and d.start() > last.end()
        before = sentence[:first.start()]
        month_end = last.group("mend") or last.group("yend") or last.group("half") or last.group("q")
        if (DUE_AFTER.match(after) or (DUE_BEFORE.search(before) and delivered_later)
                or DUE_LABEL.search(before)
                or (month_end and COMPLETE_AFTER.match(after) and not AS_OF.search(before))):
            dates = [DueDate(m.start(), m.end(), iso_date(m)) for m in group
                     if m.group("m") or m.group("yend") or m.group("half") or m.group("q") or DUE_AFTER.match(after)
                     or DUE_LABEL.search(before)]
            if dates:
                found.append((dates, last.end()))
    return found


def deliverable(sentence: str, after: int) -> tuple[str, str | None]:
    """(what is due, recipient as printed or None) from the part of a sentence after the date."""
    rest = re.sub(r"^[、和及\d年月日底末]*(?:前|之前|以前)?[，,]?", "", sentence[after:])
    to = None
    d = DELIVER.search(rest)
    what = rest
    if d:
        to = d.group("to").strip() or None
        what = rest[:d.start()]
        if not what.strip("将把，, "):
            what = rest[d.start():]
    what = re.sub(r"^(?:将|把|完成|前)", "", what).strip("，,。； ")
    return what, to


def subject(sentence: str) -> str | None:
    """The parties a sentence obliges: ``请A、B及时…`` → ``A、B``."""
    m = re.match(r"^(?:请|由|要求)?(?P<who>[^，。；]*?)(?=" + SUBJECT_STOP.pattern + ")", sentence)
    if not m or not m.group("who"):
        return None
    return m.group("who")
