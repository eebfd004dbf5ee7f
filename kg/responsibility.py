"""Who is responsible for a measure, as notices write it.

Handled forms (each has a test with a real example):
``（责任单位：A、B）`` · ``（A、B负责）`` · ``（A会同有关部门负责）`` · ``（A、B，各省级人民政府按职责分工负责）`` ·
``（牵头单位：A，配合单位：B、C）`` · ``（A牵头，B、C参与）`` · ``（A指导）`` · separate ``牵头单位：A`` /
``责任单位：B`` lines · the once-stated rule ``排在第一位的部门为牵头部门，下同``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.ontology import Registry, load_registry

from .model import Party, Responsibility
from .parties import is_org_like, resolve_list, split_parties

#: Labelled lists: ``牵头单位：`` → role of every party listed after it.
LABELS: dict[str, str] = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主责部门": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "实施单位": "responsible",
    "配合单位": "support", "配合部门": "support", "参与单位": "support", "协办单位": "support",
    "指导单位": "guide", "指导部门": "guide",
}
_LABEL = re.compile(rf"(?P<label>{'|'.join(sorted(LABELS, key=len, reverse=True))})\s*[：:]\s*")
#: Verbs after a party list: ``A、B负责`` → responsible.
VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:按职责分工|按照职责分工|分别|共同|依职责)?(?:负责|落实|承担)$"), "responsible"),
    (re.compile(r"牵头(?:负责|落实)?$"), "lead"),
    (re.compile(r"(?:参与|配合|协助|参加)$"), "support"),
    (re.compile(r"指导$"), "guide"),
]
#: The once-stated rule that the first-listed party leads, for the rest of the document.
FIRST_LEADS = re.compile(r"(?:排在|列|排名|排序)?第一(?:位|个)?的?(?:部门|单位|者)?(?:为|是)牵头")
_HUI_TONG = re.compile(r"^(?P<lead>.+?)会同(?P<rest>.+)$")
_PAREN = re.compile(r"（(?P<body>[^（）]*(?:（[^（）]*）[^（）]*)*)）")


@dataclass
class Annotation:
    """One responsibility statement found in the text."""

    start: int  # offsets in the normalised text
    end: int
    responsibilities: list[Responsibility]
    states_first_leads: bool = False


def parse_statement(body: str, context: str | None, registry: Registry | None = None
                    ) -> tuple[list[Responsibility], bool] | None:
    """Parse the inside of an annotation; None when it is not about responsibility."""
    registry = registry or load_registry()
    first_leads = bool(FIRST_LEADS.search(body))
    clauses = [c for c in re.split(r"[，,；;]\s*(?=[^，,；;]*(?:牵头|负责|参与|配合|指导|落实|单位|部门)"
                                   r"[：:]?)", body) if c]
    result: list[Responsibility] = []
    pending = ""  # a bare list whose verb follows in the next clause: A、B，各省级人民政府按职责分工负责
    for clause in clauses:
        if FIRST_LEADS.search(clause) or re.fullmatch(r"下同|以下同", clause):
            continue
        parsed = _clause(pending + clause, context, registry)
        if parsed is None:
            if pending or not all(is_org_like(m, registry) for m in split_parties(clause)):
                return None
            pending = clause + "、"
            continue
        pending = ""
        result.extend(parsed)
    if pending:
        return None
    if not result:
        return None
    return _dedupe(result), first_leads


def _clause(clause: str, context: str | None, registry: Registry) -> list[Responsibility] | None:
    clause = clause.strip().rstrip("。")
    labelled = list(_LABEL.finditer(clause))
    if labelled and labelled[0].start() == 0:
        out = []
        for i, m in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(clause)
            names = clause[m.end():end].strip("，,；; ")
            parties = _parties(names, context, registry)
            if parties is None:
                return None
            out += [Responsibility(p, LABELS[m.group("label")]) for p in parties]
        return out
    for pattern, role in VERBS:
        m = pattern.search(clause)
        if not m:
            continue
        names = clause[:m.start()].strip("，, ")
        hui = _HUI_TONG.match(names)
        if hui:  # A会同B负责: A leads, B supports
            lead = _parties(hui.group("lead"), context, registry)
            rest = _parties(hui.group("rest"), context, registry)
            if lead is None or rest is None:
                return None
            return [Responsibility(p, "lead") for p in lead] + [Responsibility(p, "support") for p in rest]
        parties = _parties(names, context, registry)
        if parties is None:
            return None
        return [Responsibility(p, role) for p in parties]
    return None


def _parties(names: str, context: str | None, registry: Registry) -> list[Party] | None:
    mentions = split_parties(names)
    if not mentions or not all(is_org_like(m, registry) for m in mentions):
        return None
    return resolve_list(names, context, registry)


def _dedupe(items: list[Responsibility]) -> list[Responsibility]:
    seen, out = set(), []
    for r in items:
        if r.party.org.id not in seen:
            seen.add(r.party.org.id)
            out.append(r)
    return out


def find_annotations(text: str, start: int, end: int, context: str | None,
                     registry: Registry | None = None) -> list[Annotation]:
    """Responsibility statements in text[start:end]: bracketed annotations and labelled lines."""
    found = []
    for m in _PAREN.finditer(text, start, end):
        parsed = parse_statement(m.group("body"), context, registry)
        if parsed:
            found.append(Annotation(m.start(), m.end(), parsed[0], parsed[1]))
    for m in re.finditer(r"^(?:%s)\s*[：:][^\n]*$" % "|".join(LABELS), text[start:end], re.M):
        if any(a.start <= start + m.start() < a.end for a in found):
            continue
        parsed = parse_statement(m.group(0), context, registry)
        if parsed:
            found.append(Annotation(start + m.start(), start + m.end(), parsed[0], parsed[1]))
    return sorted(found, key=lambda a: a.start)


def apply_first_leads(responsibilities: list[Responsibility]) -> list[Responsibility]:
    """Under a first-listed-leads rule the first party of a plain list is the lead."""
    if not responsibilities or any(r.role == "lead" for r in responsibilities):
        return responsibilities
    first = responsibilities[0]
    return [Responsibility(first.party, "lead")] + responsibilities[1:]
