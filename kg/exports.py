"""Exports for people and other tools: GraphML / GEXF, the 任务分工表 (CSV, XLSX, Markdown), iCalendar.

Everything is built from the knowledge graph's public queries (and the networkx graph of
:mod:`policykg.render`), never by re-reading documents.

The 任务分工表 (task-division table) has one row per measure: 序号, 任务, 牵头单位, 责任/配合单位,
完成时限, 目标, 文号. Conventions, stated in the table's notes:

* 牵头单位: the departments the document names as lead (牵头). When it names none — e.g. it lists only
  责任单位, as 桂人社发〔2023〕32号 does — the first-listed unit is shown, marked ``（列首）``: Chinese
  notices conventionally list the lead first, but the document does not say so.
* 完成时限: the measure's own deadlines; when it has none, the document-wide deadlines (such as the
  dates for reporting a work summary), since they bind every responsible unit.
* 目标: targets tied to the measure (``pkg:measure`` or ``pkg:relatedMeasure``); targets stated for
  the document as a whole (主要目标) are listed in a section of their own.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Callable

from .errors import InputError
from .roles import ROLE_ZH

if TYPE_CHECKING:
    from .reader import GraphReader

FIRST_LISTED = "（列首）"
TASK_HEADERS = ["序号", "任务", "牵头单位", "责任/配合单位", "完成时限", "目标", "文号"]
NOTES = [
    f"牵头单位：文件未明确牵头单位时，列出排在第一位的责任单位并标注“{FIRST_LISTED}”（惯例，非原文明确）。",
    "完成时限：措施本身无时限时，列出全文统一的报送时限。",
    "目标：仅列与该措施关联的量化目标；全文总体目标见“总体目标”。",
]


# ----------------------------------------------------------------------------------------------
# graph formats
# ----------------------------------------------------------------------------------------------
def _plain_graph(kg: "GraphReader", document: str | None = None):
    from .render import full_graph, responsibility_graph
    g = responsibility_graph(kg, document=document) if document else full_graph(kg)
    for _, a in g.nodes(data=True):  # one type per attribute key (GraphML declares keys with types)
        if "value" in a:
            a["value"] = float(a["value"])
    return g


def graphml(kg: "GraphReader", document: str | None = None) -> str:
    """Departments, measures, targets, deadlines, conditions and documents as GraphML (yEd, Gephi);
    ``document``: only that document's facts and their departments."""
    import networkx as nx
    return "\n".join(nx.generate_graphml(_plain_graph(kg, document), prettyprint=True)) + "\n"


def gexf(kg: "GraphReader", document: str | None = None) -> str:
    """The same graph as GEXF 1.2 (Gephi), with colours, sizes and shapes in ``viz``."""
    import networkx as nx

    from .render import KINDS
    g = _plain_graph(kg, document)
    shapes = {"dot": "disc", "box": "square", "square": "square", "diamond": "diamond", "triangle": "triangle",
              "hexagon": "disc"}
    for _, a in g.nodes(data=True):
        k = KINDS[a["kind"]]
        rgb = k["color"].lstrip("#")
        a["viz"] = {"color": {"r": int(rgb[0:2], 16), "g": int(rgb[2:4], 16), "b": int(rgb[4:6], 16), "a": 1.0},
                    "size": float(a.get("size", 14)), "shape": shapes.get(k["shape"], "disc")}
    return "\n".join(nx.generate_gexf(g, version="1.2draft", prettyprint=True)) + "\n"


# ----------------------------------------------------------------------------------------------
# the task-division table
# ----------------------------------------------------------------------------------------------
@dataclass
class TaskRow:
    seq: int
    task: str
    lead: list[str]  # names; a first-listed stand-in carries the FIRST_LISTED mark
    others: list[str]  # names, with （配合）/（指导） where the role says so
    deadlines: list[str]
    targets: list[str]
    document: str
    measure_iri: str

    def cells(self) -> list[str | int]:
        return [self.seq, self.task, "、".join(self.lead), "、".join(self.others), "；".join(self.deadlines),
                "；".join(self.targets), self.document]


@dataclass
class TaskTable:
    """One document's 任务分工表, its department × measure matrix and its document-wide targets."""

    document: str = ""  # 文号 (or title of a document without one)
    title: str = ""
    rows: list[TaskRow] = field(default_factory=list)
    matrix_headers: list[str] = field(default_factory=list)
    matrix: list[list[str | int]] = field(default_factory=list)
    targets_headers: list[str] = field(default_factory=lambda: ["文号", "指标", "目标值", "期限", "原文"])
    document_targets: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=lambda: list(NOTES))

    @property
    def label(self) -> str:
        """``桂人社发〔2023〕32号 关于印发…的通知``: what a section of a multi-document export is headed by."""
        return f"{self.document} {self.title}".strip() if self.title != self.document else self.document


def _target_text(t) -> str:
    return f"{t.indicator}{t.amount}"


def task_tables(kg: "GraphReader", document: str | None = None) -> list[TaskTable]:
    """The 任务分工表 of every stored document (or of ``document``: 文号 or title), one table each, in
    文号 order: rows of different documents are never mixed (see the module docstring)."""
    from .render import related_targets
    measures = kg.measures(document=document)  # raises DocumentNotFound for an unknown document
    targets = kg.targets()
    deadlines = kg.deadlines()
    related = related_targets(kg)
    targets_of: dict[str, list] = {}
    tied: set[str] = set()
    by_iri = {t.iri: t for t in targets}
    for t in targets:
        if t.measure_iri:
            targets_of.setdefault(t.measure_iri, []).append(t)
            tied.add(t.iri)
    for t_iri, m_iri in related:
        if t_iri in by_iri and by_iri[t_iri] not in targets_of.get(m_iri, []):
            targets_of.setdefault(m_iri, []).append(by_iri[t_iri])
            tied.add(t_iri)
    titles = {d.doc_number or d.title: d.title for d in kg.documents() if not d.stub}
    departments = kg.departments()
    # deadlines, measures and targets grouped by document once: looked up per measure in lists of
    # every document's, they made the table quadratic (10 000 documents: minutes)
    own: dict[tuple[str, str], list] = {}
    wide: dict[str, list] = {}  # the document-wide deadlines, naming no measure
    for x in deadlines:
        if x.measure is not None:
            own.setdefault((x.document, x.measure), []).append(x)
        if not x.measure:
            wide.setdefault(x.document, []).append(x)
    measures_of: dict[str, list] = {}
    for m in measures:
        measures_of.setdefault(m.document, []).append(m)
    untied: dict[str, list] = {}
    for t in targets:
        if t.iri not in tied:
            untied.setdefault(t.document, []).append(t)

    tables: dict[str, TaskTable] = {}
    for m in measures:
        table = tables.get(m.document)
        if table is None:
            table = tables[m.document] = TaskTable(m.document, titles.get(m.document, ""))
        leads = [r.name for r in m.responsibilities if r.role == "lead"]
        rest = [r for r in m.responsibilities if r.role != "lead"]
        if not leads and rest:
            leads = [rest[0].name + FIRST_LISTED]
            rest = rest[1:]
        others = [r.name + ("" if r.role == "responsible" else f"（{ROLE_ZH.get(r.role, r.role)}）") for r in rest]
        due = own.get((m.document, m.number)) or wide.get(m.document, [])
        # the same quantity stated in the goals and in the measure is one cell, not two
        goals = list(dict.fromkeys(_target_text(t) for t in targets_of.get(m.iri, [])))
        table.rows.append(TaskRow(len(table.rows) + 1, f"{m.number}{m.title}", leads, others,
                                  _deadline_cells(due), goals, m.document, m.iri))

    for table in tables.values():
        doc_measures = measures_of[table.document]
        table.matrix_headers = ["部门"] + [f"{m.number}{m.title}" for m in doc_measures] + ["合计"]
        named = {r.iri for m in doc_measures for r in m.responsibilities}
        for d in departments:
            if d.iri not in named:
                continue
            roles_per_measure = [[r.role for r in m.responsibilities if r.iri == d.iri] for m in doc_measures]
            if any(roles_per_measure):  # only the departments this document gives a role
                table.matrix.append([d.name] + ["、".join(ROLE_ZH.get(r, r) for r in roles)
                                                for roles in roles_per_measure]
                                    + [sum(1 for roles in roles_per_measure if roles)])
        table.matrix.sort(key=lambda row: -int(row[-1]))  # stable: ties keep the departments' order
        table.document_targets = [[t.document, t.indicator, _target_text(t)[len(t.indicator):], t.period or "", t.text]
                                  for t in untied.get(table.document, [])]
    return sorted(tables.values(), key=lambda t: t.document)


def task_table(kg: "GraphReader", document: str | None = None) -> TaskTable:
    """The 任务分工表 of ``document`` (文号 or title); without one, of the only stored document."""
    tables = task_tables(kg, document)
    if len(tables) > 1:
        raise InputError("document", "several documents are stored; name one (文号 or title), "
                                     "or use task_tables for all: " + "、".join(t.document for t in tables))
    return tables[0] if tables else TaskTable()


def _deadline_cells(deadlines) -> list[str]:
    """``2023-07-15、2024-01-15 报送工作总结…``: dates grouped by what is due."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for d in deadlines:
        groups.setdefault((d.what, d.submit_to), []).append(d.date)
    out = []
    for (what, to), dates in groups.items():
        verb = f"报送{what}" if to else what
        out.append(f"{'、'.join(dates)} {verb}".strip())
    return out


def matrix_csv(kg: "GraphReader", document: str | None = None) -> str:
    """The 任务分工表, a blank line, the department × measure matrix, a blank line, the overall targets;
    with several documents, one such block per document, each headed by a row naming it.

    UTF-8 with a byte-order mark so that Excel shows the Chinese correctly.
    """
    tables = task_tables(kg, document)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for i, t in enumerate(tables):
        if len(tables) > 1:
            w.writerows(([[]] if i else []) + [[f"文件：{t.label}"]])
        w.writerow(TASK_HEADERS)
        for rows in ([r.cells() for r in t.rows], [[], t.matrix_headers], t.matrix,
                     [[], t.targets_headers] + t.document_targets if t.document_targets else []):
            w.writerows([_xlsx_safe(v) for v in row] for row in rows)
    return "\ufeff" + buf.getvalue()


def _md_cell(value) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace("&lt;br&gt;", "<br>")
    return text or " "


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def matrix_md(kg: "GraphReader", document: str | None = None) -> str:
    """The 任务分工表 and the matrix as Markdown tables (cells escaped: ``|``, ``<``, ``>``); with several
    documents, one section per document headed by its 文号 and title."""
    tables = task_tables(kg, document)
    several = len(tables) > 1
    out = ["# 重点任务分工表"]
    for t in tables:
        h = "###" if several else "##"
        out += ([""] + [f"## {_md_cell(t.label)}"] if several else []) + [""]
        out += _md_table(TASK_HEADERS, [r.cells() for r in t.rows])
        out += ["", f"{h} 部门 × 任务矩阵", ""] + _md_table(t.matrix_headers, t.matrix)
        if t.document_targets:
            out += ["", f"{h} 总体目标", ""] + _md_table(t.targets_headers, t.document_targets)
    out += ["", "## 说明", ""] + [f"- {n}" for n in NOTES]
    return "\n".join(out) + "\n"


def matrix_xlsx(kg: "GraphReader", document: str | None = None) -> bytes:
    """An Excel workbook: sheets 任务分工表, 部门矩阵, 总体目标 (and the notes under the table); with
    several documents, each sheet holds one block per document, headed by a bold row naming it."""
    from .xlsx import Sheet, Style, workbook

    tables = task_tables(kg, document)
    several = len(tables) > 1
    label = Style(bold=True, size=12)
    head = Style(bold=True, fill="DDEBF7", wrap=True, vertical="center")
    wrap = Style(wrap=True, vertical="top")

    def block(ws: Sheet, t: TaskTable, headers, rows) -> None:
        if several:
            if ws.rows:
                ws.append([])
            ws.append([f"文件：{t.label}"], label)
        ws.append(list(headers), head)
        for row in rows:
            ws.append([_xlsx_safe(v) for v in row], wrap)

    def finish(ws: Sheet, widths: Callable[[int], int]) -> None:
        for i in range(1, max(ws.max_column, 1) + 1):
            ws.widths[i] = widths(i)
        if not several:
            ws.freeze = "B2"

    ws = Sheet("任务分工表")
    task_widths = {1: 6, 2: 34, 3: 30, 4: 60, 5: 34, 6: 40, 7: 22}
    for t in tables:
        block(ws, t, TASK_HEADERS, [r.cells() for r in t.rows])
    finish(ws, lambda i: task_widths.get(i, 20))
    ws.append([])
    for note in ["说明"] + NOTES:
        ws.append([None, note])
    matrix = Sheet("部门矩阵")
    for t in tables:
        block(matrix, t, t.matrix_headers, t.matrix)
    finish(matrix, lambda i: 34 if i == 1 else 14)
    goals = Sheet("总体目标")
    for t in tables:
        if t.document_targets or not several:
            block(goals, t, t.targets_headers, t.document_targets)
    finish(goals, lambda i: {1: 22, 2: 40, 3: 14, 4: 8, 5: 60}.get(i, 20))
    return workbook([ws, matrix, goals])


def _xlsx_safe(value):
    """Text that starts like a formula stays text (``=HYPERLINK(...)`` from a document is not run)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# ----------------------------------------------------------------------------------------------
# iCalendar (RFC 5545), written by hand
# ----------------------------------------------------------------------------------------------
def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line to at most 75 octets per line, never inside a UTF-8 character (§3.1)."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + n > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out)


def _due_date(value: str) -> tuple[date, str]:
    """A deadline's date; a month (2023-07) or a year (2023) means its last day."""
    import calendar
    parts = [int(p) for p in value[:10].split("-")]
    if len(parts) == 3:
        return date(*parts), ""
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1]), "（原文只写到月，取月末）"
    return date(parts[0], 12, 31), "（原文只写到年，取年末）"


def ics(kg: "GraphReader", stamp: datetime | None = None, document: str | None = None) -> str:
    """The deadlines (of ``document``, or all) as an iCalendar file: one all-day event each, saying what
    is due, by whom, to whom."""
    import hashlib
    from datetime import timedelta
    dtstamp = (stamp or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//policykg//deadlines//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:" + _ics_text("政策文件完成时限")]
    for d in kg.deadlines(document=document):
        day, approx = _due_date(d.date)
        uid = hashlib.sha1(d.iri.encode("utf-8")).hexdigest()[:24] + "@policykg"
        who = "、".join(d.obligated) or "（未列明）"
        summary = f"{d.what or '完成时限'}" + (f" → 报送{d.submit_to}" if d.submit_to else "")
        description = "\n".join([f"事项：{d.what or '（未列明）'}", f"报送单位：{who}",
                                 f"报送至：{d.submit_to or '（未列明）'}",
                                 f"文件：{d.document}" + (f" {d.measure}" if d.measure else ""),
                                 f"截止：{d.date}{approx}", f"原文：{d.text}"])
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{dtstamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                  "SUMMARY:" + _ics_text(summary), "DESCRIPTION:" + _ics_text(description),
                  "CATEGORIES:" + _ics_text("完成时限"), "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


#: Formats this module adds to ``KnowledgeGraph.export`` / ``policykg export --format``.
FORMATS: dict[str, Callable[..., str | bytes]] = {
    "graphml": graphml, "gexf": gexf, "matrix-csv": matrix_csv, "matrix-xlsx": matrix_xlsx,
    "matrix-md": matrix_md, "ics": ics,
}
BINARY_FORMATS = {"matrix-xlsx"}


def export(kg: "GraphReader", format: str, document: str | None = None) -> str | bytes:  # noqa: A002
    """One of :data:`FORMATS` (of ``document`` only, when given): text for all, bytes for ``matrix-xlsx``."""
    if format not in FORMATS:
        raise InputError(f"unknown export format '{format}'", f"choose from {', '.join(FORMATS)}")
    return FORMATS[format](kg, document=document)
