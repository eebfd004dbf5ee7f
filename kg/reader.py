"""The read side of the knowledge graph: queries on a store that return typed records (measures,
departments, targets, deadlines, conditions, documents) and the lookups every feature shares (which
organisation a name means, which stored document a name means).

Every feature (ingest, search, question, trace, render, exports, projection) receives a ``GraphReader``;
``KnowledgeGraph`` (policykg.knowledge) is the facade on top that adds the features as methods.
"""
from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection

from policykg.ontology import ID, PKG, TIME, Organisation, load_registry

from .errors import DepartmentError, DocumentNotFound, InputError
from .iris import REGISTRY_GRAPH
from .kept import forget, keep, recall
from .records import (ConditionRecord, DeadlineRecord, DepartmentRecord, DocumentRecord, MeasureRecord,
                      RoleRecord, TargetRecord)
from .roles import ROLE_ZH
from .store import Store, query_form, sparql_string

if TYPE_CHECKING:
    import rdflib

#: OWL-Time / pkg temporal units → the precision names of ``Deadline.precision``.
_PRECISION = {TIME + "unitDay": "day", TIME + "unitMonth": "month", TIME + "unitYear": "year",
              PKG + "unitQuarter": "quarter", PKG + "unitHalfYear": "half-year"}
#: The roles a department can have in a measure (``pkg:role``).
ROLES = tuple(ROLE_ZH)


def values_clause(var: str, iris: Collection[str] | None) -> str:
    """``VALUES ?var { <iri> … }`` keeping ``var`` to ``iris``; '' for ``None`` (no restriction)."""
    return f"VALUES {var} {{ {' '.join(f'<{i}>' for i in sorted(iris))} }}" if iris is not None else ""


def _measure_record(data: dict[str, Any]) -> MeasureRecord:
    """A measure from what ``MeasureRecord.to_dict`` gave (as JSON: the span a list)."""
    return MeasureRecord(**{**data, "span": tuple(data["span"]),
                            "responsibilities": [RoleRecord(**r) for r in data["responsibilities"]]})


def _target_record(data: dict[str, Any]) -> TargetRecord:
    return TargetRecord(**{**data, "span": tuple(data["span"])})


def _deadline_record(data: dict[str, Any]) -> DeadlineRecord:
    return DeadlineRecord(**{**data, "span": tuple(data["span"])})


def path_order(path: str) -> tuple[int | str, ...]:
    """The sort key of a structural path: 2.10 after 2.9."""
    return tuple(int(p) if p.isdigit() else p for p in path.replace("-", ".").split("."))


class GraphReader:
    """Typed reads of the graph in ``store``; ``home``: its data directory (``None``: in memory)."""

    def __init__(self, store: Store, home: Path | None = None):
        self.store = store
        self.home = home
        self._orgs: list[tuple[Organisation, bool]] | None = None
        #: What features derive from this store and keep for the graph's lifetime (policykg.search
        #: keeps an in-memory index here for a graph without a home); emptied by ``changed()``.
        self.derived: dict[str, Any] = {}

    def is_built(self) -> bool:
        """Whether the registry and ontology are stored (a graph is built once, on first open)."""
        # not a listing of the graph names: there is one per document (10 000 documents: 0.1 s)
        return self.store.ask(f"ASK {{ GRAPH <{REGISTRY_GRAPH}> {{ ?s ?p ?o }} }}")

    def changed(self) -> None:
        """Forget what was derived from the store (the organisation list, ``derived``, what the home
        keeps): it changed."""
        self._orgs = None
        self.derived.clear()
        forget(self.home)

    def _kept(self, name: str, compute: Callable[[], list], record: Callable[[Any], Any],
              stored: Callable[[Any], Any] = lambda r: r.to_dict()) -> list:
        """``compute()``'s records, kept in the home as ``name`` for the store's version (each as
        ``stored(record)``, read back by ``record``): a new process asking again reads them back
        instead of querying the store (10 000 documents: an export's listings take 10 s to query,
        under a second to read back)."""
        import gc
        version = self.store.version
        gc.disable()  # reading back 100 000s of objects, the collector would walk them again and again
        try:
            kept = recall(self.home, name, version)
            records = None if kept is None else [record(d) for d in kept]
            # ... and then walk them once per younger generation: they go to the oldest one at once
            # (full collections still see them; an export of 10 000 documents: 0.5 s less)
            gc.freeze()
            gc.unfreeze()
        finally:
            gc.enable()
        if records is not None:
            return records
        out = compute()
        keep(self.home, name, version, [stored(r) for r in out])
        return out

    # -- generic access: one return type per query form ----------------------------------
    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SPARQL SELECT: one dict per row, variable → Python value (None when unbound)."""
        return self.store.select(query)

    def ask(self, query: str) -> bool:
        """Run a SPARQL ASK."""
        return self.store.ask(query)

    def construct(self, query: str) -> str:
        """Run a SPARQL CONSTRUCT or DESCRIBE: the triples as N-Triples."""
        return self.store.construct(query)

    def sparql(self, query: str) -> list[dict[str, Any]] | bool | str:
        """Run any SPARQL query, for a user who typed one (``policykg sparql``): SELECT → rows (dicts),
        ASK → bool, CONSTRUCT/DESCRIBE → N-Triples. Code that knows its query's form calls
        ``select`` / ``ask`` / ``construct``, whose answers have one type each."""
        head = query_form(query)
        if head == "ASK":
            return self.ask(query)
        if head in ("CONSTRUCT", "DESCRIBE"):
            return self.construct(query)
        return self.select(query)

    @property
    def graph(self) -> "rdflib.Graph":
        """Everything in the store as an rdflib Graph (a copy: for rdflib tooling and exports)."""
        import rdflib

        from policykg.ontology import PREFIXES
        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        return g.parse(data=self.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), format="nt")
    # -- departments ---------------------------------------------------------------------
    def organisations(self) -> list[tuple[Organisation, bool]]:
        """Organisations in the graph, each with whether it holds any responsibility."""
        if self._orgs is None:
            # kept in the home: reading them is a good part of a cold ``measures --owner`` (10 000
            # documents: about a second)
            self._orgs = self._kept("organisations", self._read_organisations,
                                    lambda kept: (Organisation(**{**kept[0], "short": tuple(kept[0]["short"])}), kept[1]),
                                    lambda pair: [asdict(pair[0]), pair[1]])
        return self._orgs

    def _read_organisations(self) -> list[tuple[Organisation, bool]]:
        # One triple pattern per query, joined here: an organisation first met in documents is
        # restated in each document's graph and the union default graph repeats it per graph, so
        # a join of two patterns inside the store multiplies those copies (10 000 documents: the
        # one-query form ran for minutes; these take about a second together).
        def pairs(query: str, a: str, b: str) -> dict[str, list]:
            out: dict[str, list] = {}
            for r in self.store.select(query):
                out.setdefault(r[a], []).append(r[b])
            return out
        typed = {r["o"] for r in self.store.select(
            "SELECT DISTINCT ?o WHERE { VALUES ?cls { org:Organization pkg:Collective } ?o a ?cls }")}
        zh = pairs('SELECT DISTINCT ?o ?zh WHERE { ?o skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }', "o", "zh")
        en = pairs('SELECT DISTINCT ?o ?en WHERE { ?o skos:prefLabel ?en FILTER(lang(?en) = "en") }', "o", "en")
        alts = pairs("SELECT DISTINCT ?o ?alt WHERE { ?o skos:altLabel ?alt }", "o", "alt")
        jur = pairs("""SELECT DISTINCT ?o ?jur WHERE { ?o pkg:jurisdiction ?j .
                       BIND(STRAFTER(STR(?j), "jurisdiction/") AS ?jur) }""", "o", "jur")
        reg = pairs("SELECT DISTINCT ?o ?reg WHERE { ?o pkg:inRegistry ?reg }", "o", "reg")
        active = {r["o"]: r["n"] for r in self.store.select(
            "SELECT ?o (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r pkg:agent ?o } GROUP BY ?o")}
        return [(Organisation(id=o[len(ID) + 4:], name=name, jurisdiction=j, en=e,
                              short=tuple(alts.get(o, ())), in_registry=bool(reg.get(o, [None])[0])),
                 active.get(o, 0) > 0)
                for o in sorted(typed) for name in zh.get(o, ()) for e in en.get(o, [None])
                for j in jur.get(o, [None])]

    def labels(self, nodes: set[str]) -> dict[str, list[str]]:
        """The Chinese names (skos:prefLabel @zh) of ``nodes`` (IRIs), each name once."""
        out: dict[str, list[str]] = {}
        if not nodes:
            return out
        # one pattern per node, each name once: joined to the facts naming them, the union default graph
        # would repeat a name once per document graph that states it
        for r in self.store.select(f"""SELECT DISTINCT ?o ?zh WHERE {{ VALUES ?o {{ {' '.join(f'<{n}>' for n in sorted(nodes))} }}
                                          ?o skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }}"""):
            out.setdefault(r["o"], []).append(r["zh"])
        return out

    def resolve_department(self, name: str) -> Organisation:
        """The one organisation ``name`` means (any form: 教育厅, 自治区教育厅, "Department of
        Education", "education"); raises DepartmentError listing candidates otherwise."""
        registry = load_registry()
        orgs = self.organisations()
        for pool in ([o for o, active in orgs if active], [o for o, _ in orgs]):
            hits = registry.lookup(name, among=pool)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise DepartmentError(name, sorted(hits, key=lambda o: o.name))
        raise DepartmentError(name, [])

    def departments(self) -> list[DepartmentRecord]:
        """Every organisation with a role in some measure, the most involved first."""
        return self._kept("departments", self._departments, lambda d: DepartmentRecord(**d))

    def _departments(self) -> list[DepartmentRecord]:
        rows = self.store.select("""
            SELECT ?o (COUNT(DISTINCT ?m) AS ?n) (COUNT(DISTINCT ?lm) AS ?leads) WHERE {
              ?m pkg:responsibility ?r . ?r pkg:agent ?o .
              OPTIONAL { ?r pkg:role pkg:lead . ?lm pkg:responsibility ?r }  # (a BIND here would see no ?m)
            } GROUP BY ?o""")
        counts = {r["o"]: (r["n"], r["leads"]) for r in rows}
        out = []
        for org, _ in self.organisations():
            iri = f"{ID}org/{org.id}"
            if iri in counts:
                out.append(DepartmentRecord(iri, org.name, org.en, org.jurisdiction, list(org.short),
                                            org.in_registry, *counts[iri]))
        return sorted(out, key=lambda d: (-d.measures, -d.leads, d.name))

    # -- documents -----------------------------------------------------------------------
    def documents(self, among: Collection[str] | None = None) -> list[DocumentRecord]:
        """Stored documents, and documents known only because another one cites them (stubs);
        each with the documents it cites and those citing it (文号, or title without one).
        ``among``: only these documents (IRIs)."""
        if among is not None:
            return self._documents(among)
        return self._kept("documents", lambda: self._documents(None), lambda d: DocumentRecord(**d))

    def _documents(self, among: Collection[str] | None) -> list[DocumentRecord]:
        # Simple queries joined here. The union of the named graphs is a bag (a stub's triples recur
        # in every citing document's graph), so one query with all the OPTIONALs multiplies those
        # copies: minutes for a few thousand documents.
        known = [r["d"] for r in self.store.select("SELECT DISTINCT ?d WHERE { ?d a eli:LegalResource }")]
        typed = set(known)
        wanted = typed if among is None else set(among)
        docs = [d for d in known if d in wanted]
        scope = self.scope("?d", None, None if among is None else docs)
        props = self._document_fields(scope)
        issued: dict[str, list[str]] = {}
        for r in self.store.select(f"SELECT DISTINCT ?d ?i WHERE {{ ?d pkg:issuer ?i . {scope} }}"):
            issued.setdefault(r["d"], []).append(r["i"])
        labels = self.labels({i for by in issued.values() for i in by})
        issuers = {d: {labels[i][-1] for i in by if i in labels} for d, by in issued.items()}
        # a document's measures are in its own graph: counted there, without reading each measure's
        # link to its document (10 000 documents: 0.3 s → 0.03 s)
        counts = {r["d"]: r["n"] for r in self.store.select(
            f"SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE {{ GRAPH ?d {{ ?m a pkg:Measure }} {scope} }} GROUP BY ?d")}
        rows = []
        for d in docs:
            r = {"d": d, **dict.fromkeys(("num", "title", "cited", "date", "text")), **props.get(d, {})}
            r["issuers"], r["n"] = sorted(issuers.get(d, ())), counts.get(d, 0)
            rows.append(r)
        links = self.store.select("SELECT DISTINCT ?a ?b WHERE { ?a eli:cites ?b }")
        if among is not None:  # the other ends of these documents' citations are named too
            links = [r for r in links if r["a"] in wanted or r["b"] in wanted]
            others = typed & {d for r in links for d in (r["a"], r["b"])} - wanted
            props.update(self._document_fields(self.scope("?d", None, others)) if others else {})
            wanted = wanted | others
        names = {d: p.get("num") or p.get("title") or p.get("cited") or "" for d, p in props.items() if d in wanted}
        names.update((d, "") for d in (wanted & typed) - set(names))
        cites: dict[str, list[str]] = {}
        cited_by: dict[str, list[str]] = {}
        for r in links:
            cites.setdefault(r["a"], []).append(names.get(r["b"], r["b"]))
            cited_by.setdefault(r["b"], []).append(names.get(r["a"], r["a"]))
        out = [DocumentRecord(r["d"], r["num"], r["title"] or r["cited"] or "", r["date"],
                              r["issuers"], r["n"], r["text"] is None,
                              sorted(cites.get(r["d"], [])), sorted(cited_by.get(r["d"], [])), r["text"])
               for r in rows]
        return sorted(out, key=lambda d: (d.doc_number is None, d.doc_number or "", d.title))

    def _document_fields(self, scope: str) -> dict[str, dict[str, Any]]:
        """Document IRI → num, title, cited, date, text (its source name): the first value of each."""
        props: dict[str, dict[str, Any]] = {}
        # one query per property, the title read in the document's own graph only: the measures have
        # titles too, and reading theirs only to drop them was most of the listing's time
        for field, pattern in (("num", "?d eli:id_local ?o"), ("title", "GRAPH ?d { ?d eli:title ?o }"),
                               ("cited", "?d pkg:citedTitle ?o"), ("date", "?d eli:date_document ?o"),
                               ("text", "?d pkg:sourceName ?o")):
            for r in self.store.select(f"SELECT ?d ?o WHERE {{ {pattern} {scope} }}"):
                props.setdefault(r["d"], {}).setdefault(field, r["o"])
        return props

    def document_iri(self, name: str) -> str:
        """The stored (not stub) document a user means: its IRI, 文号, title, or part of one."""
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

    def document_filter(self, var: str, document: str | None) -> str:
        """A SPARQL filter keeping ``var`` to the stored document ``document`` names ('' for none)."""
        return f"FILTER({var} = <{self.document_iri(document)}>)" if document else ""

    def scope(self, var: str, document: str | None, among: Collection[str] | None) -> str:
        """SPARQL keeping ``var`` to the stored document ``document`` names and, with ``among``, to
        those documents (IRIs); '' for neither."""
        return values_clause(var, among) + self.document_filter(var, document)

    # -- measures ------------------------------------------------------------------------
    def measures(self, owner: str | None = None, document: str | None = None,
                 role: str | None = None, among: Collection[str] | None = None,
                 iris: Collection[str] | None = None) -> list[MeasureRecord]:
        """Measures, optionally those where ``owner`` has a role; ``role`` (lead, responsible, support,
        guide): only measures where that department — or, without ``owner``, any department — has that role.
        ``among``: only the measures of these documents (IRIs); ``iris``: only these measures."""
        if role and role not in ROLES:
            raise InputError(f"unknown role '{role}'", f"choose from {', '.join(ROLES)}")
        org = self.resolve_department(owner) if owner else None
        if document or among is not None or iris is not None:
            return self._measures(org, document, role, among, iris)
        # every measure, or one department's or role's, is kept: a cold `measures --owner` of 10 000
        # documents spent 0.1 s of its 0.3 s reading them
        from hashlib import sha1
        name = "measures-" + sha1(f"{org.id if org else ''}\t{role or ''}".encode()).hexdigest()[:20]
        return self._kept(name, lambda: self._measures(org, None, role, None, None), _measure_record)

    def _measures(self, org: Organisation | None, document: str | None, role: str | None,
                  among: Collection[str] | None, iris: Collection[str] | None) -> list[MeasureRecord]:
        filters = []
        role_filter = f"pkg:role pkg:{role}" if role else ""
        # the owner/role restriction is a join written first, not a FILTER EXISTS on every measure
        # (10 000 documents: 0.01 s instead of 15 s); DISTINCT drops the copies it can make
        first = ""
        if org:
            agent = f"pkg:agent <{ID}org/{org.id}>" + (" ; " if role else "")
            first = f"?m pkg:responsibility ?r0 . ?r0 {agent}{role_filter} ."
        elif role:
            first = f"?m pkg:responsibility ?r0 . ?r0 {role_filter} ."
        if document or among is not None:
            filters.append(self.scope("?d", document, among))
        where = f"""{values_clause("?m", iris)} {first}
              ?m a pkg:Measure ; eli:is_part_of ?d .
              {' '.join(filters)}"""
        rows = self.store.select(f"""
            SELECT DISTINCT ?m ?d ?num ?dtitle ?number ?path ?title ?text ?s ?e WHERE {{
              {where}
              ?m pkg:number ?number ; pkg:path ?path ; eli:title ?title ; pkg:text ?text ;
                 pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
            }}""")
        # the responsibilities in a query of their own, joined here: as an OPTIONAL of the query above
        # the store evaluated them for every measure (1 000 documents: 0.2 s for the 56 measures of one owner)
        roles = self.store.select(f"""
            SELECT DISTINCT ?m ?o ?role ?mention ?pos WHERE {{
              {where}
              ?m pkg:responsibility ?r . ?r pkg:agent ?o ; pkg:role ?role ; pkg:mention ?mention ; pkg:listPosition ?pos .
            }}""")
        # names from the organisation list, not joined in the query: an organisation's labels recur
        # in every document graph naming it, and that join multiplied the rows (10 000 documents: minutes)
        names = {f"{ID}org/{o.id}": (o.name, o.en) for o, _ in self.organisations()}
        measures: dict[str, MeasureRecord] = {}
        for r in rows:
            if r["m"] not in measures:
                measures[r["m"]] = MeasureRecord(r["m"], r["num"] or r["dtitle"], r["number"], r["title"],
                                                 r["text"], r["path"], (r["s"], r["e"]))
        roles.sort(key=lambda r: r["pos"])  # responsibilities in the order printed
        for r in roles:
            m = measures.get(r["m"])
            if m is not None and r["o"] in names:
                zh, en = names[r["o"]]
                m.responsibilities.append(RoleRecord(zh, r["role"].rsplit("#", 1)[-1], r["mention"], en, r["o"]))
        return sorted(measures.values(), key=lambda m: (m.document, path_order(m.path)))

    # -- targets, deadlines, conditions --------------------------------------------------
    def targets(self, owner: str | None = None, document: str | None = None,
                among: Collection[str] | None = None, iris: Collection[str] | None = None) -> list[TargetRecord]:
        """Quantitative targets; with ``document`` (文号 or title), that document's; with ``among``,
        those of these documents (IRIs); with ``iris``, these targets.

        With ``owner``: the targets stated in a measure the department has a role in, and the targets a
        notice states once for the whole document that are linked to such a measure by shared terms
        (``pkg:relatedMeasure``) — those only when the department leads that measure (named 牵头, or
        listed first when no lead is named) or its name names the target's field (住房城乡建设厅 →
        保障性租赁住房), never for every department the measure lists (公安厅 builds no kindergartens).
        """
        if not (owner or document or among is not None or iris is not None):
            return self._kept("targets", lambda: self._targets(None, None, None, None), _target_record)
        return self._targets(owner, document, among, iris)

    def _targets(self, owner: str | None, document: str | None, among: Collection[str] | None,
                 iris: Collection[str] | None) -> list[TargetRecord]:
        owner_filter = self.scope("?d", document, among)
        org = self.resolve_department(owner) if owner else None
        if org:
            owner_filter += (f"{{ ?t pkg:measure ?om BIND(true AS ?stated) }} UNION {{ ?t pkg:relatedMeasure ?om }}"
                             f"?om pkg:responsibility/pkg:agent <{ID}org/{org.id}> .")
        rows = self.store.select(f"""
            SELECT ?t ?num ?dtitle ?text ?ind ?value ?min ?max ?unit ?cmp ?period ?mnum ?m ?s ?e ?om ?stated
                   (GROUP_CONCAT(DISTINCT ?rnum; separator="|") AS ?related) WHERE {{
              {values_clause("?t", iris)}
              ?t a pkg:Target ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:indicator ?ind ;
                 schema:unitText ?unit ; pkg:comparator ?cmp ; pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL {{ ?d eli:id_local ?num }}
              OPTIONAL {{ ?t schema:value ?value }} OPTIONAL {{ ?t schema:minValue ?min }}
              OPTIONAL {{ ?t schema:maxValue ?max }}
              OPTIONAL {{ ?t pkg:period ?period }}
              OPTIONAL {{ ?t pkg:measure ?m . ?m pkg:number ?mnum }}
              OPTIONAL {{ ?t pkg:relatedMeasure ?rm . ?rm pkg:number ?rnum }}
              {owner_filter}
            }} GROUP BY ?t ?num ?dtitle ?text ?ind ?value ?min ?max ?unit ?cmp ?period ?mnum ?m ?s ?e ?om ?stated""")
        if org:
            leads = {m.iri: m.leads or m.departments[:1] for m in self.measures(owner=owner)}
            fields = _field_words(org.name)
            rows = [r for r in rows if r["stated"] or org.name in leads.get(r["om"], ())
                    or any(w in r["text"] for w in fields)]
        out = {r["t"]: TargetRecord(r["t"], r["num"] or r["dtitle"], r["text"], r["ind"], r["value"], r["unit"],
                                    r["cmp"], r["period"], r["mnum"], r["m"], (r["s"], r["e"]), r["min"], r["max"],
                                    sorted(n for n in (r["related"] or "").split("|") if n)) for r in rows}
        return sorted(out.values(), key=lambda t: (t.document, t.span))

    def deadlines(self, document: str | None = None, among: Collection[str] | None = None) -> list[DeadlineRecord]:
        """Deadlines (of ``document``, or all; with ``among``: of these documents, IRIs), earliest first."""
        if not document and among is None:
            return self._kept("deadlines", lambda: self._deadlines(None, None), _deadline_record)
        return self._deadlines(document, among)

    def _deadlines(self, document: str | None, among: Collection[str] | None) -> list[DeadlineRecord]:
        scope = self.scope("?d", document, among)
        rows = self.store.select("""
            SELECT DISTINCT ?x ?num ?dtitle ?date ?what ?text ?mnum ?s ?e ?unit ?period ?every ?rel WHERE {
              ?x a pkg:Deadline ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?x time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?date .
              ?d eli:title ?dtitle . OPTIONAL { ?d eli:id_local ?num }
              OPTIONAL { ?x pkg:deliverable ?what }
              OPTIONAL { ?x pkg:datePrecision ?unit } OPTIONAL { ?x pkg:calendarPeriod ?period }
              OPTIONAL { ?x pkg:recurrence ?every } OPTIONAL { ?x pkg:relativeTo ?rel }
              OPTIONAL { ?x pkg:measure ?m . ?m pkg:number ?mnum }
            """ + scope + "}")
        # who reports and to whom: the parties' names are looked up once each, not joined per deadline (a
        # party's labels recur in every document graph naming it: 10 000 documents took 35 s that way)
        parties: dict[str, dict[str, list[str]]] = {"submitTo": {}, "obligatedParty": {}}
        if rows:
            for r in self.store.select(f"""SELECT DISTINCT ?x ?p ?o WHERE {{
                    VALUES ?p {{ pkg:submitTo pkg:obligatedParty }}
                    ?x a pkg:Deadline ; prov:wasDerivedFrom ?d ; ?p ?o . {scope} }}"""):
                parties[r["p"].rsplit("#", 1)[-1]].setdefault(r["x"], []).append(r["o"])
        names = self.labels({o for by in parties.values() for os in by.values() for o in os}) if rows else {}
        out = []
        for r in rows:
            obligated = list(dict.fromkeys(n for o in parties["obligatedParty"].get(r["x"], ()) for n in names.get(o, ())))
            submit_to: list[str | None] = [n for o in parties["submitTo"].get(r["x"], ()) for n in names.get(o, ())]
            for sub in list(dict.fromkeys(submit_to)) or [None]:  # one record per name it is submitted to
                out.append(DeadlineRecord(r["x"], r["num"] or r["dtitle"], str(r["date"]), r["what"] or "",
                                          in_text_order(obligated, r["text"]), sub, r["text"], r["mnum"], (r["s"], r["e"]),
                                          _PRECISION.get(r["unit"] or "", ""), r["period"],
                                          str(r["every"]) if r["every"] else None, r["rel"]))
        return sorted(out, key=lambda d: (d.date, d.document, d.span))

    def conditions(self, document: str | None = None, among: Collection[str] | None = None) -> list[ConditionRecord]:
        """Conditions (e.g. for 户口迁移, of ``document`` or all; with ``among``: of these documents, IRIs)
        with their alternatives and the measure that owns them."""
        rows = self.store.select("""
            SELECT ?c ?num ?dtitle ?text ?gov ?m ?mnum ?s ?e
                   (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts)
                   (GROUP_CONCAT(DISTINCT CONCAT(STR(?pos), "\t", STR(?o)); separator="|") AS ?owners) WHERE {
              ?c a pkg:Condition ; prov:wasDerivedFrom ?d ; pkg:text ?text ; pkg:governs ?gov ;
                 pkg:spanStart ?s ; pkg:spanEnd ?e .
              ?d eli:title ?dtitle . OPTIONAL { ?d eli:id_local ?num }
              OPTIONAL { ?c pkg:anyOf ?a . ?a rdfs:label ?alt }
              OPTIONAL { ?c pkg:measure ?m . ?m pkg:number ?mnum .
                         OPTIONAL { ?m pkg:responsibility ?r . ?r pkg:agent ?o ; pkg:listPosition ?pos } }
            """ + self.scope("?d", document, among) + """
            } GROUP BY ?c ?num ?dtitle ?text ?gov ?m ?mnum ?s ?e""")
        # owners' names from the organisation list, not joined in the query: an organisation's labels recur
        # in every document graph naming it, and that join multiplied the rows (1 000 documents: 39 s)
        names = {f"{ID}org/{o.id}": o.name for o, _ in self.organisations()} if rows else {}
        out = []
        for r in rows:
            alts = [a for a in (r["alts"] or "").split("|") if a]
            alts.sort(key=lambda a: r["text"].find(a))
            owners = sorted((o.split("\t", 1) for o in (r["owners"] or "").split("|") if o),
                            key=lambda po: int(po[0]))  # as the measure lists them
            out.append(ConditionRecord(r["c"], r["num"] or r["dtitle"], r["text"], r["gov"], alts, r["mnum"],
                                       r["m"], list(dict.fromkeys(names[iri] for _, iri in owners if iri in names)),
                                       (r["s"], r["e"])))
        return sorted(out, key=lambda c: (c.document, c.span))



#: What ends an organisation's name after its field: 教育|厅, 住房和城乡建设|厅, 医疗保障|局, 发展和改革|委员会.
_ORGAN_SUFFIX = re.compile(r"(?:委员会|办公室|总局|厅|局|委|办|部|署|会|院|中心)$")


def _field_words(name: str) -> list[str]:
    """The words of an organisation's name that say its field: 广西壮族自治区住房和城乡建设厅 → [住房, 城乡建设];
    none for a name that is only a place or a collective (各市人民政府)."""
    core = _ORGAN_SUFFIX.sub("", load_registry().split_prefix(name)[1])
    return [w for w in re.split(r"[和与及、]", core) if len(w) >= 2 and not re.search(r"人民政府|有关|各", w)]


def in_text_order(names: list[str], text: str) -> list[str]:
    """Organisation names in the order ``text`` mentions them (by full name, else without the
    jurisdiction prefix: 广西壮族自治区教育厅 is found as 教育厅); names not found go last, sorted."""
    registry = load_registry()

    def position(name: str) -> tuple[int, str]:
        for form in (name, registry.split_prefix(name)[1]):
            at = text.find(form) if form else -1
            if at >= 0:
                return at, name
        return len(text), name
    return sorted(names, key=position)
