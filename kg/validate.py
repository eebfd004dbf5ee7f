"""SHACL validation of built graphs against the bundled shapes.

Two ways, one set of shapes: ``validate_graph`` runs pySHACL (the reference; used by
``policykg validate``); ``check_graphs`` runs the same shapes compiled to SPARQL on an in-memory
Oxigraph store — fast enough for every ingested document, and tested to agree with pySHACL.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from policykg.ontology import ontology_turtle, shapes_turtle

if TYPE_CHECKING:
    import rdflib


@dataclass
class ValidationReport:
    conforms: bool
    text: str  # pySHACL's report
    triples: int


@lru_cache(maxsize=1)
def _shapes() -> tuple["rdflib.Graph", "rdflib.Graph"]:
    import rdflib
    return (rdflib.Graph().parse(data=shapes_turtle(), format="turtle"),
            rdflib.Graph().parse(data=ontology_turtle(), format="turtle"))


def validate_graph(graph: "rdflib.Graph") -> ValidationReport:
    """Check ``graph`` (data plus the registry it refers to) against the shapes."""
    import pyshacl
    shapes, ontology = _shapes()
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
                                         inference="none", advanced=False)
    return ValidationReport(bool(conforms), text, len(graph))


# -- SHACL core compiled to SPARQL ---------------------------------------------------------------
SH = "http://www.w3.org/ns/shacl#"
_IGNORED = {SH + k for k in ("name", "description", "message", "severity", "order", "group")} | {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#label"}
_TARGETS = {SH + k for k in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")}
_SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


class Unsupported(Exception):
    pass


class ShapeChecker:
    """The shapes (a SHACL core subset: targets, minCount, maxCount, datatype, class, in, nodeKind,
    hasValue, pattern, and/or/xone/not) as SPARQL queries run by Oxigraph.

    ``violations(ntriples)`` → one message per violation; an empty list means the data conforms.
    Raises Unsupported at construction when the shapes use anything else.
    """

    def __init__(self, shapes_turtle: str):
        import rdflib
        self._g = rdflib.Graph().parse(data=shapes_turtle, format="turtle")
        self.checks: list[tuple[str, list]] = []  # (target pattern, compiled constraints)
        sh = rdflib.Namespace(SH)
        shapes = set(self._g.subjects(rdflib.RDF.type, sh.NodeShape))
        shapes |= {s for p in _TARGETS for s in self._g.subjects(rdflib.URIRef(p), None)}
        for shape in sorted(shapes, key=str):
            if (shape, sh.deactivated, rdflib.Literal(True)) in self._g:
                continue
            target = self._target(shape)
            if target:
                self.checks.append((target, self._shape(shape)))

    @classmethod
    def from_checks(cls, checks: list[tuple[str, list]]) -> "ShapeChecker":
        """A checker running ``checks`` as compiled before (no shapes to parse)."""
        checker = cls.__new__(cls)
        checker.checks = checks
        return checker

    # compile
    def _target(self, shape) -> str:
        import rdflib
        parts = []
        for pred, o in self._g.predicate_objects(shape):
            p = str(pred)
            if p == SH + "targetClass":
                parts.append(f"{{ ?f {_SUBCLASS} {o.n3()} }}")
            elif p == SH + "targetSubjectsOf":
                parts.append(f"{{ ?f {o.n3()} ?_t }}")
            elif p == SH + "targetObjectsOf":
                parts.append(f"{{ ?_t {o.n3()} ?f }}")
            elif p == SH + "targetNode":
                parts.append(f"{{ VALUES ?f {{ {o.n3()} }} }}")
        del rdflib
        return " UNION ".join(parts)

    def _path(self, node) -> str:
        import rdflib
        if isinstance(node, rdflib.URIRef):
            return node.n3()
        inverse = self._g.value(node, rdflib.URIRef(SH + "inversePath"))
        if inverse is not None:
            return f"^({self._path(inverse)})"
        if (node, rdflib.RDF.first, None) in self._g:
            return "/".join(f"({self._path(n)})" for n in rdflib.collection.Collection(self._g, node))
        raise Unsupported(f"path {node}")

    def _list(self, node) -> list:
        from rdflib.collection import Collection
        return list(Collection(self._g, node))

    def _shape(self, shape) -> list:
        """Constraints of one shape: [(kind, payload, message)]; kinds 'q' (SPARQL over ?f) and
        'logic' (and/or/xone/not over member shapes)."""
        import rdflib
        g = self._g
        path_node = g.value(shape, rdflib.URIRef(SH + "path"))
        path = self._path(path_node) if path_node is not None else None
        values = f"?f {path} ?v ." if path else "BIND(?f AS ?v)"
        label = f"{path_node.n3(g.namespace_manager) if path_node is not None else 'focus'}"
        out = []
        for pred, o in g.predicate_objects(shape):
            p = str(pred)
            if p in _IGNORED or p in _TARGETS or p in (SH + "path", SH + "deactivated"):
                continue
            if p == SH + "property":
                out.extend(self._shape(o))
            elif p == SH + "minCount" and path:
                out.append(("q", f"SELECT ?f WHERE {{ {{T}} OPTIONAL {{ ?f {path} ?v }} }} GROUP BY ?f "
                                 f"HAVING (COUNT(DISTINCT ?v) < {int(str(o))})", f"{label}: fewer than {o} values"))
            elif p == SH + "maxCount" and path:
                out.append(("q", f"SELECT ?f WHERE {{ {{T}} ?f {path} ?v }} GROUP BY ?f "
                                 f"HAVING (COUNT(DISTINCT ?v) > {int(str(o))})", f"{label}: more than {o} values"))
            elif p == SH + "datatype":
                out.append(("q", f"SELECT DISTINCT ?f WHERE {{ {{T}} {values} "
                                 f"FILTER(!isLiteral(?v) || datatype(?v) != {o.n3()}) }}",
                            f"{label}: not of datatype {o}"))
            elif p == SH + "class":
                out.append(("q", f"SELECT DISTINCT ?f WHERE {{ {{T}} {values} "
                                 f"FILTER NOT EXISTS {{ ?v {_SUBCLASS} {o.n3()} }} }}", f"{label}: not a {o}"))
            elif p == SH + "in":
                allowed = " || ".join(f"sameTerm(?v, {t.n3()})" for t in self._list(o)) or "false"
                out.append(("q", f"SELECT DISTINCT ?f WHERE {{ {{T}} {values} FILTER(!({allowed})) }}",
                            f"{label}: a value outside the allowed list"))
            elif p == SH + "hasValue":
                out.append(("q", f"SELECT ?f WHERE {{ {{T}} FILTER NOT EXISTS {{ {values} "
                                 f"FILTER(sameTerm(?v, {o.n3()})) }} }}", f"{label}: lacks {o}"))
            elif p == SH + "nodeKind":
                test = {"IRI": "isIRI(?v)", "BlankNode": "isBlank(?v)", "Literal": "isLiteral(?v)",
                        "BlankNodeOrIRI": "!isLiteral(?v)", "BlankNodeOrLiteral": "!isIRI(?v)",
                        "IRIOrLiteral": "!isBlank(?v)"}.get(str(o)[len(SH):])
                if test is None:
                    raise Unsupported(f"nodeKind {o}")
                out.append(("q", f"SELECT DISTINCT ?f WHERE {{ {{T}} {values} FILTER(!({test})) }}",
                            f"{label}: not of kind {o}"))
            elif p == SH + "pattern":
                flags = g.value(shape, rdflib.URIRef(SH + "flags"))
                fl = f", {rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
                out.append(("q", f"SELECT DISTINCT ?f WHERE {{ {{T}} {values} FILTER(isBlank(?v) || "
                                 f"!REGEX(STR(?v), {rdflib.Literal(str(o)).n3()}{fl})) }}",
                            f"{label}: does not match {o}"))
            elif p == SH + "flags":
                continue
            elif p in (SH + "and", SH + "or", SH + "xone") and not path:
                members = [self._shape(m) for m in self._list(o)]
                out.append(("logic", (p[len(SH):], members), f"sh:{p[len(SH):]} not satisfied"))
            elif p == SH + "not" and not path:
                out.append(("logic", ("not", [self._shape(o)]), "sh:not not satisfied"))
            else:
                raise Unsupported(f"{p} on {shape}")
        return out

    # run
    def violations(self, ntriples: str) -> list[str]:
        return self.violations_in(loaded(ntriples))

    def violations_in(self, store: Any) -> list[str]:
        """The violations in an in-memory pyoxigraph store holding the data in its default graph."""

        def run(target: str, constraints: list) -> dict[str, str]:
            bad: dict[str, str] = {}
            for kind, payload, message in constraints:
                if kind == "q":
                    for row in _rows(store.query(payload.replace("{T}", f"{{ {target} }}"))):
                        bad.setdefault(str(row["f"]), message)
                    continue
                op, members = payload
                focus = {str(r["f"]) for r in _rows(store.query(f"SELECT DISTINCT ?f WHERE {{ {target} }}"))}
                failed = [set(run(target, m)) for m in members]
                for f in focus:
                    passed = sum(f not in fm for fm in failed)
                    if {"and": passed < len(members), "or": passed == 0, "xone": passed != 1,
                            "not": passed == 1}[op]:
                        bad.setdefault(f, message)
            return bad

        out: list[str] = []
        for target, constraints in self.checks:
            out.extend(f"{focus} — {msg}" for focus, msg in run(target, constraints).items())
        return out


_CHECKER: list[ShapeChecker | None] = []


def shape_checker() -> ShapeChecker | None:
    """The compiled shapes, or None when they need pySHACL: compiled once per process, or handed
    over by :func:`use_shape_checks` (compiling parses the shapes with rdflib)."""
    if not _CHECKER:
        from policykg.ontology import shapes_turtle
        try:
            _CHECKER.append(ShapeChecker(shapes_turtle()))
        except Unsupported:
            _CHECKER.append(None)
    return _CHECKER[0]


def use_shape_checks(checks: list[tuple[str, list]] | None) -> None:
    """Take ``checks`` (a :class:`ShapeChecker`'s ``checks``, None for "needs pySHACL") as what
    :func:`shape_checker` compiles (kept from an earlier run of the same policykg)."""
    _CHECKER[:] = [ShapeChecker.from_checks(checks) if checks is not None else None]


def loaded(ntriples: str) -> Any:
    """An in-memory pyoxigraph store with ``ntriples`` in its default graph."""
    import pyoxigraph as ox
    store = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def check_graphs(ntriples: list[str]) -> list[list[str]]:
    """Validate each document graph (with the registry and the ontology, as pySHACL is given them).

    One query pass over the whole batch; only when it fails is each document checked on its own,
    so each gets its own verdict. Returns one list of violation messages per input.
    """
    return check_graphs_together(ntriples)[0]


def check_graphs_together(ntriples: list[str]) -> tuple[list[list[str]], Any | None]:
    """:func:`check_graphs`, and, when the batch passed as a whole, the in-memory store it was
    checked in (registry, ontology and every graph, in its default graph): ingest reads the index
    entries from it instead of loading the graphs a second time. None when the batch did not pass."""
    from .graph import reference_ntriples
    registry, ontology = reference_ntriples()
    checker = shape_checker()
    if checker is None:  # shapes beyond the compiled subset: pySHACL, one document at a time
        import rdflib

        reports = []
        for nt in ntriples:
            report = validate_graph(rdflib.Graph().parse(data=registry + ontology + nt, format="nt"))
            reports.append([] if report.conforms else [report.text])
        return reports, None
    try:
        store = loaded(registry + ontology + "".join(ntriples))
        if not checker.violations_in(store):
            return [[] for _ in ntriples], store
    except SyntaxError:
        pass
    out = []
    for nt in ntriples:
        try:
            out.append(checker.violations(registry + ontology + nt))
        except SyntaxError as err:
            out.append([f"invalid N-Triples ({str(err).splitlines()[0]})"])
    return out, None


def _rows(result: Any) -> Any:
    """The solutions of a SELECT (pyoxigraph types a query's result as solutions, boolean or triples)."""
    import pyoxigraph as ox
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query was expected")
    return result
