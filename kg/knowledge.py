"""The knowledge graph facade: open or build it, and every feature as a method over the read side.

Nothing in policykg imports this module except the package root, the CLI and the web application: the
features (ingest, search, question, trace, render, exports, projection) take a ``GraphReader``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import DepartmentError, DocumentNotFound, InputError  # noqa: F401 - DepartmentError, DocumentNotFound: kept importable here
from .iris import document_iri
from .model import Document
from .reader import ROLES, GraphReader, in_text_order  # noqa: F401 - kept importable here
from .store import OxigraphStore, Store, query_form

if TYPE_CHECKING:
    from .validate import ValidationReport

#: RDF export formats → rdflib serializer name (other formats: policykg.exports)
EXPORT_FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt", "nquads": "nquads"}

_query_form = query_form  # the name this module exported before policykg.store.query_form


class KnowledgeGraph(GraphReader):
    """A policy knowledge graph in a data directory (``home``)."""

    def __init__(self, store: Store, home: Path | None = None):
        super().__init__(store, home)

    # -- opening and building ------------------------------------------------------------
    @classmethod
    def open(cls, home: str | os.PathLike | None = None, build: bool = True,
             store: str | None = None) -> "KnowledgeGraph":
        """Open the graph under ``home`` (default: ``$POLICYKG_HOME`` or the per-user data dir).

        ``store``: the URL of a SPARQL 1.1 server holding the graph instead (default:
        ``$POLICYKG_STORE``); ``home`` then keeps only its search index (policykg.remote).
        On first use the bundled corpus is built, so the first question already has answers.
        """
        from .home import resolve_home
        from .store import open_store
        location = store if store is not None else os.environ.get("POLICYKG_STORE") or None
        backend, path = open_store(location, resolve_home(home))
        kg = cls(backend, path)
        if build and not kg.is_built():
            kg.build()
        return kg

    @classmethod
    def in_memory(cls) -> "KnowledgeGraph":
        """A throw-away graph (tests, notebooks)."""
        return cls(OxigraphStore(None), None)

    def build(self) -> list[Document]:
        """(Re)build the registry, the ontology and the bundled corpus. Idempotent."""
        from policykg.corpus import bundled_paths

        from .extract import parse
        from .home import cache_folder
        from .reference import load_reference
        load_reference(cache_folder(self.home) if self.home else None)  # kept there for every ingest
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
        self.changed(None if reference else [document_iri(d.key) for d in docs])

    def close(self) -> None:
        self.store.close()

    # -- exports and validation ------------------------------------------------------------
    def export(self, format: str = "turtle", document: str | None = None) -> str | bytes:  # noqa: A002
        """The whole graph serialised as ``turtle``, ``json-ld``, ``nt`` or ``nquads``; or, via
        policykg.exports, ``graphml``, ``gexf``, ``matrix-csv``/``-md``/``-xlsx`` (bytes), ``ics``.
        ``document`` (文号 or title): only that document (for RDF: its named graph)."""
        from .exports import FORMATS as OTHER_FORMATS
        if format in OTHER_FORMATS:
            from .exports import export
            return export(self, format, document=document)
        if format not in EXPORT_FORMATS:
            raise InputError(f"unknown export format '{format}'", f"choose from {', '.join([*EXPORT_FORMATS, *OTHER_FORMATS])}")
        if document:
            return self._document_rdf(self.document_iri(document), format)
        if format == "nquads":
            return self.store.dump()
        return self.graph.serialize(format=EXPORT_FORMATS[format])

    def _document_rdf(self, iri: str, format: str) -> str:  # noqa: A002
        """One document's named graph in an RDF format (N-Quads keep the graph name)."""
        import rdflib

        from policykg.ontology import PREFIXES
        nt = self.store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        if format == "nt":
            return nt
        if format == "nquads":
            return "".join(line[:-1].rstrip() + f" <{iri}> .\n" for line in nt.splitlines(keepends=False)
                           if line.endswith("."))
        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        return g.parse(data=nt, format="nt").serialize(format=EXPORT_FORMATS[format])

    def validate(self) -> "ValidationReport":
        """Validate everything stored against the shapes."""
        from .validate import validate_graph
        return validate_graph(self.graph)

    # -- pictures (policykg.render) --------------------------------------------------------
    def render(self, owner: str | None = None, document: str | None = None, measure: str | None = None,
               depth: int | None = None, path: str | os.PathLike | None = None):
        """Interactive responsibility graph: one self-contained HTML page (a str that displays itself
        in Jupyter); written to ``path`` as UTF-8 when given. See policykg.render."""
        from .render import render
        return render(self, owner=owner, document=document, measure=measure, depth=depth, path=path)

    # -- ingesting many files, removing, showing one fact (policykg.ingest) ------------------
    def ingest(self, paths, progress=None, chunk: int | None = None, stats=None, workers: int | None = None,
               index_progress=None):
        """Parse, validate, store and index every file under ``paths`` (files and folders,
        recursively); one ``IngestResult`` per file. Bad files are reported and skipped. See
        policykg.ingest (which also keeps the search index current)."""
        from .ingest import CHUNK, ingest
        results = ingest(self, [paths] if isinstance(paths, (str, os.PathLike)) else paths,
                         progress=progress, chunk=chunk or CHUNK, stats=stats, workers=workers,
                         index_progress=index_progress)
        super().changed()  # the index is current already: only what the graph object derived is dropped
        return results

    def remove(self, name: str):
        """Remove one document (文号 or title) and every fact derived from it; a document others
        cite stays as a stub. Returns a ``RemovedDocument``."""
        from .ingest import remove_document
        removed = remove_document(self, name)
        self.changed([removed.iri])
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

    def changed(self, documents: list[str] | None = None) -> None:
        """Keep what is derived from the store current (the organisation cache, the search index);
        ``documents``: the IRIs of the documents that changed, ``None``: everything."""
        super().changed()
        from .index import after_change
        after_change(self, documents)

    # -- questions, tracing, paths, networkx (policykg.question / trace / projection) ----------
    def query(self, question: str, today: str | None = None):
        """Answer a question in plain Chinese or English (教育厅负责哪些措施); an ``Answer`` with the
        structured query and its SPARQL. Unmapped questions fall back to full-text search, labelled."""
        from .question import ask
        return ask(self, question, today=today, search=self.search)

    def trace(self, ref: str, depth: int = 4, document: str | None = None):
        """The facts connected to a term, measure, department, target or document, as a ``Trace``;
        ``document`` (文号 or title): start from that document's short id, measure or term only."""
        from .trace import trace
        return trace(self, ref, depth=depth, document=document)

    def path(self, a: str, b: str, limit: int = 5):
        """The shortest chains of relations between two entities (公安厅 → 落户)."""
        from .trace import path
        return path(self, a, b, limit=limit)

    def to_networkx(self, view: str = "responsibility"):
        """A networkx projection: ``responsibility`` (departments ↔ measures, role on the edge) or
        ``full`` (every entity, literals as attributes), built from SPARQL CONSTRUCT."""
        from .projection import to_networkx
        return to_networkx(self, view=view)
