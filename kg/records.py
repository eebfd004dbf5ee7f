"""Typed answers of the knowledge graph (what queries return, as opposed to what parsing returns)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: Record class → its field names, in order.
_FIELDS: dict[type, tuple[str, ...]] = {}


class Record:
    def to_dict(self) -> dict[str, Any]:
        """The record as plain data, as ``dataclasses.asdict`` gives it (nested records as dicts, lists
        and tuples copied), without its deep copies of every string (10 000 documents: 0.6 s → 0.1 s)."""
        names = _FIELDS.get(type(self))
        if names is None:
            names = _FIELDS[type(self)] = tuple(f.name for f in fields(self))  # type: ignore[arg-type]
        return {name: _as_data(getattr(self, name)) for name in names}


def _as_data(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value  # immutable: asdict's deep copy returns it as it is
    if isinstance(value, Record):
        return value.to_dict()
    if kind is list:
        return [_as_data(v) for v in value]
    if kind is tuple:
        return tuple(_as_data(v) for v in value)
    if kind is dict:
        return {_as_data(k): _as_data(v) for k, v in value.items()}
    import copy
    return copy.deepcopy(value)


@dataclass(frozen=True)
class RoleRecord(Record):
    """One organisation's part in a measure."""

    name: str  # canonical Chinese name
    role: str  # lead | responsible | support | guide
    mention: str  # as printed
    en: str | None
    iri: str


@dataclass
class MeasureRecord(Record):
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
class DepartmentRecord(Record):
    iri: str
    name: str
    en: str | None
    jurisdiction: str | None
    short: list[str]
    in_registry: bool
    measures: int  # measures it has any role in
    leads: int  # measures it leads


@dataclass
class TargetRecord(Record):
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
    min_value: float | int | None = None  # 不少于 / 以上 / the low end of a range (16—24岁)
    max_value: float | int | None = None  # 以内 / 不超过 / the high end of a range
    #: numbers of the measures a target stated outside every measure (主要目标) is about
    related: list[str] = field(default_factory=list)

    @property
    def amount(self) -> str:
        """The target value as read: ``≥5000场次``, ``16—24岁``, ``0``."""
        if self.value is None and self.min_value is not None and self.max_value is not None:
            return f"{_plain(self.min_value)}—{_plain(self.max_value)}{self.unit}"
        sign = {">=": "≥", "<=": "≤", ">": ">", "~": "约"}.get(self.comparator, "")
        return f"{sign}{_plain(self.value)}{self.unit}"

    @property
    def measures(self) -> str:
        """Its measure's number, else the related measures' (marked ≈: linked by topic, not by place)."""
        return self.measure or "、".join(f"≈{n}" for n in self.related)


def _plain(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@dataclass
class DeadlineRecord(Record):
    iri: str
    document: str
    date: str
    what: str
    obligated: list[str]
    submit_to: str | None
    text: str
    measure: str | None
    span: tuple[int, int]
    precision: str = ""  # day | month | quarter | half-year | year
    period: str | None = None  # 2019-Q1 / 2019-H1
    recurrence: str | None = None  # P1Y (每年)
    relative_to: str | None = None  # 本意见印发之日起30日内

    @property
    def due(self) -> str:
        """The date as read: ``2019-H1``, ``2019-02 起每年``, ``2023-06-17（本意见印发之日起30日内）``."""
        text = self.period or self.date
        if self.recurrence:
            text += {"P1Y": " 起每年", "P6M": " 起每半年", "P3M": " 起每季度"}.get(self.recurrence, f" 起每 {self.recurrence}")
        if self.relative_to:
            text += f"（{self.relative_to}）"
        return text


@dataclass
class ConditionRecord(Record):
    iri: str
    document: str
    text: str
    governs: str
    any_of: list[str]
    measure: str | None
    measure_iri: str | None
    owners: list[str]  # departments of the measure it belongs to, as the measure lists them
    span: tuple[int, int]


@dataclass
class DocumentRecord(Record):
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
