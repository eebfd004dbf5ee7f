"""The knowledge graph: build it, store it, ask it. Every read is a SPARQL query on the store."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from policykg.ontology import ID, PKG, TIME, Organisation, load_registry

from .iris import REGISTRY_GRAPH, document_iri
from .model import Document
from .records import (ConditionRecord, DeadlineRecord, DepartmentRecord, DocumentRecord, MeasureRecord,
                      RoleRecord, TargetRecord)
from .store import OxigraphStore, Store

#: OWL-Time / pkg temporal units → the precision names of ``Deadline.precision``.
_PRECISION = {TIME + "unitDay": "day", TIME + "unitMonth": "month", TIME + "unitYear": "year",
              PKG + "unitQuarter": "quarter", PKG + "unitHalfYear": "half-year"}

if TYPE_CHECKING:
    import rdflib

    from .validate import ValidationReport

#: RDF export formats → rdflib serializer name (other formats: policykg.exports)
EXPORT_FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt", "nquads": "nquads"}


class DepartmentError(LookupError):
    """A department name that matches no organisation, or several."""

    def __init__(self, name: str, candidates: list[Organisation]):
        self.name, self.candidates = name, candidates
        if candidates:
            listed = "、".join(_candidate(o) for o in candidates[:12])
            super().__init__(f"'{name}' is ambiguous; candidates: {listed}")
        else:
            super().__init__(f"no department matches '{name}' (try `policykg departments`)")


def _candidate(o: Organisation) -> str:
    """How an ambiguity message names a candidate: with its English name, or, for one first met in a
    document, with where it belongs (a form the lookup accepts back: 区发改局（鞍山市立山区）)."""
    if o.en:
        return f"{o.name} ({o.en})"
    return f"{o.name}（{o.jurisdiction}）" if o.jurisdiction and not o.in_registry else o.name


class DocumentNotFound(LookupError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no document matches '{name}'; stored: {'、'.join(known[:10]) or 'none'}")


def _path_key(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in path.replace("-", ".").split("."))


class KnowledgeGraph:
    """A policy knowledge graph in a data directory (``home``)."""

    def __init__(self, store: Store, home: Path | None = None):
        self.store = store
        self.home = home
        self._orgs: list[tuple[Organisation, bool]] | None = None

    # -- opening and building ------------------------------------------------------------
    @classmethod
    def open(cls, home: str | os.PathLike | None = None, build: bool = True) -> "KnowledgeGraph":
        """Open the graph under ``home`` (default: ``$POLICYKG_HOME`` or the per-user data dir).

        On first use the bundled corpus is built, so the first question already has answers.
        """
        from .home import resolve_home
        path = resolve_home(home)
        path.mkdir(parents=True, exist_ok=True)
        kg = cls(OxigraphStore(path / "store"), path)
        if build and not kg.is_built():
            kg.build()
        return kg

    @classmethod
    def in_memory(cls) -> "KnowledgeGraph":
        """A throw-away graph (tests, notebooks)."""
        return cls(OxigraphStore(None), None)

    def is_built(self) -> bool:
        return REGISTRY_GRAPH in self.store.graph_names()

    def build(self) -> list[Document]:
        """(Re)build the registry, the ontology and the bundled corpus. Idempotent."""
        from policykg.corpus import bundled_paths

        from .extract import parse
        docs = [parse(p) for p in bundled_paths()]
        self.add_documents(docs, reference=True)
        return docs

    def add_documents(self, docs: Iterable[Document], reference: bool = False) -> None:
        """Store documents, replacing earlier versions of the same documents, all or nothing.

        Each document graph is validated against the shapes first; a failure stores nothing.
        """
        from .ingest import write_documents  # N-Triples written directly, shapes checked per batch
        docs = list(docs)
        write_documents(self, docs, reference=reference)
        self._after_change(None if reference else [document_iri(d.key) for d in docs])

    def close(self) -> None:
        self.store.close()

    # -- generic access ------------------------------------------------------------------
    def sparql(self, query: str) -> list[dict[str, Any]] | bool | str:
        """Run a SPARQL query: SELECT → rows (dicts), ASK → bool, CONSTRUCT/DESCRIBE → N-Triples."""
        head = _query_form(query)
        if head == "ASK":
            return self.store.ask(query)
        if head in ("CONSTRUCT", "DESCRIBE"):
            return self.store.construct(query)
        return self.store.select(query)

    @property
    def graph(self) -> "rdflib.Graph":
        """Everything in the store as an rdflib Graph (a copy: for rdflib tooling and exports)."""
        import rdflib

        from policykg.ontology import PREFIXES
        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        return g.parse(data=self.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), format="nt")

    def export(self, format: str = "turtle") -> str | bytes:  # noqa: A002 - mirrors the CLI option
        """The whole graph serialised as ``turtle``, ``json-ld``, ``nt`` or ``nquads``; or, via
        policykg.exports, ``graphml``, ``gexf``, ``matrix-csv``/``-md``/``-xlsx`` (bytes), ``ics``."""
        from .exports import FORMATS as OTHER_FORMATS
        if format in OTHER_FORMATS:
            from .exports import export
            return export(self, format)
        if format not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format '{format}'; choose from {', '.join([*EXPORT_FORMATS, *OTHER_FORMATS])}")
        if format == "nquads":
            return self.store.dump()
        return self.graph.serialize(format=EXPORT_FORMATS[format])

    def validate(self) -> "ValidationReport":
        """Validate everything stored against the shapes."""
        from .validate import validate_graph
        return validate_graph(self.graph)

    # -- departments ---------------------------------------------------------------------
    def _organisations(self) -> list[tuple[Organisation, bool]]:
        """Organisations in the graph, each with whether it holds any responsibility."""
        if self._orgs is None:
            # DISTINCT sub-selects: an organisation first met in documents is restated in each document's
            # graph, and the union default graph repeats it per graph (55 documents: 34 s → 0.15 s).
            rows = self.store.select("""
                SELECT ?o ?zh ?en ?jur (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts)
                       (COUNT(DISTINCT ?r) AS ?n) (SAMPLE(?reg) AS ?inreg) WHERE {
                  { SELECT DISTINCT ?o ?zh WHERE { ?o a ?cls . VALUES ?cls { org:Organization pkg:Collective }
                                                   ?o skos:prefLabel ?zh FILTER(lang(?zh) = "zh") } }
                  OPTIONAL { SELECT DISTINCT ?o ?en WHERE { ?o skos:prefLabel ?en FILTER(lang(?en) = "en") } }
                  OPTIONAL { SELECT DISTINCT ?o ?alt WHERE { ?o skos:altLabel ?alt } }
                  OPTIONAL { SELECT DISTINCT ?o ?jur WHERE { ?o pkg:jurisdiction ?j .
                                                             BIND(STRAFTER(STR(?j), "jurisdiction/") AS ?jur) } }
                  OPTIONAL { SELECT DISTINCT ?o ?reg WHERE { ?o pkg:inRegistry ?reg } }
                  OPTIONAL { SELECT DISTINCT ?o ?r WHERE { ?r pkg:agent ?o } }
                } GROUP BY ?o ?zh ?en ?jur""")
            self._orgs = [(Organisation(id=r["o"][len(ID) + 4:], name=r["zh"], jurisdiction=r["jur"],
                                        en=r["en"], short=tuple(a for a in (r["alts"] or "").split("|") if a),
                                        in_registry=bool(r["inreg"])), r["n"] > 0) for r in rows]
        return self._orgs

    def resolve_department(self, name: str) -> Organisation:
        """The one organisation ``name`` means (any form: 教育厅, 自治区教育厅, "Department of
        Education", "education"); raises DepartmentError listing candidates otherwise."""
        registry = load_registry()
        orgs = self._organisations()
        for pool in ([o for o, active in orgs if active], [o for o, _ in orgs]):
            hits = registry.lookup(name, among=pool)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise DepartmentError(name, sorted(hits, key=lambda o: o.name))
        raise DepartmentError(name, [])

    def departments(self) -> list[DepartmentRecord]:
        """Every organisation with a role in some measure, the most involved first."""
        rows = self.store.select("""
            SELECT ?o (COUNT(DISTINCT ?m) AS ?n) (COUNT(DISTINCT ?lm) AS ?leads) WHERE {
              ?m pkg:responsibility ?r . ?r pkg:agent ?o .
              OPTIONAL { ?r pkg:role pkg:lead . BIND(?m AS ?lm) }
            } GROUP BY ?o""")
        counts = {r["o"]: (r["n"], r["leads"]) for r in rows}
        out = []
        for org, _ in self._organisations():
            iri = f"{ID}org/{org.id}"
            if iri in counts:
                out.append(DepartmentRecord(iri, org.name, org.en, org.jurisdiction, list(org.short),
                                            org.in_registry, *counts[iri]))
        return sorted(out, key=lambda d: (-d.measures, -d.leads, d.name))

    # -- documents -----------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        """Stored documents, and documents known only because another one cites them (stubs);
        each with the documents it cites and those citing it (文号, or title without one)."""
        # Simple DISTINCT queries joined here. The union of the named graphs is a bag (a stub's
        # triples recur in every citing document's graph), so one query with all the OPTIONALs
        # multiplies those copies: minutes for a few thousand documents.
        docs = [r["d"] for r in self.store.select("SELECT DISTINCT ?d WHERE { ?d a eli:LegalResource }")]
        fields = {"id_local": "num", "title": "title", "citedTitle": "cited", "date_document": "date",
                  "sourceName": "text"}
        props: dict[str, dict[str, Any]] = {}
        for r in self.store.select("""SELECT DISTINCT ?d ?p ?o WHERE {
                VALUES ?p { eli:id_local eli:title pkg:citedTitle eli:date_document pkg:sourceName } ?d ?p ?o }"""):
            props.setdefault(r["d"], {}).setdefault(fields[r["p"].rsplit("#", 1)[-1]], r["o"])
        labels = {r["i"]: r["name"] for r in self.store.select(
            """SELECT DISTINCT ?i ?name WHERE { ?i skos:prefLabel ?name FILTER(lang(?name) = "zh") }""")}
        issuers: dict[str, set[str]] = {}
        for r in self.store.select("SELECT DISTINCT ?d ?i WHERE { ?d pkg:issuer ?i }"):
            if r["i"] in labels:
                issuers.setdefault(r["d"], set()).add(labels[r["i"]])
        counts = {r["d"]: r["n"] for r in self.store.select(
            "SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pkg:Measure ; eli:is_part_of ?d } GROUP BY ?d")}
        rows = []
        for d in docs:
            r = {"d": d, **dict.fromkeys(fields.values()), **props.get(d, {})}
            r["issuers"], r["n"] = sorted(issuers.get(d, ())), counts.get(d, 0)
            rows.append(r)
        names = {r["d"]: r["num"] or r["title"] or r["cited"] or "" for r in rows}
        cites: dict[str, list[str]] = {}
        cited_by: dict[str, list[str]] = {}
        for r in self.store.select("SELECT DISTINCT ?a ?b WHERE { ?a eli:cites ?b }"):
            cites.setdefault(r["a"], []).append(names.get(r["b"], r["b"]))
            cited_by.setdefault(r["b"], []).append(names.get(r["a"], r["a"]))
        out = [DocumentRecord(r["d"], r["num"], r["title"] or r["cited"] or "", r["date"],
                              r["issuers"], r["n"], r["text"] is None,
                              sorted(cites.get(r["d"], [])), sorted(cited_by.get(r["d"], [])), r["text"])
               for r in rows]
        return sorted(out, key=lambda d: (d.doc_number is None, d.doc_number or "", d.title))

    def _document_iri(self, name: str) -> str:
        """The stored (not stub) document a user means: its IRI, 文号, title, or part of one."""
        from .store import sparql_string
        lit = sparql_string(name)
        rows = self.store.select(f"""
            SELECT DISTINCT ?d ?num ?title WHERE {{
              ?d pkg:sourceText [] ; eli:title ?title . OPTIONAL {{ ?d eli:id_local ?num }}
              FILTER(STR(?d) = {lit} || CONTAINS(?title, {lit}) || CONTAINS(COALESCE(?num, ""), {lit}))
            }}""")
        exact = [r for r in rows if name in (r["d"], r["num"], r["title"])]
        hits = exact or rows
        if len({r["d"] for r in hits}) == 1:
            return hits[0]["d"]
        known = [r["num"] or r["title"] for r in hits] or [d.doc_number or d.title for d in self.documents()
                                                           if not d.stub][:10]
        raise DocumentNotFound(name, known)

    # -- measures ------------------------------------------------------------------------
    def measures(self, owner: str | None = None, document: str | None = None,
                 role: str | None = None) -> list[MeasureRecord]:
        """Measures, optionally those where ``owner`` has a role (``role``: only that role)."""
        filters = []
        if owner:
            org = self.resolve_department(owner)
            role_filter = f"; pkg:role pkg:{role}" if role else ""
            filters.append(f"FILTER EXISTS {{ ?m pkg:responsibility [ pkg:agent <{ID}org/{org.id}> {role_filter} ] }}")
        if document:
            filters.append(f"FILTER(?d = <{self._document_iri(document)}>)")
        rows = self.store.select(f"""
            SELECT DISTINCT ?m ?d ?num ?dtitle ?number ?path ?title ?text ?s ?e ?o ?zh ?en ?role ?mention ?pos WHERE {{
              ?m a pkg:Measure ; eli:is_part_of ?d ; pkg:number ?number ; pkg:path ?path ;
                 eli:title ?title ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
              {' '.join(filters)}
              OPTIONAL {{
                ?m pkg:responsibility ?r . ?r pkg:agent ?o ; pkg:role ?role ; pkg:mention ?mention ; pkg:listPosition ?pos .
                ?o skos:prefLabel ?zh FILTER(lang(?zh) = "zh")
                OPTIONAL {{ ?o skos:prefLabel ?en FILTER(lang(?en) = "en") }}
              }}
            }}""")
        measures: dict[str, MeasureRecord] = {}
        rows.sort(key=lambda r: r["pos"] or 0)  # responsibilities in the order printed
        for r in rows:
            m = measures.get(r["m"])
            if m is None:
                m = measures[r["m"]] = MeasureRecord(r["m"], r["num"] or r["dtitle"], r["number"], r["title"],
                                                     r["text"], r["path"], (r["s"], r["e"]))
            if r["o"]:
                m.responsibilities.append(RoleRecord(r["zh"], r["role"].rsplit("#", 1)[-1], r["mention"],
                                                     r["en"], r["o"]))
        return sorted(measures.values(), key=lambda m: (m.document, _path_key(m.path)))

    # -- targets, deadlines, conditions --------------------------------------------------
    def targets(self, owner: str | None = None) -> list[TargetRecord]:
        """Quantitative targets; with ``owner``, those of measures the department has a role in."""
        owner_filter = ""
        if owner:
            org = self.resolve_department(owner)
            owner_filter = (f"?t pkg:measure|pkg:relatedMeasure ?om . "
                            f"?om pkg:responsibility/pkg:agent <{ID}org/{org.id}> .")
        rows = self.store.select(f"""
            SELECT ?t ?num ?dtitle ?text ?ind ?value ?min ?max ?unit ?cmp ?period ?mnum ?m ?s ?e
                   (GROUP_CONCAT(DISTINCT ?rnum; separator="|") AS ?related) WHERE {{
              ?t a pkg:Target ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:indicator ?ind ;
                 schema:unitText ?unit ; pkg:comparator ?cmp ; pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
              OPTIONAL {{ ?t schema:value ?value }} OPTIONAL {{ ?t schema:minValue ?min }}
              OPTIONAL {{ ?t schema:maxValue ?max }}
              OPTIONAL {{ ?t pkg:period ?period }}
              OPTIONAL {{ ?t pkg:measure ?m . ?m pkg:number ?mnum }}
              OPTIONAL {{ ?t pkg:relatedMeasure ?rm . ?rm pkg:number ?rnum }}
              {owner_filter}
            }} GROUP BY ?t ?num ?dtitle ?text ?ind ?value ?min ?max ?unit ?cmp ?period ?mnum ?m ?s ?e""")
        out = [TargetRecord(r["t"], r["num"] or r["dtitle"], r["text"], r["ind"], r["value"], r["unit"],
                            r["cmp"], r["period"], r["mnum"], r["m"], (r["s"], r["e"]), r["min"], r["max"],
                            sorted(n for n in (r["related"] or "").split("|") if n)) for r in rows]
        return sorted(out, key=lambda t: (t.document, t.span))

    def deadlines(self) -> list[DeadlineRecord]:
        """Deadlines, earliest first."""
        rows = self.store.select("""
            SELECT ?x ?num ?dtitle ?date ?what ?text ?sub ?mnum ?s ?e ?unit ?period ?every ?rel
                   (GROUP_CONCAT(DISTINCT ?oname; separator="|") AS ?obl) WHERE {
              ?x a pkg:Deadline ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?x time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date .
              ?d eli:title ?dtitle . OPTIONAL { ?d eli:id_local ?num }
              OPTIONAL { ?x pkg:deliverable ?what }
              OPTIONAL { ?x pkg:datePrecision ?unit } OPTIONAL { ?x pkg:calendarPeriod ?period }
              OPTIONAL { ?x pkg:recurrence ?every } OPTIONAL { ?x pkg:relativeTo ?rel }
              OPTIONAL { ?x pkg:submitTo ?st . ?st skos:prefLabel ?sub FILTER(lang(?sub) = "zh") }
              OPTIONAL { ?x pkg:obligatedParty ?o . ?o skos:prefLabel ?oname FILTER(lang(?oname) = "zh") }
              OPTIONAL { ?x pkg:measure ?m . ?m pkg:number ?mnum }
            } GROUP BY ?x ?num ?dtitle ?date ?what ?text ?sub ?mnum ?s ?e ?unit ?period ?every ?rel""")
        out = [DeadlineRecord(r["x"], r["num"] or r["dtitle"], str(r["date"]), r["what"] or "",
                              sorted(o for o in (r["obl"] or "").split("|") if o), r["sub"], r["text"],
                              r["mnum"], (r["s"], r["e"]), _PRECISION.get(r["unit"] or "", ""), r["period"],
                              str(r["every"]) if r["every"] else None, r["rel"]) for r in rows]
        return sorted(out, key=lambda d: (d.date, d.document, d.span))

    def conditions(self) -> list[ConditionRecord]:
        """Conditions (e.g. for 户口迁移) with their alternatives and the measure that owns them."""
        rows = self.store.select("""
            SELECT ?c ?num ?dtitle ?text ?gov ?m ?mnum ?s ?e
                   (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts)
                   (GROUP_CONCAT(DISTINCT ?oname; separator="|") AS ?owners) WHERE {
              ?c a pkg:Condition ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:governs ?gov ;
                 pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL { ?d eli:id_local ?num }
              OPTIONAL { ?c pkg:anyOf ?a . ?a rdfs:label ?alt }
              OPTIONAL { ?c pkg:measure ?m . ?m pkg:number ?mnum .
                         OPTIONAL { ?m pkg:responsibility/pkg:agent ?o .
                                    ?o skos:prefLabel ?oname FILTER(lang(?oname) = "zh") } }
            } GROUP BY ?c ?num ?dtitle ?text ?gov ?m ?mnum ?s ?e""")
        out = []
        for r in rows:
            alts = [a for a in (r["alts"] or "").split("|") if a]
            alts.sort(key=lambda a: r["text"].find(a))
            out.append(ConditionRecord(r["c"], r["num"] or r["dtitle"], r["text"], r["gov"], alts, r["mnum"],
                                       r["m"], sorted(o for o in (r["owners"] or "").split("|") if o),
                                       (r["s"], r["e"])))
        return sorted(out, key=lambda c: (c.document, c.span))

    # -- pictures (policykg.render) --------------------------------------------------------
    def render(self, owner: str | None = None, document: str | None = None, measure: str | None = None,
               depth: int | None = None, path: str | os.PathLike | None = None):
        """Interactive responsibility graph: one self-contained HTML page (a str that displays itself
        in Jupyter); written to ``path`` as UTF-8 when given. See policykg.render."""
        from .render import render
        return render(self, owner=owner, document=document, measure=measure, depth=depth, path=path)

    # -- ingesting many files, removing, showing one fact (policykg.ingest) ------------------
    def ingest(self, paths, progress=None, chunk: int | None = None, stats=None):
        """Parse, validate and store every file under ``paths`` (files and folders, recursively);
        one ``IngestResult`` per file. Bad files are reported and skipped. See policykg.ingest."""
        from .ingest import CHUNK, ingest
        results = ingest(self, [paths] if isinstance(paths, (str, os.PathLike)) else paths,
                         progress=progress, chunk=chunk or CHUNK, stats=stats)
        self._after_change([r.iri for r in results if r.ok and r.iri])
        return results

    def remove(self, name: str):
        """Remove one document (文号 or title) and every fact derived from it; a document others
        cite stays as a stub. Returns a ``RemovedDocument``."""
        from .ingest import remove_document
        removed = remove_document(self, name)
        self._after_change([removed.iri])
        return removed

    def fact(self, ident: str, document: str | None = None):
        """One fact (IRI or short id: m2.4, t3, d1, c1, p5) with its quoted source sentence."""
        from .ingest import find_fact
        return find_fact(self, ident, document)

    # -- full-text search (policykg.search) ----------------------------------------------------
    def search(self, text: str, owner: str | None = None, kind: str | None = None, document: str | None = None,
               limit: int = 10):
        """Ranked passages (measures, targets, deadlines, conditions, paragraphs) matching ``text``:
        words, "phrases", OR, NOT; ``owner`` any department name form. Typed ``SearchHit``s."""
        from .search import search
        return search(self, text, owner=owner, kind=kind, document=document, limit=limit)

    def _after_change(self, documents: list[str] | None = None) -> None:
        """Keep what is derived from the store current (the organisation cache, the search index);
        ``documents``: the IRIs of the documents that changed, ``None``: everything."""
        self._orgs = None
        from .search import after_change
        after_change(self, documents)

    # -- questions, tracing, paths, networkx (policykg.question / trace / projection) ----------
    def query(self, question: str, today: str | None = None):
        """Answer a question in plain Chinese or English (教育厅负责哪些措施); an ``Answer`` with the
        structured query and its SPARQL. Unmapped questions fall back to full-text search, labelled."""
        from .question import ask
        return ask(self, question, today=today)

    def trace(self, ref: str, depth: int = 4):
        """The facts connected to a term, measure, department, target or document, as a ``Trace``."""
        from .trace import trace
        return trace(self, ref, depth=depth)

    def path(self, a: str, b: str, limit: int = 5):
        """The shortest chains of relations between two entities (公安厅 → 落户)."""
        from .trace import path
        return path(self, a, b, limit=limit)

    def to_networkx(self, view: str = "responsibility"):
        """A networkx projection: ``responsibility`` (departments ↔ measures, role on the edge) or
        ``full`` (every entity, literals as attributes), built from SPARQL CONSTRUCT."""
        from .projection import to_networkx
        return to_networkx(self, view=view)


def _query_form(query: str) -> str:
    import re
    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$", "", re.sub(r"#[^\n]*", "", query))
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    return m.group(1).upper() if m else "SELECT"

