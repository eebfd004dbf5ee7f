"""Scoring the parser against the real-notice fixtures (tests/fixtures/realworld/*.json).

Each fixture pairs an excerpt of a real notice with the facts a person read in it. The scores say
how much of that the parser finds (recall) and how much of what it says about those measures is
right (precision). Used by tests/test_realworld.py and benchmarks/realworld.py.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import policykg
from policykg.corpus import normalise

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
ROLES = ("lead", "responsible", "support", "guide")


def fixtures() -> list[Path]:
    """The fixture texts that have expected facts beside them."""
    return sorted(p for p in REALWORLD.glob("*.txt") if p.with_suffix(".json").is_file())


def _key(mention: str) -> str:
    """A mention as compared: normalised as the parser reads text (width, traditional, glosses), no spaces."""
    return normalise(mention).text.replace(" ", "")


@dataclass
class Score:
    counts: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)  # what was expected and not found, for the report
    wrong: list[str] = field(default_factory=list)  # what was found and not expected

    def add(self, other: "Score") -> None:
        self.counts.update(other.counts)
        self.misses += other.misses
        self.wrong += other.wrong

    def ratio(self, found: str, total: str) -> float:
        return self.counts[found] / self.counts[total] if self.counts[total] else 1.0


def _find(text: str, needle: str, start: int) -> int:
    at = text.find(needle, start)
    return at if at >= 0 else text.find(needle)


def _measure_at(doc, pos: int, number: str):
    """The parsed measure whose source span holds ``pos`` (the innermost; one numbered as expected first)."""
    holding = [m for m in doc.measures if m.span[0] <= pos < m.span[1]]
    holding.sort(key=lambda m: (_key(m.number) != _key(number), m.span[1] - m.span[0]))
    return holding[0] if holding else None


def score(path: Path) -> Score:
    """Compare what the parser reads in ``path`` with the facts in its .json."""
    expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
    doc = policykg.parse(path)
    text = doc.text
    s = Score()
    name = path.stem
    pos = 0
    for em in expected.get("measures", []):
        at = _find(text, em["starts"], pos)
        pos = max(pos, at)
        want = {(_key(m), role) for role in ROLES for m in em.get(role, [])}
        s.counts["measures"] += 1
        s.counts["parties"] += len(want)
        s.counts["leads"] += sum(1 for _, r in want if r == "lead")
        m = _measure_at(doc, at, em["number"]) if at >= 0 else None
        if m is None:
            s.misses.append(f"{name}: measure {em['number']} {em['starts']} not found")
            continue
        s.counts["measures found"] += 1
        got = {(_key(r.party.mention), r.role) for r in m.responsibilities}
        got_names = {g for g, _ in got}
        s.counts["parties found"] += sum(1 for w, _ in want if w in got_names)
        s.counts["roles right"] += len(want & got)
        s.counts["leads found"] += sum(1 for w in want if w[1] == "lead" and w in got)
        want_names = {w for w, _ in want}
        s.counts["parties said"] += len(got)
        s.counts["parties said right"] += sum(1 for g, _ in got if g in want_names)
        for w, role in sorted(want - got):
            s.misses.append(f"{name}: {em['number']} {w} ({role}) missing")
        for g, role in sorted(got - want):
            s.wrong.append(f"{name}: {em['number']} {g} ({role}) not expected")
    for et in expected.get("targets", []):
        s.counts["targets"] += 1
        at = text.find(et["text"])
        end = at + len(et["text"])
        values = {v * _scale(normalise(et.get("unit") or "").text, t_unit) for v in (et.get("value"), et.get("min"), et.get("max"))
                  if v is not None for t_unit in _units(doc)}
        hit = any(t.span[0] < end and at < t.span[1]
                  and (not values or {t.value, t.min_value, t.max_value} & values) for t in doc.targets)
        s.counts["targets found"] += hit
        if not hit:
            s.misses.append(f"{name}: target {et['text']} missing")
    for ed in expected.get("deadlines", []):
        s.counts["deadlines"] += 1
        at = text.find(ed["text"])
        end = at + len(ed["text"])
        hit = any(d.span[0] < end and at < d.span[1] and _same_due(d.date, ed.get("date"), ed["text"])
                  for d in doc.deadlines)
        s.counts["deadlines found"] += hit
        if not hit:
            s.misses.append(f"{name}: deadline {ed['text']} ({ed.get('date')}) missing")
    ignorable = [_key(n) for n in expected.get("not_annotations", [])]
    for u in doc.unread:
        if not any(n in _key(u.text) or _key(u.text) in n for n in ignorable):
            s.counts["not understood"] += 1
            s.misses.append(f"{name}: line {u.line} not understood: {u.text[:60]}")
    return s


_MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _units(doc) -> set[str]:
    return {t.unit for t in doc.targets} or {""}


def _scale(printed: str, parsed: str) -> float:
    """``100`` 万人 as printed is 1 000 000 人 as the parser states it."""
    factor = 1
    while printed and printed != parsed and printed[0] in _MULTIPLIER:
        factor, printed = factor * _MULTIPLIER[printed[0]], printed[1:]
    return factor if printed == parsed else 1


def _same_due(parsed: str | None, expected: str | None, printed: str) -> bool:
    """The same time limit: equal, or 年底前 read as the year (2010) where a reader wrote its last month."""
    if not expected:
        return True
    return parsed == expected or (parsed is not None and ("年底" in printed or "年末" in printed)
                                  and expected == f"{parsed}-12")


def total() -> Score:
    out = Score()
    for path in fixtures():
        out.add(score(path))
    return out
