"""What each page of ``policykg serve`` shows, assembled from the library's public queries.

Plain data for the templates: text stays text (the templates escape it); highlighted text is a list
of (text, class) segments, never markup.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from policykg.errors import InputError, NotFound

if TYPE_CHECKING:
    from policykg.knowledge import KnowledgeGraph
    from policykg.records import DocumentRecord, MeasureRecord

ROLE_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合", "guide": "指导"}
KIND_ZH = {"measure": "措施", "target": "目标", "deadline": "时限", "condition": "条件", "paragraph": "段落"}
Segments = list[tuple[str, str | None]]


def segments(text: str, spans: list[tuple[int, int, str]]) -> Segments:
    """``text`` cut at the given (start, end, css class) spans; overlapping spans: the first wins."""
    out: Segments = []
    pos = 0
    for start, end, cls in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], cls))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def source_text(kg: "KnowledgeGraph", document_iri: str) -> str:
    """The original text of a stored document (spans of its facts index into it)."""
    rows = kg.store.select(f"SELECT ?t WHERE {{ <{document_iri}> pkg:sourceText ?t }} LIMIT 1")
    return rows[0]["t"] if rows else ""


def document_record(kg: "KnowledgeGraph", name: str) -> "DocumentRecord":
    """A stored document by IRI, 文号 or title."""
    iri = kg.document_iri(name)
    return next(d for d in kg.documents() if d.iri == iri)


SENTENCE_END = "。！？；"


def sentences(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[bool, Segments]]:
    """``text`` as sentences, each (in focus?, its segments): a sentence is in focus when a span
    of class ``hit`` or ``focus`` falls in it (the sentence a visitor came to see)."""
    out = []
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or i == len(text) - 1:
            end = i + 1
            inside = [(max(a, start) - start, min(b, end) - start, c) for a, b, c in spans if a < end and b > start]
            focus = any("hit" in c.split() or "focus" in c.split() for _, _, c in inside)
            out.append((focus, segments(text[start:end], inside)))
            start = end
    return out


@dataclass
class MeasurePage:
    measure: "MeasureRecord"
    document_iri: str
    source: list[tuple[bool, Segments]]  # sentences: (in focus?, segments)
    targets: list = field(default_factory=list)  # stated in the measure
    related_targets: list = field(default_factory=list)  # stated elsewhere, linked by shared key terms
    deadlines: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    focus: str | None = None  # IRI of the fact the visitor came for


def measure_page(kg: "KnowledgeGraph", measure_iri: str, focus: str | None = None,
                 words: Sequence[str] = ()) -> MeasurePage:
    """A measure: its source text with the spans of its targets, deadlines, conditions and the
    departments as printed highlighted; ``focus`` (a fact IRI) and ``words`` (a search's matches)
    marked, with the sentences holding them in focus."""
    document_iri = measure_iri.split("/measure/")[0]
    found = [m for m in kg.measures(document=document_iri) if m.iri == measure_iri]
    if not found:
        raise NotFound(f"no measure <{measure_iri}>")
    m = found[0]
    start, end = m.span
    related = {r["t"] for r in kg.store.select(f"SELECT ?t WHERE {{ ?t pkg:relatedMeasure <{m.iri}> }}")}
    all_targets = kg.targets(document=document_iri)
    targets = [t for t in all_targets if t.measure_iri == m.iri]
    deadlines = [d for d in kg.deadlines(document=document_iri) if d.measure == m.number]
    conditions = [c for c in kg.conditions(document=document_iri) if c.measure_iri == m.iri]
    spans = []
    for kind, facts in (("target", targets), ("deadline", deadlines), ("condition", conditions)):
        for f in facts:
            if start <= f.span[0] < end:
                cls = f"fact {kind}" + (" focus" if f.iri == focus else "")
                spans.append((f.span[0] - start, f.span[1] - start, cls))
    text = source_text(kg, document_iri)[start:end] or m.text
    for r in m.responsibilities:
        at = text.rfind(r.mention)
        if at >= 0:
            spans.append((at, at + len(r.mention), f"party {r.role}"))
    for word in {w for w in words if w.strip()}:
        at = text.find(word)
        while at >= 0:
            spans.append((at, at + len(word), "hit"))
            at = text.find(word, at + len(word))
    return MeasurePage(m, document_iri, sentences(text, spans), targets,
                       [t for t in all_targets if t.iri in related], deadlines, conditions, focus)


@dataclass
class FactPage:
    fact: Any  # policykg.ingest.FactRecord
    sentence: Segments
    measures: list  # MeasureRecords it relates to by shared key terms


def fact_page(kg: "KnowledgeGraph", iri: str, words: Sequence[str] = ()) -> FactPage | MeasurePage:
    """A fact: the page of its measure with the fact in focus when it belongs to one, else the
    sentence it was read from with the fact's own words highlighted."""
    fact = kg.fact(iri)
    props = dict(fact.properties)
    if fact.iri.rsplit("/", 2)[-2] == "measure":  # …/doc/桂人社发-2023-32/measure/2.4
        return measure_page(kg, fact.iri, words=words)
    if "pkg:measure" in props:
        return measure_page(kg, props["pkg:measure"], focus=fact.iri, words=words)
    at = fact.sentence.find(fact.quote) if fact.quote else -1
    spans = [(at, at + len(fact.quote), "fact focus")] if at >= 0 else []
    related = {v for k, v in fact.properties if k == "pkg:relatedMeasure"}
    measures = [m for m in kg.measures(document=fact.document_iri) if m.iri in related] if related else []
    return FactPage(fact, segments(fact.sentence, spans), measures)


@dataclass
class DepartmentPage:
    name: str
    en: str | None
    measures_by_role: dict[str, list]  # role (zh) → measures
    targets: list
    deadlines: list
    co_departments: list[tuple[str, int]]  # (name, measures shared)


def department_page(kg: "KnowledgeGraph", name: str) -> DepartmentPage:
    """A department (any name form): its measures by role, the targets of those measures, the
    deadlines it must meet, and the departments it shares measures with."""
    org = kg.resolve_department(name)
    measures = kg.measures(owner=org.name)
    by_role: dict[str, list] = {}
    co: dict[str, int] = {}
    for m in measures:
        roles = {r.role for r in m.responsibilities if r.name == org.name}
        for role in ("lead", "responsible", "support", "guide"):
            if role in roles:
                by_role.setdefault(ROLE_ZH[role], []).append(m)
        for other in {r.name for r in m.responsibilities if r.name != org.name}:
            co[other] = co.get(other, 0) + 1
    deadlines = [d for d in kg.deadlines() if org.name in d.obligated or d.submit_to == org.name
                 or any(d.document == m.document and d.measure == m.number for m in measures)]
    return DepartmentPage(org.name, org.en, by_role, kg.targets(owner=org.name), deadlines,
                          sorted(co.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class DocumentPage:
    document: "DocumentRecord"
    table: Any  # policykg.exports.TaskTable
    deadlines: list


def document_page(kg: "KnowledgeGraph", name: str) -> DocumentPage:
    """A stored document: its 任务分工表 and its deadlines."""
    from policykg.exports import task_table
    document = document_record(kg, name)
    return DocumentPage(document, task_table(kg, document.iri), kg.deadlines(document=document.iri))


#: Downloads of a document page: export format, media type, file name ending.
DOWNLOADS = {
    "xlsx": ("matrix-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "任务分工表.xlsx"),
    "csv": ("matrix-csv", "text/csv; charset=utf-8", "任务分工表.csv"),
    "ics": ("ics", "text/calendar; charset=utf-8", "完成时限.ics"),
}


def document_download(kg: "KnowledgeGraph", name: str, fmt: str) -> tuple[bytes, str, str]:
    """A document's 任务分工表 (``xlsx`` / ``csv``) or deadlines (``ics``), as ``policykg export
    --doc`` writes them: bytes, media type, file name."""
    if fmt not in DOWNLOADS:
        raise InputError("format", f"no download '{fmt}' (xlsx, csv or ics)")
    export_format, media, ending = DOWNLOADS[fmt]
    document = document_record(kg, name)
    data = kg.export(export_format, document=document.iri)
    stem = "".join(c if c.isalnum() else "-" for c in document.doc_number or document.title).strip("-") or "document"
    return (data if isinstance(data, bytes) else data.encode("utf-8")), media, f"{stem}-{ending}"


def highlighted(hit) -> Segments:
    """A search hit's snippet with its matches marked."""
    return segments(hit.snippet, [(s, e, "hit") for s, e in hit.marks])


def hit_link(hit) -> str:
    """Where a search hit leads: its fact's page, with the matched words to highlight there."""
    from urllib.parse import urlencode
    words = sorted({hit.snippet[s:e] for s, e in hit.marks})
    return "/fact?" + urlencode([("iri", hit.iri)] + [("hl", w) for w in words])
