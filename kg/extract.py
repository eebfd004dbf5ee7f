"""Extraction: a policy text → a Document of facts, each with its span in the original text.

A pure function of the text: no storage, no network. Each kind of fact has its own module
(``responsibility``, ``targets``, ``deadlines``, ``conditions``, ``citations``, ``metadata``);
this module walks the segmented text and puts the pieces together.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from policykg.corpus import Line, NormalisedText, Section, normalise, read_text, segment
from policykg.corpus.numbering import match_marker
from policykg.ontology import load_registry

from . import conditions, deadlines, targets
from .citations import find_citations
from .diagnostics import unread_annotations
from .metadata import extract_metadata
from .model import (Citation, Condition, Deadline, Document, Measure, Paragraph, Party, Responsibility,
                    Target)
from .parties import is_name_like, is_org_like, resolve_list, resolve_party, split_parties
from .responsibility import (Annotation, Rules, add_default, apply_first_leads, find_annotations, find_rules,
                             parse_statement, promote_lead)

#: Parts whose numbered items are measures even where no responsibility is written.
MEASURE_HEADING = re.compile(r"措施|任务|举措|重点工作|工作内容|行动")
#: Documents that set no measures of their own: replies, approvals, decrees, regulations, name lists.
NO_MEASURES_TITLE = re.compile(r"(?:复函|答复|批复|条例|规定|办法|细则|组成人员的通知|名单的通知|的决定|通报)$")
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def parse(source: str | bytes | Path) -> Document:
    """Parse a policy notice (a path, bytes, or the text itself) into a Document."""
    original, name, encoding = read_text(source)
    return parse_text(original, name, encoding)


def parse_text(original: str, name: str = "<text>", encoding: str = "str") -> Document:
    registry = load_registry()
    norm = normalise(original)
    seg = segment(norm.text)
    meta = extract_metadata(seg, registry)
    span = norm.to_original
    doc = Document(meta.doc_number, meta.title, meta.issuers, meta.date, meta.jurisdiction,
                   meta.recipients, text=original, source=name, encoding=encoding)

    rules = find_rules(norm.text, meta.jurisdiction, registry)
    # replies, decrees, regulations and name lists: no measures from headings alone
    headings = not NO_MEASURES_TITLE.search(meta.title) and "令第" not in (meta.doc_number or "")
    sections = sorted([*seg.walk(), *_unnumbered(norm.text, seg, meta.jurisdiction)], key=lambda x: x.start)
    column = next((_cell(line) for line in seg.header + seg.body if _cell(line) in PARTY_COLUMNS), None)
    doc.measures = _measures(norm, sections, meta.jurisdiction, rules, headings, column)
    if "\t" in norm.text or "序号" in norm.text or "|" in norm.text:
        doc.measures += _table_measures(norm, seg, meta.jurisdiction, rules, registry)
    def measure_at(pos: int) -> Measure | None:
        inside = [m for m in doc.measures if m.norm_span[0] <= pos < m.norm_span[1]]
        return inside[-1] if inside else None

    body_start = seg.body[0].start if seg.body else 0
    for i, line in enumerate(seg.body):
        doc.paragraphs.append(Paragraph(f"p{i + 1}", line.text, span(line.start, line.end)))
        for req in conditions.find_conditions(norm.text, line.start, line.end):
            m = measure_at(req.start)
            doc.conditions.append(Condition(
                f"c{len(doc.conditions) + 1}", norm.text[req.start:req.end], req.governs, req.any_of,
                m.id if m else None, span(req.start, req.end)))
        _targets(doc, norm, line, measure_at)
        if _DATE_HINT.search(line.text):
            for s in _SENTENCE.finditer(norm.text, line.start, line.end):
                _deadlines(doc, s.group(0), s.start(), norm, measure_at(s.start()), meta.jurisdiction, body_start)
    for line in seg.closing:  # a task-division table printed after the signature: its 完成时限 cells
        if _DATE_HINT.search(line.text) and deadlines.time_column_at(norm.text, line.start):
            _deadlines(doc, line.text, line.start, norm, measure_at(line.start), meta.jurisdiction, body_start,
                       cells_only=True)
    _link_targets(doc)

    read = [span for m in doc.measures for span in m.read_from] + rules.spans
    doc.unread = unread_annotations(norm.text, read, span, original)
    for c in find_citations(norm.text, meta.doc_number, body_start):
        doc.citations.append(Citation(c.doc_number, c.title, span(c.start, c.end)))
    return doc


#: Lines that can hold a deadline: a year, a month, a quarter, a half-year, a year's end, 之日起.
_DATE_HINT = re.compile(r"年|月|季度|之日起")


def _targets(doc: Document, norm: NormalisedText, line, measure_at) -> None:
    """The quantitative targets of one body line, each with its period and the measure it sits in.

    A target whose year lies before the notice's own year is a statistic (1995年全国共发生地震48次), not a target.
    """
    if not _DIGIT.search(line.text) and "零" not in line.text:
        return  # targets have digits, or say 零发生 / 零增长
    span = norm.to_original
    paragraph_period = targets.period_of(line.text)
    for q in targets.find_quantities(norm.text, line.start, line.end):
        period = q.horizon or targets.horizon_before(norm.text, q.start, line.start) or paragraph_period
        if period and doc.date and period < doc.date[:4]:
            continue
        m = measure_at(q.start)
        low = q.low if q.low is not None else (q.value if q.comparator in (">=", ">") else None)
        high = q.high if q.high is not None else (q.value if q.comparator == "<=" else None)
        indicator = q.indicator
        if m and m.number and indicator.startswith(m.number) and len(indicator) > len(m.number):
            indicator = indicator[len(m.number):]  # 7.12345热线办结率: item 7's indicator is 12345热线办结率
        doc.targets.append(Target(
            f"t{len(doc.targets) + 1}", norm.text[q.indicator_start:q.end], indicator, q.value,
            q.unit, q.comparator, m.id if m else None, span(q.indicator_start, q.end), period, low, high))


def _link_targets(doc: Document) -> None:
    """Targets stated outside every measure (主要目标) → the measures they are about (see ``topics``)."""
    from .topics import topic_links
    by_id = {t.id: t for t in doc.targets}
    for _kind, fact_id, measure_id, _terms in topic_links(doc, kinds=("target",)):
        by_id[fact_id].related_measures.append(measure_id)
    # items of one sentence (举办招聘活动不少于5000场次，“点对点”开行专车专列4000次，输送农民工15万人；)
    # share a measure: an item without a link of its own takes the one its linked neighbours agree on
    sentences: dict[tuple[str, int], list[Target]] = {}
    for t in doc.targets:
        if t.measure is None:
            start = max(doc.text.rfind(c, 0, t.span[0]) for c in "。；;\n")
            sentences.setdefault((t.period or "", start), []).append(t)
    for items in sentences.values():
        links = {tuple(t.related_measures) for t in items if t.related_measures}
        if len(links) == 1:
            [shared] = links
            for t in items:
                t.related_measures = t.related_measures or list(shared)


def _deadlines(doc: Document, sentence: str, offset: int, norm: NormalisedText,
               measure: Measure | None, context: str | None, body_start: int = 0, cells_only: bool = False) -> None:
    year = _context_year(doc, norm.text, offset, body_start)
    time_column = deadlines.time_column_at(norm.text, offset)
    for dates, group_end in deadlines.due_dates(sentence, year, doc.date, time_column):
        if cells_only and not all(deadlines.CELL_REST.match(sentence[d.end:].strip()) for d in dates):
            continue  # after the signature only a table's date cells count (never the signature date)
        dates = [d for d in dates if not deadlines.is_past(d.iso, doc.date)]
        if not dates:
            continue
        what, to = deadlines.deliverable(sentence, group_end)
        if not what and measure is not None:  # 完成时限 of a table row or after the task: the task is due
            what = measure.title
        who = deadlines.subject(sentence)
        obligated: list[Party] = resolve_list(who, context) if who and all(
            is_org_like(p) for p in re.split(r"[、，]", who) if p) else []
        if not obligated and measure is not None:
            obligated = [r.party for r in measure.responsibilities]
        submit_to = resolve_party(to, context) if to and is_org_like(to) else None
        for d in dates:
            doc.deadlines.append(Deadline(
                f"d{len(doc.deadlines) + 1}", sentence.strip(), d.iso, what, obligated, submit_to,
                measure.id if measure else None, norm.to_original(offset, offset + len(sentence)),
                d.precision, d.period, d.recurrence, d.relative_to))


def _context_year(doc: Document, text: str, pos: int, body_start: int) -> int | None:
    """The year a date printed without one belongs to: the nearest year printed before it in the body,
    else the title's, else the notice's date's (a year that would make the date lie before the notice
    gives way to the notice's year)."""
    doc_year = int(doc.date[:4]) if doc.date else None
    year = deadlines.year_in_context(text, pos, body_start) or deadlines.year_in_context(doc.title, len(doc.title))
    if year is None or (doc_year is not None and year < doc_year):
        return doc_year
    return year


def _own_end(section: Section) -> int:
    """End of the section's own text (before its first numbered child)."""
    return section.lines[-1].end if section.lines else section.end


#: Header cells of a task-division table (重点任务分工表): the task column and the party columns.
TASK_COLUMN = re.compile(r"^(?:主要|重点|具体)?(?:工作)?(?:任务|措施|举措|事项|内容)(?:内容|名称|举措)?$"
                         r"|^(?:主要|重点)工作(?:目标)?(?:任务)?$"
                         r"|^[\u4e00-\u9fff]{2,8}(?:落实措施|工作措施|具体措施|重点任务|工作任务)$")
PARTY_COLUMNS: dict[str, str] = {"牵头": "lead", "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead",
                                 "牵头负责部门": "lead", "牵头负责单位": "lead", "牵头责任单位": "lead",
                                 "责任单位": "responsible", "责任部门": "responsible", "负责单位": "responsible",
                                 "负责部门": "responsible", "配合单位": "support", "配合部门": "support",
                                 "配合": "support", "参与单位": "support", "参与部门": "support",
                                 "协办单位": "support", "指导单位": "guide"}


def _table_measures(norm: NormalisedText, seg, context: str | None, rules: Rules, registry) -> list[Measure]:
    """Rows of a 重点任务分工表 (序号 / 任务 / 牵头单位 / 配合单位 / 完成时限), one measure each: cells
    separated by tabs (DOCX, HTML, text), or one cell a line as pages converted to text print them."""
    # a table at the very end is made of short lines, like a signature; one at the very start, like a header
    lines = seg.header + seg.body + seg.closing
    measures: list[Measure] = []
    columns: dict[int, str] | None = None
    task_col = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.text.count("|") >= 2:  # a table copied as text with | between cells (序号 | 任务 | 牵头单位 |)
            line = Line(line.text.replace("|", "\t"), line.start, line.end)
        if "\t" not in line.text:
            stacked = _stacked_header(lines, i)
            if stacked:
                width, columns, task_col = stacked
                i = _stacked_rows(norm, lines, i + width, width, columns, task_col, context, rules, registry,
                                  measures)
                columns = None
                continue
            columns = None
            i += 1
            continue
        cells = [c.strip() for c in line.text.split("\t")]
        header = {j: PARTY_COLUMNS[c] for j, c in enumerate(cells) if c in PARTY_COLUMNS}
        tasks = [j for j, c in enumerate(cells) if TASK_COLUMN.match(c)]
        if header and tasks:
            columns, task_col = header, tasks[0]
        elif columns is not None:
            m = _row_measure(norm, cells, columns, task_col, line.start, line.end, context, rules, registry)
            if m:
                measures.append(m)
        i += 1
    return measures


def _row_measure(norm: NormalisedText, cells: list[str], columns: dict[int, str], task_col: int, start: int,
                 end: int, context: str | None, rules: Rules, registry) -> Measure | None:
    if task_col >= len(cells) or not cells[task_col]:
        return None
    resp: list[Responsibility] = []
    for j, role in columns.items():
        if j < len(cells) and cells[j]:
            parsed = parse_statement(cells[j], context, registry)
            if parsed is not None:  # the cell says the roles itself: A牵头，B参与
                resp += parsed[0]
            elif all(is_name_like(m) for m in split_parties(cells[j])):  # a party column lists names only
                resp += [Responsibility(p, role) for p in resolve_list(cells[j], context, registry)]
    if not resp:
        return None
    resp = promote_lead(resp)  # 责任单位 and 配合单位 columns: the 责任单位 leads
    if rules.first_leads_from is not None and "lead" not in columns.values():  # 注：排在第一位的为牵头单位
        resp = apply_first_leads(resp)
    default = rules.default_at(start)
    if default:
        resp = add_default(resp, default)
    task = cells[task_col]
    number = cells[0] if task_col > 0 and cells[0].isdigit() else ""
    row = norm.text.count("\n", 0, start) + 1
    return Measure(f"m0.{row}", number, _first_clause(task), task, resp, norm.to_original(start, end), (0, row),
                   "重点任务分工", norm_span=(start, end), read_from=[(start, end)])


_OTHER_COLUMN = re.compile(r"^(?:序号|编号|完成时限|完成时间|时间进度|时限|进度安排|备注|工作目标|目标|预期成果|成果形式"
                           r"|(?:[市区县]政府)?(?:分管|牵头|责任)(?:领导|负责人)|责任人|[市区县]政府)$")


def _cell(line) -> str:
    """A cell printed on a line of its own, without the `` |`` some pages end it with."""
    return line.text.strip().rstrip("|").strip()


def _stacked_header(lines, i: int) -> tuple[int, dict[int, str], int] | None:
    """序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限, one a line: (width, party columns, task column)."""
    names = []
    for line in lines[i:i + 8]:
        t = _cell(line)
        if t in PARTY_COLUMNS or TASK_COLUMN.match(t) or _OTHER_COLUMN.match(t):
            names.append(t)
        else:
            break
    tasks = [j for j, n in enumerate(names) if TASK_COLUMN.match(n)]
    parties = {j: PARTY_COLUMNS[n] for j, n in enumerate(names) if n in PARTY_COLUMNS}
    if len(names) < 3 or not tasks or not parties or names[0] not in ("序号", "编号"):
        return None
    return len(names), parties, tasks[0]


def _stacked_rows(norm, lines, i: int, width: int, columns: dict[int, str], task_col: int, context, rules,
                  registry, measures: list[Measure]) -> int:
    """Rows under a stacked header, each starting with its number line (1, 2, 3…); cells left empty
    in the page have no line, so a short row is matched by kind: dates to the time column, lists of
    organisations to the party columns in order."""
    expected = 1
    while i < len(lines):
        if _cell(lines[i]) != str(expected):
            # a part's heading between rows (强化科技创新支撑能力。/ （一）): the next row follows shortly
            ahead = next((k for k in range(i + 1, min(i + 5, len(lines))) if _cell(lines[k]) == str(expected)),
                         None)
            if ahead is None or expected == 1 and i > 0 and ahead - i > 4:
                break
            i = ahead
        j = i + 1
        while j < len(lines) and _cell(lines[j]) != str(expected + 1) and j - i <= width + 2 \
                and not match_marker(lines[j].text):
            j += 1
        cells = ["", *[_cell(line) for line in lines[i + 1:j]]]
        if len(cells) != width:
            cells = _align(cells, width, columns, task_col)
        m = _row_measure(norm, cells, columns, task_col, lines[i].start, lines[j - 1].end, context, rules,
                         registry)
        if m:
            m.number = str(expected)
            measures.append(m)
        expected += 1
        i = j
    return i


def _align(cells: list[str], width: int, columns: dict[int, str], task_col: int) -> list[str]:
    out = [""] * width
    out[task_col] = cells[1] if len(cells) > 1 else ""
    party_cols = sorted(columns)
    for cell in cells[2:]:  # 王东 (a leader's name) and dates are not the party columns
        names = split_parties(cell)
        if party_cols and names and all(is_name_like(n) for n in names) and any(is_org_like(n) for n in names):
            out[party_cols.pop(0)] = cell
    return out


def _unnumbered(text: str, seg, context: str | None) -> list[Section]:
    """Body paragraphs outside every numbered section that carry a responsibility annotation; each
    is a measure of its own, with the path (0, paragraph number) since it has no number."""
    covered = {line.start for s in seg.walk() for line in s.lines}
    found = []
    for line in seg.body:
        if line.start in covered or not ("）" in line.text or "：" in line.text):
            continue
        if find_annotations(text, line.start, line.end, context):
            row = text.count("\n", 0, line.start) + 1  # the line number: unique beside table rows
            found.append(Section(None, 0, _first_sentence(line.text) or line.text[:30], line.start, line.end,
                                 line.start, [line], path=(0, row)))
    return found


def _heading_measure(section: Section, ancestors: list[Section]) -> bool:
    """An item under a 主要任务-like heading is a measure even without a responsibility annotation,
    unless it is an article of a regulation or a fragment of an enumeration (``…信息；``)."""
    return (not section.children and bool(section.title) and section.title[-1] not in "；;，,、"
            and not any(a.marker and a.marker.kind in ("chapter", "article") for a in ancestors))


def _measures(norm: NormalisedText, sections, context: str | None, rules: Rules | None = None,
              headings: bool = True, column: str | None = None) -> list[Measure]:
    """The measures of the numbered sections. ``column``: the party column (责任单位) of a table whose
    rows are printed one cell a line, if the document has one: then a row's own line listing only
    names gives its parties."""
    text = norm.text
    rules = rules or Rules()
    measures: list[Measure] = []
    first_leads = False
    ancestors: list[Section] = []
    for section in sections:
        ancestors = [a for a in ancestors if a.level < section.level] + [section]
        if any(a.marker and a.marker.kind in ("chapter", "article") for a in ancestors):
            continue  # articles of a regulation or decree state law, not tasks
        own_end = _own_end(section)
        annotations = _merge_adjacent(text, find_annotations(text, section.start, own_end, context))
        path = ".".join(map(str, section.path))
        heading = next((a.title for a in ancestors[:-1] if MEASURE_HEADING.search(a.title)), "")
        if not annotations and column and not section.children:
            annotations = _party_cell(text, section, column, context)
        if not annotations:
            if headings and heading and _heading_measure(section, ancestors) and text[
                    section.body_start:own_end].strip():
                # a party stated once for every later measure (以下均需…落实，不再列出) holds here too
                stated = add_default([], rules.default_at(section.start))
                measures.append(_measure(norm, f"m{path}", section, section.body_start, own_end, stated, heading))
            continue
        chunk_start = section.body_start
        for i, ann in enumerate(annotations):
            first_leads = first_leads or ann.states_first_leads or rules.first_leads_at(ann.start)
            resp = apply_first_leads(ann.responsibilities) if first_leads else ann.responsibilities
            default = rules.default_at(ann.end)  # a default stated inside this annotation holds for it too
            if default:
                resp = add_default(resp, default)
            mid = f"m{path}" if len(annotations) == 1 else f"m{path}-{i + 1}"
            end = _single_end(text, ann, own_end) if len(annotations) == 1 else ann.end
            # several annotations: each covers its own sentences (the first one also the heading)
            span_start = section.start if len(annotations) == 1 or i == 0 else chunk_start
            m = _measure(norm, mid, section, chunk_start, end, resp, heading, annotations, span_start)
            if len(annotations) > 1:
                m.title = _first_sentence(text[chunk_start:ann.start]) or section.title
            m.read_from = [(ann.start, ann.end)]
            measures.append(m)
            chunk_start = ann.end
    return measures


def _party_cell(text: str, section: Section, column: str, context: str | None) -> list[Annotation]:
    """``2.纳入…补贴的企业…`` / ``市经信局、市财政局等，各县、市、区政府`` under a 责任单位 column: the
    item's first own line that lists names only is its 责任单位 cell."""
    for line in section.lines[1:5]:
        cell = _cell(line)
        if cell.isdigit():  # the next row of a table printed one cell a line: not this item's cell
            break
        names = split_parties(cell)
        if not names or "。" in cell or not all(is_name_like(n) for n in names) or not any(
                is_org_like(n) for n in names):
            continue
        parsed = parse_statement(f"{column}：{cell}", context)
        return [Annotation(line.start, line.end, parsed[0], parsed[1])] if parsed else []
    return []


def _single_end(text: str, ann: Annotation, own_end: int) -> int:
    """A measure's one annotation closes it: unnumbered paragraphs after the annotation's paragraph
    (the document's closing remarks after its last item) are not part of it."""
    line_end = text.find("\n", ann.end, own_end)
    line_start = text.rfind("\n", 0, ann.start) + 1
    if "。" not in text[line_start:ann.start] and "；" not in text[line_start:ann.start]:
        return own_end  # （一）开展…行动（责任单位：…） on the title line: the paragraphs below are its text
    if line_end < 0 or not text[ann.end:line_end].strip("。；; "):
        return own_end if line_end < 0 else line_end
    return own_end


def _merge_adjacent(text: str, annotations: list[Annotation]) -> list[Annotation]:
    """``牵头单位：A`` and ``责任单位：B`` on consecutive lines are one statement."""
    merged: list[Annotation] = []
    for a in annotations:
        if merged and not text[merged[-1].end:a.start].strip("，,；;。 \n"):
            prev = merged[-1]
            merged[-1] = Annotation(prev.start, a.end, prev.responsibilities + a.responsibilities,
                                    prev.states_first_leads or a.states_first_leads)
        else:
            merged.append(a)
    return merged


def _first_sentence(text: str) -> str:
    m = re.match(r"\s*([^。！？；]{1,60})[。！？；]", text)
    return m.group(1) if m else ""


def _measure(norm: NormalisedText, mid: str, section: Section, start: int, end: int,
             resp: list[Responsibility], heading: str,
             annotations: Sequence[Annotation] = (), span_start: int | None = None) -> Measure:
    """The measure of text[start:end] (annotations cut out); its span runs from ``span_start``
    (default: the section's number) to ``end``."""
    text = norm.text
    parts, pos = [], start
    for a in annotations:
        if a.end <= start or a.start >= end:
            continue
        parts.append(text[pos:a.start])
        pos = a.end
    parts.append(text[pos:end])
    body = re.sub(r"\s*\n\s*", "", "".join(parts)).strip()
    title = section.title
    for a in annotations:  # （一）开展技能培训行动（责任单位：…）: the annotation is not part of the title
        if a.start >= section.start and a.end <= section.body_start:
            title = title.replace(text[a.start:a.end], "")
    title = title or _first_clause(body)
    if not body and section.title and annotations:  # （三）将…下放至自贸试验区。（负责部门：…）: one sentence
        body = section.title + "。"
    span_start = section.start if span_start is None else span_start
    return Measure(mid, section.number, title, body, resp, norm.to_original(span_start, end), section.path,
                   heading, norm_span=(span_start, end))


def _first_clause(text: str) -> str:
    """A title for an item printed without one: its first clause (借鉴北京市服务业扩大开放综合试点经验)."""
    m = re.match(r"\s*([^，。；：！？]{2,40})", text)
    return m.group(1) if m else text[:30]
