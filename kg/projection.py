"""networkx projections of the knowledge graph, built from SPARQL CONSTRUCT queries.

* ``responsibility``: an undirected bipartite ``nx.Graph`` — departments ↔ measures, the edge carrying
  the ``role`` (lead / responsible / support / guide).
* ``full``: a ``nx.MultiDiGraph`` of every entity of the documents and the registry (documents, measures,
  paragraphs, targets, deadlines, conditions, organisations, jurisdictions). Literals are node attributes
  (``pkg:text``, ``eli:title``, ``skos:prefLabel@zh`` …), never nodes. The qualified responsibility
  (measure → responsibility → agent + role) is folded into one edge ``organisation -role→ measure`` and the
  alternatives of a condition into its ``pkg:anyOf`` attribute, both by CONSTRUCT.

Node keys are IRIs; every node has ``kind`` and ``label``; every edge has ``relation``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from policykg.ontology import PKG, PREFIXES, RDF

from .errors import InputError
from .iris import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    import networkx as nx

    from .reader import GraphReader

VIEWS = ("responsibility", "full")

#: rdf:type local name → node kind
KINDS = {"Measure": "measure", "Target": "target", "Deadline": "deadline", "Condition": "condition",
         "Paragraph": "paragraph", "LegalResource": "document", "Organization": "department",
         "Collective": "collective", "Jurisdiction": "jurisdiction"}

RESPONSIBILITY_CONSTRUCT = """
CONSTRUCT {
  ?o ?role ?m .
  ?m a pkg:Measure ; pkg:number ?number ; eli:title ?title ; eli:is_part_of ?d .
  ?o a org:Organization ; skos:prefLabel ?name .
} WHERE {
  ?m a pkg:Measure ; pkg:responsibility ?r ; pkg:number ?number ; eli:title ?title ; eli:is_part_of ?d .
  ?r pkg:agent ?o ; pkg:role ?role .
  ?o skos:prefLabel ?name .
}"""

#: Every entity triple except the text of whole documents, the ontology, and the qualified-association
#: plumbing (folded by the two queries that follow).
FULL_CONSTRUCT = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(?g != <{ONTOLOGY_GRAPH}>)
  FILTER(?p NOT IN (pkg:sourceText, pkg:responsibility, pkg:anyOf))
  # responsibility and alternative nodes are minted under their measure / condition (kg/graph.py);
  # matching the IRI is cheaper than FILTER NOT EXISTS {{ ?s a pkg:Responsibility }} per triple
  FILTER(!CONTAINS(STR(?s), "/responsibility/") && !CONTAINS(STR(?s), "/alternative/"))
}}"""

FOLD_RESPONSIBILITY = """
CONSTRUCT { ?o ?role ?m } WHERE { ?m pkg:responsibility ?r . ?r pkg:agent ?o ; pkg:role ?role }"""

FOLD_ALTERNATIVES = """
CONSTRUCT { ?c pkg:anyOf ?label } WHERE { ?c pkg:anyOf ?a . ?a rdfs:label ?label }"""

_ROLES = {PKG + r: r for r in ("lead", "responsible", "support", "guide")}


def compact(iri: str) -> str:
    """``https://w3id.org/policykg/ontology#measure`` → ``pkg:measure``."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _triples(ntriples: str) -> Iterator[tuple[Any, Any, Any]]:
    import pyoxigraph as ox
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        yield t.subject, t.predicate, t.object


def _literal(term) -> Any:
    from .store import term_value
    return term_value(term)


def _is_literal(term) -> bool:
    import pyoxigraph as ox
    return isinstance(term, ox.Literal)


def to_networkx(kg: "GraphReader", view: str = "responsibility") -> "nx.Graph":
    """A networkx projection of ``kg``: ``view`` is ``responsibility`` or ``full`` (see the module doc)."""
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}'", f"choose from {', '.join(VIEWS)}")
    import networkx as nx
    if view == "responsibility":
        g = nx.Graph(view="responsibility")
        attrs: dict[str, dict[str, Any]] = {}
        for s, p, o in _triples(kg.construct(RESPONSIBILITY_CONSTRUCT)):
            _add_attr(attrs.setdefault(s.value, {}), p.value, o)
            if p.value in _ROLES:
                g.add_edge(s.value, o.value, role=_ROLES[p.value], relation=_ROLES[p.value])
        for node, a in attrs.items():
            if node in g:
                _finish_node(a, node)
                a["bipartite"] = 0 if a["kind"] == "department" else 1
                g.nodes[node].update(a)
        return g

    g = nx.MultiDiGraph(view="full")
    attrs = {}
    for query in (FULL_CONSTRUCT, FOLD_RESPONSIBILITY, FOLD_ALTERNATIVES):
        for s, p, o in _triples(kg.construct(query)):
            a = attrs.setdefault(s.value, {})
            if p.value == RDF + "type":
                a.setdefault("types", []).append(compact(o.value))
            elif _is_literal(o):
                _add_attr(a, p.value, o)
            else:
                attrs.setdefault(o.value, {})
                relation = _ROLES.get(p.value, compact(p.value))
                g.add_edge(s.value, o.value, key=relation, relation=relation,
                           **({"role": relation} if p.value in _ROLES else {}))
    for node, a in attrs.items():
        _finish_node(a, node)
        g.add_node(node, **a)
    return g


def _add_attr(a: dict[str, Any], predicate: str, term) -> None:
    if predicate == RDF + "type":
        a.setdefault("types", []).append(compact(term.value))
        return
    if not _is_literal(term):
        return
    key = compact(predicate)
    lang = getattr(term, "language", None)
    if lang:
        key = f"{key}@{lang}"
    value = _literal(term)
    if key in a:
        a[key] = (a[key] if isinstance(a[key], list) else [a[key]]) + [value]
    else:
        a[key] = value


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


#: IRI path segment → kind, for nodes only referenced (a jurisdiction no graph declares)
_IRI_KINDS = {"org": "department", "jurisdiction": "jurisdiction", "doc": "document"}


def _finish_node(a: dict[str, Any], iri: str = "") -> None:
    """Give a node its ``kind`` and a human ``label`` (the IRI's last segment when nothing else)."""
    types = [t.split(":")[-1] for t in a.get("types", [])]
    kind = next((KINDS[t] for t in ("Measure", "Target", "Deadline", "Condition", "Paragraph", "Collective",
                                    "LegalResource", "Organization", "Jurisdiction") if t in types), None)
    if kind is None:
        segment = iri.split("/id/", 1)[-1].split("/", 1)[0] if "/id/" in iri else ""
        kind = "department" if "skos:prefLabel@zh" in a else _IRI_KINDS.get(segment, "entity")
    a["kind"] = kind
    if kind == "measure":
        label = f"{_first(a.get('pkg:number', ''))}{_first(a.get('eli:title', ''))}"
    elif kind == "target":
        label = _first(a.get("pkg:text") or a.get("pkg:indicator", ""))
    elif kind == "condition":
        label = f"{_first(a.get('pkg:governs', ''))}: {' 或 '.join(map(str, _as_list(a.get('pkg:anyOf'))))}"
    elif kind == "deadline":
        date = next((a[k] for k in a if k.startswith("time:inXSD")), "")
        label = f"{date} {_first(a.get('pkg:deliverable', ''))}"
    elif kind == "document":
        label = " ".join(str(x) for x in (_first(a.get("eli:id_local")),
                                          _first(a.get("eli:title") or a.get("pkg:citedTitle"))) if x)
    else:
        label = _first(a.get("skos:prefLabel@zh") or a.get("pkg:text") or a.get("eli:title") or "")
    a["label"] = str(label or iri.rstrip("/").rsplit("/", 1)[-1])[:120]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
