"""What the search index holds, read from the graph: one entry per measure, target, deadline,
condition and paragraph (paragraphs already covered by a measure are left out: the measure is that
passage), each with its graph IRI, kind, document, number and owning departments.

Entries are read from the store by SPARQL, never re-parsed; during ingest, worker processes read
them the same way from an in-memory store holding just the new graphs (:func:`entries_of_graphs`)
and keep them on disk until the index is written (:func:`spill_entries`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from .reader import GraphReader

KINDS = ("measure", "target", "deadline", "condition", "paragraph")


def _values(doc_iris: list[str] | None) -> str:
    return "" if doc_iris is None else "VALUES ?d { " + " ".join(f"<{i}>" for i in doc_iris) + " }"


def graph_entries(kg: "GraphReader", doc_iris: list[str] | None = None) -> list[dict[str, Any]]:
    """Index entries for the facts of ``doc_iris`` (all documents: ``None``), read by SPARQL."""
    from policykg.corpus.numbering import match_marker
    values = _values(doc_iris)
    # DISTINCT: the union of the named graphs is a bag, and a document's 文号 recurs in the graphs
    # of the documents citing it, which made one entry per citing document
    rows = kg.store.select(f"""
        SELECT DISTINCT ?x ?kind ?d ?num ?dtitle ?title ?text ?number ?path ?date ?s ?e WHERE {{
          {values}
          {{ ?x a pkg:Measure ; eli:title ?title ; pkg:number ?number ; pkg:path ?path . BIND("measure" AS ?kind) }}
          UNION {{ ?x a pkg:Target ; pkg:indicator ?title . BIND("target" AS ?kind)
                   OPTIONAL {{ ?x pkg:measure/pkg:number ?number }} }}
          UNION {{ ?x a pkg:Deadline . BIND("deadline" AS ?kind) OPTIONAL {{ ?x pkg:deliverable ?title }}
                   OPTIONAL {{ ?x time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date }}
                   OPTIONAL {{ ?x pkg:measure/pkg:number ?number }} }}
          UNION {{ ?x a pkg:Condition ; pkg:governs ?title . BIND("condition" AS ?kind)
                   OPTIONAL {{ ?x pkg:measure/pkg:number ?number }} }}
          UNION {{ ?x a pkg:Paragraph . BIND("paragraph" AS ?kind) }}
          ?x prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
          ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
        }}""")
    owners: dict[str, list[tuple[int, float, str, str]]] = {}
    for r in kg.store.select(f"""
        SELECT DISTINCT ?x ?o ?name ?pos ?how WHERE {{
          {values}
          ?x prov:wasDerivedFrom ?d .
          {{ ?x pkg:responsibility ?r . ?r pkg:agent ?o . OPTIONAL {{ ?r pkg:listPosition ?pos }} BIND(0 AS ?how) }}
          UNION {{ ?x pkg:measure ?m . ?m pkg:responsibility ?r . ?r pkg:agent ?o .
                   OPTIONAL {{ ?r pkg:listPosition ?pos }} BIND(0 AS ?how) }}
          UNION {{ ?x pkg:obligatedParty ?o . BIND(0 AS ?how) }}
          UNION {{ ?x pkg:relatedMeasure ?m . ?m pkg:responsibility ?r . ?r pkg:agent ?o .
                   OPTIONAL {{ ?r pkg:listPosition ?pos }} BIND(1 AS ?how) }}
          ?o skos:prefLabel ?name FILTER(lang(?name) = "zh")
        }}"""):
        owners.setdefault(r["x"], []).append((r["how"], r["pos"] if r["pos"] is not None else 1e9, r["o"], r["name"]))
    measure_spans: dict[str, list[tuple[int, int]]] = {}
    for r in rows:
        if r["kind"] == "measure":
            measure_spans.setdefault(r["d"], []).append((r["s"], r["e"]))
    entries = []
    for r in sorted(rows, key=lambda r: (r["d"], r["s"], KINDS.index(r["kind"]), r["x"])):
        kind, text, title, number = r["kind"], r["text"], r["title"] or "", r["number"]
        if kind == "paragraph":
            if any(r["s"] < e and s < r["e"] for s, e in measure_spans.get(r["d"], [])):
                continue  # the measure is this passage
            marker = match_marker(text)
            if marker:
                number = marker.text
                head = text[marker.length:].split("。", 1)[0]
                title = head if len(head) <= 30 else ""
            elif len(text) <= 30 and "。" not in text:
                title = text
        elif kind == "deadline" and r["date"]:
            title = f"{title}（{r['date']}）" if title else str(r["date"])
        ranked = sorted(owners.get(r["x"], []))
        direct = [o for o in ranked if o[0] == 0]
        chosen: dict[str, str] = {}
        for _, _, iri, name in direct or ranked:  # related measures' owners only when there are no others
            chosen.setdefault(iri, name)
        entries.append(dict(iri=r["x"], kind=kind, doc=r["d"], docno=r["num"] or "", dtitle=r["dtitle"],
                            document=r["num"] or r["dtitle"], number=number or "", title=title, text=text,
                            owner=" ".join(dict.fromkeys(o[2] for o in direct)), owners=list(chosen.values()),
                            inferred=not direct and bool(ranked)))
    return entries


#: Documents whose graphs :func:`stored_entries` reads into memory together.
BATCH = 64


def stored_entries(kg: "GraphReader", doc_iris: list[str] | None = None) -> list[dict[str, Any]]:
    """:func:`graph_entries` of stored documents (all: ``None``), read the way ingest reads them:
    each document's graph copied out of the store, a batch at a time, and queried in memory. On a
    large store that is several times faster than the SPARQL over the whole store (≈ 6 against
    15–25 ms a document at 10 000 documents, measured here), and ingest and rebuild agree."""
    if doc_iris is None:
        doc_iris = [r["d"] for r in kg.store.select(
            "SELECT DISTINCT ?d WHERE { GRAPH ?d { ?d a eli:LegalResource } }")]
    out: list[dict[str, Any]] = []
    order = sorted(set(doc_iris))  # entries in document order, as graph_entries sorts them
    for i in range(0, len(order), BATCH):
        graphs = {d: nt for d in order[i:i + BATCH] if (nt := kg.store.graph_ntriples(d))}
        if graphs:
            by_doc = entries_of_graphs(graphs)
            for d in graphs:
                out.extend(by_doc[d])
    return out


#: The in-memory store (registry and ontology loaded) in which a worker reads a document's entries.
_REFERENCE: Any = None


class _StoreOnly:
    def __init__(self, store):
        self.store = store


def entries_of_graphs(graphs: dict[str, str], loaded: Any = None) -> dict[str, list[dict[str, Any]]]:
    """The index entries of documents not yet stored (document IRI → N-Triples of its graph),
    read by the same SPARQL as :func:`graph_entries` from an in-memory store holding the registry,
    the ontology and these graphs; document IRI → its entries, in index order. ``loaded``: such a
    pyoxigraph store already made (validation makes one: ``validate.check_graphs_together``)."""
    global _REFERENCE
    if loaded is not None:
        from .store import OxigraphStore
        return _by_document(graph_entries(_StoreOnly(OxigraphStore.around(loaded)), list(graphs)), graphs)  # type: ignore[arg-type]
    if _REFERENCE is None:
        from .graph import reference_ntriples
        from .iris import ONTOLOGY_GRAPH, REGISTRY_GRAPH
        from .store import OxigraphStore
        store = OxigraphStore(None)
        registry, ontology = reference_ntriples()
        store.replace_graphs({REGISTRY_GRAPH: registry, ONTOLOGY_GRAPH: ontology})
        _REFERENCE = store
    _REFERENCE.replace_graphs(graphs)
    try:
        entries = graph_entries(_StoreOnly(_REFERENCE), list(graphs))  # type: ignore[arg-type]
    finally:
        _REFERENCE.replace_graphs(dict.fromkeys(graphs, ""))
    return _by_document(entries, graphs)


def _by_document(entries: list[dict[str, Any]], graphs: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {iri: [] for iri in graphs}
    for e in entries:
        out[e["doc"]].append(e)
    return out


#: Where one document's spilled entries are: (file, offset, length, number of entries).
EntriesRef = tuple[str, int, int, int]


def spill_entries(folder: str | os.PathLike, entries: list[dict[str, Any]]) -> EntriesRef:
    """Append ``entries`` to this process's spill file in ``folder`` (ingest keeps the entries of
    thousands of documents on disk between parsing and indexing, not in memory)."""
    import marshal
    path = Path(folder) / f"entries-{os.getpid()}.marshal"
    data = marshal.dumps(entries)
    with open(path, "ab") as fh:
        offset = fh.seek(0, os.SEEK_END)
        fh.write(data)
    return str(path), offset, len(data), len(entries)


def read_spilled(refs: list[EntriesRef]) -> Iterator[dict[str, Any]]:
    import marshal
    for path, offset, length, _ in refs:
        with open(path, "rb") as fh:
            fh.seek(offset)
            yield from marshal.loads(fh.read(length))


def graph_digest(ntriples: str) -> str:
    """A digest of a graph's N-Triples, independent of the order of its lines."""
    import hashlib
    return hashlib.sha1("".join(sorted(ntriples.splitlines(True))).encode("utf-8")).hexdigest()
