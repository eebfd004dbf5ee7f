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

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph

ROLE_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合", "guide": "指导"}
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
def _plain_graph(kg: "KnowledgeGraph"):
    from .render import full_graph
    g = full_graph(kg)
    for _, a in g.nodes(data=True):  # one type per attribute key (GraphML declares keys with types)
        if "value" in a:
            a["value"] = float(a["value"])
    return g


def graphml(kg: "KnowledgeGraph") -> str:
    """Departments, measures, targets, deadlines, conditions and documents as GraphML (yEd, Gephi)."""
    import networkx as nx
    return "\n".join(nx.generate_graphml(_plain_graph(kg), prettyprint=True)) + "\n"


def gexf(kg: "KnowledgeGraph") -> str:
    """The same graph as GEXF 1.2 (Gephi), with colours, sizes and shapes in ``viz``."""
    import networkx as nx

    from .render import KINDS
    g = _plain_graph(kg)
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
    """The 任务分工表, the department × measure matrix and the document-wide targets."""

    rows: list[TaskRow] = field(default_factory=list)
    matrix_headers: list[str] = field(default_factory=list)
    matrix: list[list[str | int]] = field(default_factory=list)
    targets_headers: list[str] = field(default_factory=lambda: ["文号", "指标", "目标值", "期限", "原文"])
    document_targets: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=lambda: list(NOTES))


def _target_text(t) -> str:
    return f"{t.indicator}{t.amount}"


def task_table(kg: "KnowledgeGraph") -> TaskTable:
    """Build the 任务分工表 from the stored measures, deadlines and targets (see the module docstring)."""
    from .render import _related_targets
    measures = kg.measures()
    targets = kg.targets()
    deadlines = kg.deadlines()
    related = _related_targets(kg)
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

    table = TaskTable()
    for seq, m in enumerate(measures, 1):
        leads = [r.name for r in m.responsibilities if r.role == "lead"]
        rest = [r for r in m.responsibilities if r.role != "lead"]
        if not leads and rest:
            leads = [rest[0].name + FIRST_LISTED]
            rest = rest[1:]
        others = [r.name + ("" if r.role == "responsible" else f"（{ROLE_ZH.get(r.role, r.role)}）") for r in rest]
        own = [d for d in deadlines if d.document == m.document and d.measure == m.number]
        wide = [d for d in deadlines if d.document == m.document and not d.measure]
        table.rows.append(TaskRow(seq, f"{m.number}{m.title}", leads, others, _deadline_cells(own or wide),
                                  [_target_text(t) for t in targets_of.get(m.iri, [])], m.document, m.iri))

    departments = kg.departments()
    several_docs = len({m.document for m in measures}) > 1
    table.matrix_headers = ["部门"] + [(f"{m.document} " if several_docs else "") + f"{m.number}{m.title}"
                                       for m in measures] + ["合计"]
    for d in departments:
        cells: list[str | int] = [d.name]
        n = 0
        for m in measures:
            roles = [r.role for r in m.responsibilities if r.iri == d.iri]
            cells.append("、".join(ROLE_ZH.get(r, r) for r in roles))
            n += bool(roles)
        table.matrix.append(cells + [n])
    table.document_targets = [[t.document, t.indicator, _target_text(t)[len(t.indicator):], t.period or "", t.text]
                              for t in targets if t.iri not in tied]
    return table


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


def matrix_csv(kg: "KnowledgeGraph") -> str:
    """The 任务分工表, a blank line, the department × measure matrix, a blank line, the overall targets.

    UTF-8 with a byte-order mark so that Excel shows the Chinese correctly.
    """
    t = task_table(kg)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
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


def matrix_md(kg: "KnowledgeGraph") -> str:
    """The 任务分工表 and the matrix as Markdown tables (cells escaped: ``|``, ``<``, ``>``)."""
    t = task_table(kg)
    out = ["# 重点任务分工表", ""] + _md_table(TASK_HEADERS, [r.cells() for r in t.rows])
    out += ["", "## 部门 × 任务矩阵", ""] + _md_table(t.matrix_headers, t.matrix)
    if t.document_targets:
        out += ["", "## 总体目标", ""] + _md_table(t.targets_headers, t.document_targets)
    out += ["", "## 说明", ""] + [f"- {n}" for n in t.notes]
    return "\n".join(out) + "\n"


def matrix_xlsx(kg: "KnowledgeGraph") -> bytes:
    """An Excel workbook: sheets 任务分工表, 部门矩阵, 总体目标 (and the notes under the table)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    t = task_table(kg)
    wb = Workbook()
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(ws, headers, rows, widths: Callable[[int], int]):
        ws.append(headers)
        for c in ws[1]:
            c.font, c.fill, c.alignment = bold, head_fill, Alignment(wrap_text=True, vertical="center")
        for row in rows:
            ws.append([_xlsx_safe(v) for v in row])
        for i in range(1, len(headers) + 1):
            ws.column_dimensions[get_column_letter(i)].width = widths(i)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = wrap
        ws.freeze_panes = "B2"

    ws = wb.active
    ws.title = "任务分工表"
    task_widths = {1: 6, 2: 34, 3: 30, 4: 60, 5: 34, 6: 40, 7: 22}
    sheet(ws, TASK_HEADERS, [r.cells() for r in t.rows], lambda i: task_widths.get(i, 20))
    ws.append([])
    for note in ["说明"] + t.notes:
        ws.append([None, note])
    sheet(wb.create_sheet("部门矩阵"), t.matrix_headers, t.matrix, lambda i: 34 if i == 1 else 14)
    sheet(wb.create_sheet("总体目标"), t.targets_headers, t.document_targets,
          lambda i: {1: 22, 2: 40, 3: 14, 4: 8, 5: 60}.get(i, 20))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
    out, current, size = [], [], 0
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


def ics(kg: "KnowledgeGraph", stamp: datetime | None = None) -> str:
    """The deadlines as an iCalendar file: one all-day event each, saying what is due, by whom, to whom."""
    import hashlib
    from datetime import timedelta
    stamp = (stamp or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//policykg//deadlines//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:" + _ics_text("政策文件完成时限")]
    for d in kg.deadlines():
        day, approx = _due_date(d.date)
        uid = hashlib.sha1(d.iri.encode("utf-8")).hexdigest()[:24] + "@policykg"
        who = "、".join(d.obligated) or "（未列明）"
        summary = f"{d.what or '完成时限'}" + (f" → 报送{d.submit_to}" if d.submit_to else "")
        description = "\n".join([f"事项：{d.what or '（未列明）'}", f"报送单位：{who}",
                                 f"报送至：{d.submit_to or '（未列明）'}",
                                 f"文件：{d.document}" + (f" {d.measure}" if d.measure else ""),
                                 f"截止：{d.date}{approx}", f"原文：{d.text}"])
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                  "SUMMARY:" + _ics_text(summary), "DESCRIPTION:" + _ics_text(description),
                  "CATEGORIES:" + _ics_text("完成时限"), "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


#: Formats this module adds to ``KnowledgeGraph.export`` / ``policykg export --format``.
FORMATS: dict[str, Callable[["KnowledgeGraph"], str | bytes]] = {
    "graphml": graphml, "gexf": gexf, "matrix-csv": matrix_csv, "matrix-xlsx": matrix_xlsx,
    "matrix-md": matrix_md, "ics": ics,
}
BINARY_FORMATS = {"matrix-xlsx"}


def export(kg: "KnowledgeGraph", format: str) -> str | bytes:  # noqa: A002 - mirrors the CLI option
    """One of :data:`FORMATS`: text for all, bytes for ``matrix-xlsx``."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format '{format}'; choose from {', '.join(FORMATS)}")
    return FORMATS[format](kg)
