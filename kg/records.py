"""Typed answers of the knowledge graph (what queries return, as opposed to what parsing returns)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class RoleRecord(_Record):
    """One organisation's part in a measure."""

    name: str  # canonical Chinese name
    role: str  # lead | responsible | support | guide
    mention: str  # as printed
    en: str | None
    iri: str


@dataclass
class MeasureRecord(_Record):
    iri: str
    document: str  # 文号 (or title)
    number: str  # as printed: （四）
    title: str
    text: str
    path: str  # structural path: 2.4
    span: tuple[int, int]
    responsibilities: list[RoleRecord] = field(default_factory=list)

    @property
    def departments(self) -> list[str]:
        return [r.name for r in self.responsibilities]

    @property
    def leads(self) -> list[str]:
        return [r.name for r in self.responsibilities if r.role == "lead"]


@dataclass
class DepartmentRecord(_Record):
    iri: str
    name: str
    en: str | None
    jurisdiction: str | None
    short: list[str]
    in_registry: bool
    measures: int  # measures it has any role in
    leads: int  # measures it leads


@dataclass
class TargetRecord(_Record):
    iri: str
    document: str
    text: str
    indicator: str
    value: float | int
    unit: str
    comparator: str
    period: str | None
    measure: str | None  # number of the measure it belongs to
    measure_iri: str | None
    span: tuple[int, int]


@dataclass
class DeadlineRecord(_Record):
    iri: str
    document: str
    date: str
    what: str
    obligated: list[str]
    submit_to: str | None
    text: str
    measure: str | None
    span: tuple[int, int]


@dataclass
class ConditionRecord(_Record):
    iri: str
    document: str
    text: str
    governs: str
    any_of: list[str]
    measure: str | None
    measure_iri: str | None
    owners: list[str]  # departments of the measure it belongs to
    span: tuple[int, int]


@dataclass
class DocumentRecord(_Record):
    iri: str
    doc_number: str | None
    title: str
    date: str | None
    issuers: list[str]
    measures: int
    stub: bool  # known only from citations so far
    citations: list[str] = field(default_factory=list)  # documents it cites (文号, or title)
    cited_by: list[str] = field(default_factory=list)  # documents citing it
    source: str | None = None  # file name it was ingested from (None for a stub)
