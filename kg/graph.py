"""Facts → RDF. A Document becomes one named graph; the registry is a graph of its own."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from policykg.ontology import (CCCEV, ELI, ORG, PKG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD,
                               Registry, load_registry)

from .iris import document_iri, fact_iri, jurisdiction_iri, org_iri
from .model import Document, Party

if TYPE_CHECKING:
    import rdflib

#: ISO date length → (OWL-Time property, XSD type): 2023-07-15, 2023-12 (月底前), 2023 (年底前).
_DATE_PRECISION = {10: ("inXSDDate", "date"), 7: ("inXSDgYearMonth", "gYearMonth"), 4: ("inXSDgYear", "gYear")}
#: A deadline's precision as written → its OWL-Time temporal unit (quarter and half-year are ours).
_PRECISION_UNIT = {"day": TIME + "unitDay", "month": TIME + "unitMonth", "year": TIME + "unitYear",
                   "quarter": PKG + "unitQuarter", "half-year": PKG + "unitHalfYear"}


_NAMESPACES = dict(pkg=PKG, eli=ELI, org=ORG, prov=PROV, rdf=RDF, rdfs=RDFS, schema=SCHEMA, skos=SKOS,
                   time=TIME, cccev=CCCEV)


@lru_cache(maxsize=1)
def _ns():
    from rdflib import Namespace
    return {k: Namespace(v) for k, v in _NAMESPACES.items()}


def new_graph() -> "rdflib.Graph":
    from rdflib import Graph

    from policykg.ontology import PREFIXES
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def registry_graph(registry: Registry | None = None) -> "rdflib.Graph":
    """The organisation registry as RDF: org:Organization with zh/en labels and short forms."""
    from rdflib import Literal, URIRef
    registry = registry or load_registry()
    ns, g = _ns(), new_graph()
    for j in registry.jurisdictions.values():
        ji = URIRef(jurisdiction_iri(j.key))
        g.add((ji, ns["rdf"].type, ns["pkg"].Jurisdiction))
        g.add((ji, ns["skos"].prefLabel, Literal(j.name, lang="zh")))
        g.add((ji, ns["skos"].prefLabel, Literal(j.en, lang="en")))
    for o in registry.organisations:
        oi = URIRef(org_iri(o.id))
        g.add((oi, ns["rdf"].type, ns["org"].Organization))
        g.add((oi, ns["skos"].prefLabel, Literal(o.name, lang="zh")))
        if o.en:
            g.add((oi, ns["skos"].prefLabel, Literal(o.en, lang="en")))
        for short in o.short:
            if short != o.name:
                g.add((oi, ns["skos"].altLabel, Literal(short, lang="zh")))
        if o.jurisdiction:
            g.add((oi, ns["pkg"].jurisdiction, URIRef(jurisdiction_iri(o.jurisdiction))))
        if o.parent:
            g.add((oi, ns["org"].subOrganizationOf, URIRef(org_iri(o.parent))))
        g.add((oi, ns["pkg"].inRegistry, Literal(True)))
    return g


class RdflibTerms:
    """rdflib's terms: ``document_graph`` builds an rdflib Graph with these."""

    def __init__(self) -> None:
        from rdflib import Literal, URIRef
        self.iri, self.literal, self.ns = URIRef, Literal, _ns()


#: Typed values rdflib writes exactly as given, by datatype: dates, months and years (the deadlines),
#: durations of one unit that it does not rewrite (P1Y, P6M, P3M; not P12M, which it writes P1Y).
_AS_WRITTEN = {XSD + "date": re.compile(r"\d{4}-\d{2}-\d{2}\Z"), XSD + "gYearMonth": re.compile(r"\d{4}-\d{2}\Z"),
               XSD + "gYear": re.compile(r"\d{4}\Z"),
               XSD + "duration": re.compile(r"P(?:[1-9]\d*Y|(?:[1-9]|1[01])M|\d+D)\Z")}


class NTriplesTerms:
    """The same terms as N-Triples text, exactly as rdflib writes them: the ingest path gets a
    document's triples as text without making an rdflib term for each (eight times faster)."""

    def __init__(self) -> None:
        self.ns = _nt_ns()

    @staticmethod
    def escape(text: str) -> str:
        """Backslash, quote and line breaks escaped (the backslash first, so that no escape is escaped
        again); four replace() scans are some twenty times faster than one translate() on Chinese text."""
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    @classmethod
    def literal(cls, value: Any, lang: str | None = None, datatype: str | None = None) -> str:
        kind = type(value)
        if kind is str and datatype is None:
            text = f'"{cls.escape(value)}"'
            return f"{text}@{lang}" if lang else text
        if kind is int and datatype is None:
            return f'"{value}"^^<{XSD}integer>'
        if kind is bool and datatype is None:
            return f'"{"true" if value else "false"}"^^<{XSD}boolean>'
        if kind is float and datatype is None and math.isfinite(value):
            return f'"{value!r}"^^<{XSD}double>'
        if kind is str and lang is None and (form := _AS_WRITTEN.get(datatype or "")) and form.match(value):
            return f'"{value}"^^<{datatype}>'
        return _rdflib_literal(value, lang, datatype)  # rdflib normalises the rest (P12M → P1Y): let it


class _NTriplesNamespace:
    """``ns.Measure`` / ``ns["Measure"]`` → ``<…#Measure>``, as rdflib's Namespace gives the IRI."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        term = f"<{self._base}{name}>"
        setattr(self, name, term)  # asked once, then an ordinary attribute
        return term

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


@lru_cache(maxsize=1)
def _nt_ns() -> dict[str, _NTriplesNamespace]:
    return {k: _NTriplesNamespace(v) for k, v in _NAMESPACES.items()}


@lru_cache(maxsize=4096, typed=True)
def _rdflib_literal(value: Any, lang: str | None, datatype: str | None) -> str:
    """A typed literal (date, duration, number, boolean) in N-Triples, as rdflib writes it."""
    from rdflib import Literal
    term = Literal(value, lang=lang, datatype=datatype)
    text = f'"{NTriplesTerms.escape(str(term))}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD + "string":
        return f"{text}^^<{term.datatype}>"
    return text


class Triples(Protocol):
    """What ``document_graph`` adds triples to: an rdflib Graph, or any collector of triples."""

    def add(self, triple: tuple[Any, Any, Any]) -> Any: ...


def document_graph(doc: Document, graph: Triples | None = None,
                   terms: RdflibTerms | NTriplesTerms | None = None) -> Any:
    """All facts of one document, each with its source document and character span.

    ``graph``: any object with ``add(triple)`` to collect into instead of a new rdflib Graph;
    ``terms``: what the triples are made of, rdflib's terms unless given (the bulk ingest path
    collects N-Triples text: ``NTriplesTerms``).
    """
    terms = terms or RdflibTerms()
    iri, literal, ns = terms.iri, terms.literal, terms.ns
    g: Triples = graph if graph is not None else new_graph()
    pkg, eli, rdf = ns["pkg"], ns["eli"], ns["rdf"].type
    key = doc.key
    d = iri(document_iri(key))

    def fact(node_iri: str, cls, span):
        node = iri(node_iri)
        g.add((node, rdf, cls))
        g.add((node, ns["prov"].wasDerivedFrom, d))
        g.add((node, pkg.spanStart, literal(span[0])))
        g.add((node, pkg.spanEnd, literal(span[1])))
        return node

    def party(p: Party):
        node = iri(org_iri(p.org.id))
        if not p.org.in_registry:  # organisations first met here live in this document's graph
            g.add((node, rdf, pkg.Collective if p.collective else ns["org"].Organization))
            g.add((node, ns["skos"].prefLabel, literal(p.org.name, lang="zh")))
            g.add((node, pkg.inRegistry, literal(False)))
            if p.org.jurisdiction:
                g.add((node, pkg.jurisdiction, iri(jurisdiction_iri(p.org.jurisdiction))))
        return node

    g.add((d, rdf, eli.LegalResource))
    g.add((d, eli.title, literal(doc.title)))
    if doc.doc_number:
        g.add((d, eli.id_local, literal(doc.doc_number)))
    if doc.date:
        g.add((d, eli.date_document, literal(doc.date, datatype=XSD + "date")))
    if doc.jurisdiction:
        g.add((d, pkg.jurisdiction, iri(jurisdiction_iri(doc.jurisdiction))))
    g.add((d, pkg.sourceText, literal(doc.text)))
    g.add((d, pkg.sourceName, literal(doc.source)))
    for p in doc.issuers:
        g.add((d, pkg.issuer, party(p)))
        g.add((d, eli.passed_by, party(p)))
    for p in doc.recipients:
        g.add((d, pkg.recipient, party(p)))

    measures = {}
    for m in doc.measures:
        local = m.id[1:]
        node_iri = fact_iri(key, "measure", local)
        node = fact(node_iri, pkg.Measure, m.span)
        measures[m.id] = node
        g.add((d, eli.has_part, node))
        g.add((node, eli.is_part_of, d))
        g.add((node, pkg.number, literal(m.number)))
        g.add((node, pkg.path, literal(local)))
        g.add((node, eli.title, literal(m.title)))
        g.add((node, ns["schema"].name, literal(m.title)))
        g.add((node, pkg.text, literal(m.text)))
        if m.section:
            g.add((node, pkg.sectionTitle, literal(m.section)))
        for position, r in enumerate(m.responsibilities, 1):
            rn = iri(f"{node_iri}/responsibility/{r.party.org.id}")
            g.add((rn, pkg.listPosition, literal(position)))
            g.add((node, pkg.responsibility, rn))
            g.add((rn, rdf, pkg.Responsibility))
            g.add((rn, pkg.agent, party(r.party)))
            g.add((rn, pkg.role, pkg[r.role]))
            g.add((rn, pkg.mention, literal(r.party.mention)))

    for t in doc.targets:
        node = fact(fact_iri(key, "target", t.id[1:]), pkg.Target, t.span)
        g.add((node, pkg.text, literal(t.text)))
        g.add((node, pkg.indicator, literal(t.indicator)))
        if t.value is not None:
            g.add((node, ns["schema"].value, literal(t.value)))
        if t.min_value is not None:  # 不少于5000 / 16—24岁: schema:minValue
            g.add((node, ns["schema"].minValue, literal(t.min_value)))
        if t.max_value is not None:
            g.add((node, ns["schema"].maxValue, literal(t.max_value)))
        g.add((node, ns["schema"].unitText, literal(t.unit)))
        g.add((node, pkg.comparator, literal(t.comparator)))
        if t.period:
            g.add((node, pkg.period, literal(t.period, datatype=XSD + "gYear")))
        if t.measure:
            g.add((node, pkg.measure, measures[t.measure]))
        for related in t.related_measures:  # 主要目标 targets → the measures they are about
            g.add((node, pkg.relatedMeasure, measures[related]))

    for dl in doc.deadlines:
        node = fact(fact_iri(key, "deadline", dl.id[1:]), pkg.Deadline, dl.span)
        prop, kind = _DATE_PRECISION[len(dl.date)]
        g.add((node, iri(TIME + prop), literal(dl.date, datatype=XSD + kind)))
        if dl.precision:
            g.add((node, pkg.datePrecision, iri(_PRECISION_UNIT[dl.precision])))
        if dl.period:
            g.add((node, pkg.calendarPeriod, literal(dl.period)))
        if dl.recurrence:
            g.add((node, pkg.recurrence, literal(dl.recurrence, datatype=XSD + "duration")))
        if dl.relative_to:
            g.add((node, pkg.relativeTo, literal(dl.relative_to)))
        g.add((node, pkg.deliverable, literal(dl.what)))
        g.add((node, pkg.text, literal(dl.text)))
        for p in dl.obligated:
            g.add((node, pkg.obligatedParty, party(p)))
        if dl.submit_to:
            g.add((node, pkg.submitTo, party(dl.submit_to)))
        if dl.measure:
            g.add((node, pkg.measure, measures[dl.measure]))

    for c in doc.conditions:
        node_iri = fact_iri(key, "condition", c.id[1:])
        node = fact(node_iri, pkg.Condition, c.span)
        g.add((node, pkg.text, literal(c.text)))
        g.add((node, pkg.governs, literal(c.governs)))
        for i, alt in enumerate(c.any_of, 1):
            an = iri(f"{node_iri}/alternative/{i}")
            g.add((node, pkg.anyOf, an))
            g.add((an, rdf, pkg.Alternative))
            g.add((an, ns["rdfs"].label, literal(alt)))
        if c.measure:
            g.add((node, pkg.measure, measures[c.measure]))

    for para in doc.paragraphs:
        node = fact(fact_iri(key, "paragraph", para.id[1:]), pkg.Paragraph, para.span)
        g.add((node, pkg.text, literal(para.text)))
        g.add((node, eli.is_part_of, d))

    from .topics import topic_links  # document-level conditions → measures sharing their key terms
    for kind, fact_id, measure_id, _terms in topic_links(doc, kinds=("condition",)):
        g.add((iri(fact_iri(key, kind, fact_id[1:])), pkg.relatedMeasure, measures[measure_id]))

    from .citations import issuer_of_doc_number
    for cite in doc.citations:
        number = cite.doc_number
        if not number or number == doc.doc_number:
            continue
        cited = iri(document_iri(number))  # the IRI the cited document gets when ingested
        g.add((d, eli.cites, cited))
        g.add((cited, rdf, eli.LegalResource))
        g.add((cited, eli.id_local, literal(number)))
        if cite.title:
            g.add((cited, pkg.citedTitle, literal(cite.title)))
        issuer = issuer_of_doc_number(number)  # the stub's issuer, from its 文号 prefix
        if issuer is not None:
            g.add((cited, pkg.issuer, party(issuer)))
    return g


_REFERENCE: tuple[str, str] | None = None


def reference_ntriples() -> tuple[str, str]:
    """(registry, ontology) as N-Triples: made once per process, or handed over by
    :func:`use_reference_ntriples` (ingest reads them from its cache folder: making them imports
    rdflib, a fifth of a second)."""
    global _REFERENCE
    if _REFERENCE is None:
        _REFERENCE = _make_reference_ntriples()
    return _REFERENCE


def use_reference_ntriples(registry: str, ontology: str) -> None:
    """Take ``registry`` and ``ontology`` as what :func:`reference_ntriples` makes (kept from an
    earlier run of the same policykg)."""
    global _REFERENCE
    _REFERENCE = (registry, ontology)


def _make_reference_ntriples() -> tuple[str, str]:
    import rdflib

    from policykg.ontology import ontology_turtle

    return (registry_graph().serialize(format="nt"),
            rdflib.Graph().parse(data=ontology_turtle(), format="turtle").serialize(format="nt"))
