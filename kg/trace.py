"""Follow a thread through the graph: ``trace`` (a tree of connected facts) and ``path`` (shortest chains).

Both work on the ``full`` networkx projection (kg/projection.py). A starting point may be an IRI, a
measure number (（四）, measure 4), a department (any name the registry knows), a document (文号 or
title) or a plain term (落户), which matches the conditions, targets, deadlines and measures whose text
contains it or a synonym of its topic (kg/question_rules.json: 落户 → 户口, 户籍 …).

A trace from a fact goes: the fact → its measure → the measure's departments (with their roles), its
targets (own, and related by key terms), deadlines and conditions → other measures linked through shared
departments, programmes or key terms → the document it is part of → the documents that one cites.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from policykg.ontology import load_registry

from .errors import InputError, NotFound
from .facts import find_fact
from .iris import org_iri
from .projection import to_networkx
from .question import QUESTION_RULES, find_measure_numbers, find_topic, measure_ordinal
from .topics import GENERIC_TERMS, quoted_names, shared_terms

if TYPE_CHECKING:
    import networkx as nx

    from .reader import GraphReader

#: Relations of the full view that only repeat another one or join everything to a hub: not followed by path.
PATH_SKIP = frozenset({"pkg:jurisdiction", "prov:wasDerivedFrom", "eli:has_part", "eli:passed_by"})
#: Relation names as shown (edge relation in the full view → label), by direction.
RELATION_LABELS = {"pkg:measure": "belongs to measure", "pkg:relatedMeasure": "related measure (key terms)",
                   "eli:is_part_of": "part of", "eli:cites": "cites", "pkg:issuer": "issued by",
                   "pkg:recipient": "sent to", "pkg:obligatedParty": "obligated party", "pkg:submitTo": "submit to",
                   "org:subOrganizationOf": "sub-organisation of"}
INVERSE_LABELS = {"pkg:measure": "has", "pkg:relatedMeasure": "related by key terms",
                  "eli:is_part_of": "has part", "eli:cites": "cited by", "pkg:issuer": "issued",
                  "pkg:recipient": "received", "pkg:obligatedParty": "obligated by", "pkg:submitTo": "receives",
                  "org:subOrganizationOf": "has sub-organisation"}
_ROLES = ("lead", "responsible", "support", "guide")
_KIND_ORDER = {"condition": 0, "target": 1, "deadline": 2, "measure": 3, "department": 4, "document": 5}


@dataclass
class TraceNode:
    id: str
    kind: str
    label: str
    depth: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class TraceEdge:
    source: str
    target: str
    relation: str
    detail: str = ""


@dataclass
class Trace:
    """Nodes and labelled edges reached from ``root``; a tree (each node once, at its first depth)."""

    root: str
    nodes: list[TraceNode]
    edges: list[TraceEdge]

    def to_dict(self) -> dict[str, Any]:
        return {"root": self.root, "nodes": [asdict(n) for n in self.nodes], "edges": [asdict(e) for e in self.edges]}

    def node(self, node_id: str) -> TraceNode:
        return next(n for n in self.nodes if n.id == node_id)

    def tree(self) -> str:
        """An indented tree, the relation on every edge: ``├─ responsible → 广西壮族自治区公安厅``."""
        children: dict[str, list[TraceEdge]] = {}
        for e in self.edges:
            children.setdefault(e.source, []).append(e)
        nodes = {n.id: n for n in self.nodes}
        root = nodes[self.root]
        lines = [f"{root.label} [{root.kind}]"]  # a node shown again (↑) is expanded where first reached

        first: dict[str, TraceEdge] = {}
        for e in self.edges:
            first.setdefault(e.target, e)

        def walk(node_id: str, prefix: str) -> None:
            kids = children.get(node_id, [])
            for i, e in enumerate(kids):
                last = i == len(kids) - 1
                child = nodes[e.target]
                detail = f" ({e.detail})" if e.detail else ""
                again = "" if first[e.target] is e else " ↑"
                lines.append(f"{prefix}{'└─' if last else '├─'} {e.relation}{detail} → {child.label} "
                             f"[{child.kind}]{again}")
                if first[e.target] is e:
                    walk(e.target, prefix + ("   " if last else "│  "))
        walk(self.root, "")
        return "\n".join(lines)


@dataclass
class PathStep:
    source: str
    target: str
    relation: str
    forward: bool  # the relation points from source to target


@dataclass
class Chain:
    """One shortest chain of relations between two entities."""

    nodes: list[dict[str, str]]  # id, kind, label
    steps: list[PathStep]
    matched: str = ""  # how the end was matched, for a term

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "steps": [asdict(s) for s in self.steps], "matched": self.matched}

    def text(self) -> str:
        out = self.nodes[0]["label"]
        for step, node in zip(self.steps, self.nodes[1:]):
            out += f" —{step.relation}→ " if step.forward else f" ←{step.relation}— "
            out += node["label"]
        return out + (f"  [{self.matched}]" if self.matched else "")


# ---------------------------------------------------------------------------------------------
# Resolving a starting point
# ---------------------------------------------------------------------------------------------
def _short(name: str) -> str:
    return load_registry().split_prefix(name)[1]


def _text_of(a: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("pkg:text", "eli:title", "pkg:governs", "pkg:indicator", "pkg:anyOf", "pkg:deliverable"):
        v = a.get(key)
        parts.extend(map(str, v) if isinstance(v, list) else [str(v)] if v is not None else [])
    return " ".join(parts)


#: Short ids of facts (m2.4 a measure, t7 a target, d1, c1, p5) and the kinds of node a document holds.
_SHORT_ID = r"[mtdcp]\d+(?:\.\d+)*"
_DOCUMENT_FACTS = ("measure", "target", "deadline", "condition", "paragraph")


def resolve(kg: "GraphReader", g: "nx.MultiDiGraph", ref: str,
            document: str | None = None) -> tuple[list[str], str]:
    """The nodes ``ref`` names and how it was matched (``iri`` / ``measure`` / ``department`` /
    ``document`` / ``term 落户 (户口, 户籍 …)``); ``document`` (文号 or title): a short id, measure or term of
    that document only. Raises NotFound when nothing matches."""
    if document and re.fullmatch(_SHORT_ID, ref.strip()):
        iri = find_fact(kg, ref.strip(), document).iri  # raises NotFound / DocumentNotFound
        if iri in g:
            return [iri], "iri"
    if document:
        prefix = kg.document_iri(document) + "/"  # raises DocumentNotFound
        nodes, how = resolve(kg, g, ref)
        inside = [n for n in nodes if n.startswith(prefix) or g.nodes[n]["kind"] not in _DOCUMENT_FACTS]
        if not inside:
            raise NotFound(f"nothing in {document} matches '{ref}'")
        return inside, how
    from .errors import DepartmentError
    ref = ref.strip()
    if not ref:
        raise InputError("trace", "empty name to trace")
    if ref in g:
        return [ref], "iri"
    if re.fullmatch(_SHORT_ID, ref):  # short ids: m2.4, t7, c1
        iri = find_fact(kg, ref).iri
        if iri in g:
            return [iri], "iri"
    nodes = g.nodes
    numbers = find_measure_numbers(ref)
    if numbers and len(ref) <= 24:
        hits = [n for n, a in nodes(data=True) if a["kind"] == "measure"
                and measure_ordinal(str(a.get("pkg:number", ""))) in numbers]
        if hits:
            return hits, "measure"
    docs = [n for n, a in nodes(data=True) if a["kind"] == "document"
            and (ref == a.get("eli:id_local") or ref == a.get("eli:title"))]
    if docs:
        return docs, "document"
    try:
        org = kg.resolve_department(ref)
        iri = org_iri(org.id)
        if iri in g:
            return [iri], "department"
    except DepartmentError as err:
        if err.candidates:
            raise
    topic = find_topic(ref)
    if topic and ref not in topic[1] and ref not in QUESTION_RULES["topics"][topic[0]][1] and ref != topic[0]:
        topic = None  # 乡村工匠 is more specific than the topic its 工匠 names: match it alone
    terms = [ref] + [t for t in (topic[1] if topic else []) if t != ref]
    hits = []
    for n, a in nodes(data=True):
        if a["kind"] in ("condition", "target", "deadline", "measure"):
            text = _text_of(a)
            found = [t for t in terms if t in text]
            if found:
                hits.append((n, a["kind"], found))
    if not hits:
        raise NotFound(f"nothing in the graph matches '{ref}' (no measure, department, document or text)")
    how = f"term {ref}" + (f" (topic {topic[0]}: {'、'.join(terms[1:])})" if topic and len(terms) > 1 else "")
    hits.sort(key=lambda h: (_KIND_ORDER.get(h[1], 9), h[0]))
    return [h[0] for h in hits], how


# ---------------------------------------------------------------------------------------------
# Trace
# ---------------------------------------------------------------------------------------------
def trace(kg: "GraphReader", ref: str, depth: int = 4, document: str | None = None) -> Trace:
    """The facts connected to ``ref``, as a tree with the relation on every edge (see the module doc);
    ``document``: start from that document's fact, measure or term only (m2.4 exists in every notice)."""
    if depth < 1:
        raise InputError("depth", f"must be at least 1 (got {depth})")
    g = to_networkx(kg, view="full")
    starts, how = resolve(kg, g, ref, document)
    measures = {n: a for n, a in g.nodes(data=True) if a["kind"] == "measure"}
    texts = {n: str(a.get("pkg:text", "")) for n, a in measures.items()}
    nodes: dict[str, TraceNode] = {}
    edges: list[TraceEdge] = []

    def add(node_id: str, level: int) -> TraceNode:
        a = g.nodes[node_id] if node_id in g else {}
        keep = {k: v for k, v in a.items() if k in ("pkg:text", "pkg:anyOf", "eli:id_local", "skos:prefLabel@en",
                                                   "pkg:spanStart", "pkg:spanEnd", "schema:value",
                                                   "schema:unitText", "pkg:comparator", "pkg:period")}
        nodes[node_id] = TraceNode(node_id, a.get("kind", "entity"), a.get("label", node_id), level, keep)
        return nodes[node_id]

    owned: set[str] = set()
    if len(starts) == 1 and how in ("iri", "measure", "department", "document"):
        root = starts[0]
        add(root, 0)
        frontier = [root]
    else:
        root = f"term:{ref}"
        nodes[root] = TraceNode(root, "term", f"{ref}", 0, {"matched": how})
        owned = {m for s in starts for _, m, d in g.out_edges(s, data=True)
                 if d["relation"] in ("pkg:measure", "pkg:relatedMeasure")}
        for s in starts:
            if s in owned:
                continue  # reached through the fact that belongs to it
            add(s, 1)
            edges.append(TraceEdge(root, s, "matches", how.split(" (")[0].removeprefix("term ")))
        frontier = [s for s in starts if s in nodes]

    # a measure that only mentions the term is shown, not followed, when facts matched the term too
    leaves: set[str] = set()
    if root.startswith("term:") and any(g.nodes[x]["kind"] != "measure" for x in starts):
        leaves = {x for x in starts if g.nodes[x]["kind"] == "measure" and x not in owned}
    parent: dict[str, str] = {}
    for level in range(1 if root in starts else 2, depth + 1):
        nxt = []
        for n in frontier:
            if n in leaves:
                continue
            for child, relation, detail, leaf in _expand(g, n, root, measures, texts):
                if child == parent.get(n) or child == n:
                    continue
                edges.append(TraceEdge(n, child, relation, detail))
                if child in nodes:
                    continue  # shown again under this node, expanded where first reached
                add(child, level)
                parent[child] = n
                if leaf:
                    leaves.add(child)
                nxt.append(child)
        frontier = nxt
        if not frontier:
            break
    return Trace(root, list(nodes.values()), edges)


def _expand(g: "nx.MultiDiGraph", n: str, root: str, measures: dict, texts: dict[str, str]):
    """(child, relation, detail, leaf) for one node, in display order."""
    kind = g.nodes[n]["kind"]
    out = []
    if kind in ("condition", "target", "deadline"):
        for _, m, d in g.out_edges(n, data=True):
            r = d["relation"]
            if r == "pkg:measure":
                out.append((m, "belongs to measure", "", False))
            elif r == "pkg:relatedMeasure":
                terms = shared_terms(str(g.nodes[n].get("pkg:text", "")), texts.get(m, ""), list(texts.values()), 3)
                out.append((m, "related measure", "key terms: " + "、".join(terms) if terms else "key terms", False))
            elif r in ("pkg:obligatedParty", "pkg:submitTo"):
                out.append((m, RELATION_LABELS[r], "", True))
    elif kind == "measure":
        roles = {}
        for o, _, d in sorted(g.in_edges(n, data=True), key=lambda e: e[0]):
            if d["relation"] in _ROLES:
                roles[o] = d["relation"]
                out.append((o, d["relation"], "", True))
        facts = sorted(g.in_edges(n, data=True), key=lambda e: (_KIND_ORDER.get(g.nodes[e[0]]["kind"], 9),
                                                                  g.nodes[e[0]].get("pkg:spanStart", 0), e[0]))
        for s, _, d in facts:
            k = g.nodes[s]["kind"]
            if d["relation"] == "pkg:measure" and k in ("target", "deadline", "condition"):
                out.append((s, f"has {k}", "", True))
        for s, _, d in facts:
            if d["relation"] == "pkg:relatedMeasure":
                terms = shared_terms(str(g.nodes[s].get("pkg:text", "")), texts[n], list(texts.values()), 3)
                out.append((s, "related target", "key terms: " + "、".join(terms) if terms else "key terms", True))
        out.extend(_linked_measures(g, n, roles, measures, texts))
        for _, d_, d in g.out_edges(n, data=True):
            if d["relation"] == "eli:is_part_of":
                out.append((d_, "part of", "", False))
    elif kind in ("department", "collective"):
        for _, m, d in sorted(g.out_edges(n, data=True), key=lambda e: _ordinal(g, e[1])):
            if d["relation"] in _ROLES:
                out.append((m, f"{d['relation']} for", "", False))
    elif kind == "document":
        for x, _, d in sorted(g.in_edges(n, data=True), key=lambda e: g.nodes[e[0]].get("label", "")):
            if d["relation"] == "prov:wasDerivedFrom" and g.nodes[x]["kind"] == "deadline" and not any(
                    e["relation"] == "pkg:measure" for *_, e in g.out_edges(x, data=True)):
                out.append((x, "has deadline (whole notice)", "", True))
        for _, c, d in g.out_edges(n, data=True):
            if d["relation"] == "eli:cites":
                out.append((c, "cites", "", True))
        if n == root:
            for s, _, d in sorted(g.in_edges(n, data=True), key=lambda e: _ordinal(g, e[0])):
                if d["relation"] == "eli:is_part_of" and g.nodes[s]["kind"] == "measure":
                    out.append((s, "has part", "", False))
    return out


def _readable(term: str) -> bool:
    """A shared substring worth showing: three characters or more once generic words are trimmed."""
    core = term
    for generic in sorted(GENERIC_TERMS, key=len, reverse=True):
        core = core.removeprefix(generic).removesuffix(generic)
    return len(core.strip("对的和与及等为在将了")) >= 3 and core == core.strip("对的和与及等为在将了")


def _ordinal(g, n: str) -> tuple:
    return (measure_ordinal(str(g.nodes[n].get("pkg:number", ""))) or 0, n)


def _linked_measures(g, n: str, roles: dict[str, str], measures: dict, texts: dict[str, str]):
    """Other measures sharing departments, programmes (quoted names) or key terms with ``n``."""
    programmes = quoted_names(texts[n])
    doc = next((d for _, d, e in g.out_edges(n, data=True) if e["relation"] == "eli:is_part_of"), None)
    same_doc = [m for m in measures if m != n and any(
        d == doc for _, d, e in g.out_edges(m, data=True) if e["relation"] == "eli:is_part_of")]
    scored = []
    for m in measures:
        if m == n:
            continue
        shared = [o for o, _, d in g.in_edges(m, data=True) if d["relation"] in _ROLES and o in roles]
        progs = sorted(p for p in programmes if p in texts[m])
        terms = [t for t in shared_terms(texts[n], texts[m], [texts[x] for x in [n, *same_doc]]
                                         if m in same_doc else list(texts.values()), 8) if _readable(t)][:3]
        if not (len(terms) >= 2 or any(len(t) >= 4 for t in terms)):
            terms = []  # one short shared string is a coincidence, not a link
        if not (shared or progs or terms):
            continue
        parts = []
        if shared:
            parts.append("departments: " + "、".join(_short(g.nodes[o]["label"]) for o in shared))
        if progs:
            parts.append("programmes: " + "、".join(f"“{p}”" for p in progs))
        if terms:
            parts.append("key terms: " + "、".join(terms))
        scored.append(((-len(progs), -len(shared), -len(terms)), m, "; ".join(parts)))
    scored.sort(key=lambda s: (s[0], _ordinal(g, s[1])))
    return [(m, "linked measure", detail, True) for _, m, detail in scored]


# ---------------------------------------------------------------------------------------------
# Path
# ---------------------------------------------------------------------------------------------
def path_graph(g: "nx.MultiDiGraph") -> "nx.Graph":
    """The undirected graph paths run on: no paragraphs, no hub or duplicate relations."""
    import networkx as nx
    u = nx.Graph()
    for n, a in g.nodes(data=True):
        if a["kind"] != "paragraph":
            u.add_node(n)
    for s, t, d in g.edges(data=True):
        if d["relation"] in PATH_SKIP or s not in u or t not in u:
            continue
        if not u.has_edge(s, t):
            u.add_edge(s, t, relation=d["relation"], source=s)
    return u


def path(kg: "GraphReader", a: str, b: str, limit: int = 5) -> list[Chain]:
    """The shortest chains of relations from ``a`` to ``b`` (each a name as ``resolve`` reads it)."""
    import networkx as nx
    g = to_networkx(kg, view="full")
    starts, _ = resolve(kg, g, a)
    ends, how_b = resolve(kg, g, b)
    u = path_graph(g)
    found: list[list[str]] = []
    for s in starts:
        for t in ends:
            if s == t or s not in u or t not in u:
                continue
            try:
                found.extend(nx.all_shortest_paths(u, s, t))
            except nx.NetworkXNoPath:
                continue
    found.sort(key=lambda p: (len(p), p))
    chains, seen = [], set()
    for p in found:
        if tuple(p) in seen:
            continue
        seen.add(tuple(p))
        steps = []
        for x, y in zip(p, p[1:]):
            d = u.edges[x, y]
            rel = d["relation"]
            forward = d["source"] == x
            label = rel if rel in _ROLES else RELATION_LABELS.get(rel, rel)
            steps.append(PathStep(x, y, label, forward))
        nodes = [{"id": n, "kind": g.nodes[n]["kind"], "label": g.nodes[n]["label"]} for n in p]
        matched = f"matches {how_b.removeprefix('term ')}" if how_b.startswith("term") else ""
        chains.append(Chain(nodes, steps, matched))
        if len(chains) >= limit:
            break
    return chains
