"""What extraction produces: a Document and its facts, each with a span in the original text."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policykg.ontology import Organisation

Span = tuple[int, int]  # [start, end) character offsets in the original text


@dataclass
class Party:
    """An organisation as a document names it: resolved (registry), new, or collective."""

    org: Organisation
    mention: str  # as printed
    collective: bool = False

    @property
    def name(self) -> str:
        return self.org.name


@dataclass
class Responsibility:
    party: Party
    role: str  # lead | responsible | support | guide

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.party.name, "mention": self.party.mention, "role": self.role,
                "org": self.party.org.id, "in_registry": self.party.org.in_registry,
                "collective": self.party.collective}


@dataclass
class Measure:
    id: str
    number: str
    title: str
    text: str
    responsibilities: list[Responsibility]
    span: Span
    path: tuple[int, ...] = ()
    section: str = ""  # the heading of the part it sits in (主要措施)
    #: ``span`` in the normalised text: extraction places targets, deadlines and conditions by it
    norm_span: Span = field(default=(0, 0), repr=False, compare=False)
    #: the annotations (normalised-text spans) its parties were read from
    read_from: list[Span] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "title": self.title, "text": self.text,
                "section": self.section,
                "responsibilities": [r.to_dict() for r in self.responsibilities],
                "span": list(self.span)}


@dataclass
class Target:
    id: str
    text: str
    indicator: str
    value: float | int | None  # None for a range (16—24岁): see min_value / max_value
    unit: str
    comparator: str  # >= | <= | = | ~ | > | between
    measure: str | None  # the measure whose text holds the target
    span: Span
    period: str | None = None  # the year it is set for (到2020年，… → 2020)
    min_value: float | int | None = None  # 不少于5000 → 5000; 16—24岁 → 16
    max_value: float | int | None = None  # 以内4.5 → 4.5; 16—24岁 → 24
    #: measures a target stated outside every measure (主要目标) is about, by shared key terms
    related_measures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "indicator": self.indicator, "value": self.value,
                "min": self.min_value, "max": self.max_value,
                "unit": self.unit, "comparator": self.comparator, "period": self.period,
                "measure": self.measure, "related_measures": self.related_measures, "span": list(self.span)}


@dataclass
class Deadline:
    id: str
    text: str
    date: str  # ISO: 2023-07-15, 2023-12 or 2023 (a quarter or half-year: the month it ends in)
    what: str
    obligated: list[Party]
    submit_to: Party | None
    measure: str | None
    span: Span
    precision: str = ""  # day | month | quarter | half-year | year
    #: the printed period for a quarter or half-year: 2019-Q1, 2019-H1
    period: str | None = None
    #: ISO 8601 interval of a recurring deadline (每年2月底前 → P1Y); ``date`` is its first occurrence
    recurrence: str | None = None
    #: a date counted from an event, as printed (本意见印发之日起30日内); ``date`` resolves it
    relative_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "date": self.date, "precision": self.precision,
                "period": self.period, "recurrence": self.recurrence, "relative_to": self.relative_to,
                "what": self.what, "obligated": [p.name for p in self.obligated],
                "submit_to": self.submit_to.name if self.submit_to else None,
                "measure": self.measure, "span": list(self.span)}


@dataclass
class Condition:
    id: str
    text: str
    governs: str
    any_of: list[str]
    measure: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "governs": self.governs, "any_of": self.any_of,
                "measure": self.measure, "span": list(self.span)}


@dataclass
class Citation:
    doc_number: str | None  # None: cited by title only (《…》)
    title: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"doc_number": self.doc_number, "title": self.title, "span": list(self.span)}


@dataclass
class Paragraph:
    """A body paragraph, kept for search and for quoting sources."""

    id: str
    text: str
    span: Span
    section: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unread:
    """An annotation-like span that produced no party."""

    line: int  # 1-based line of the original text
    text: str  # as printed
    span: Span  # in the original text

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "span": list(self.span)}


@dataclass
class Document:
    doc_number: str | None
    title: str
    issuers: list[Party]
    date: str | None
    jurisdiction: str | None
    recipients: list[Party] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    text: str = ""  # the original text; spans index into it
    source: str = ""  # file name or "<text>"
    encoding: str = ""
    #: annotation-like spans that gave no party (diagnostics.Unread): what the parser did not understand
    unread: list[Unread] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identifier: the 文号; without one, title, issuers and date together (two districts'
        ``2023年重点工作任务分工方案`` are two documents; the same copy ingested again is the same one)."""
        if self.doc_number:
            return self.doc_number
        if not self.title.strip():
            return ""
        return "｜".join(x for x in (self.title, "、".join(p.name for p in self.issuers), self.date or "") if x)

    def quote(self, span: Span) -> str:
        """The original text of a span."""
        return self.text[span[0]:span[1]]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_number": self.doc_number, "title": self.title,
                "issuers": [p.name for p in self.issuers], "date": self.date,
                "jurisdiction": self.jurisdiction,
                "recipients": [p.name for p in self.recipients],
                "measures": [m.to_dict() for m in self.measures],
                "targets": [t.to_dict() for t in self.targets],
                "deadlines": [d.to_dict() for d in self.deadlines],
                "conditions": [c.to_dict() for c in self.conditions],
                "citations": [c.to_dict() for c in self.citations],
                "not_understood": [u.to_dict() for u in self.unread],
                "source": self.source}
