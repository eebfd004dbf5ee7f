"""Where the graph lives: one interface, an embedded on-disk store by default.

Everything above this module talks SPARQL 1.1 (SELECT / CONSTRUCT / UPDATE) plus "replace the
triples of one named graph", so a remote SPARQL endpoint can stand in for the embedded store.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Protocol

from policykg.ontology import PREFIXES, XSD

from .errors import InputError, StoreError


class Store(Protocol):
    #: A token naming the state of the stored data: it changes with every write. ``None`` when it is
    #: not known (in memory, a write under way or cut short, a server that others write to), and then
    #: nothing derived from the store may be kept between processes (policykg.kept).
    version: str | None

    def select(self, query: str) -> list[dict[str, Any]]: ...
    def ask(self, query: str) -> bool: ...
    def construct(self, query: str) -> str: ...  # N-Triples
    def results(self, query: str) -> tuple[bytes, str]: ...  # standard serialisation, media type
    def replace_graphs(self, graphs: dict[str, str]) -> None: ...  # graph IRI → N-Triples ('' drops)
    def graph_names(self) -> list[str]: ...
    def graph_ntriples(self, name: str) -> str: ...  # one named graph ('' when there is none)
    def dump(self) -> str: ...  # N-Quads of everything
    def close(self) -> None: ...


_NUMERIC = {XSD + t for t in ("integer", "int", "long", "decimal", "double", "float", "short",
                              "nonNegativeInteger", "positiveInteger")}


def literal_value(value: str, datatype: str | None) -> Any:
    """A term's lexical form → str / int / float / bool by its datatype (IRIs: the IRI string)."""
    if datatype in _NUMERIC:
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    if datatype == XSD + "boolean":
        return value == "true"
    return value


_STRING = XSD + "string"


def term_value(term) -> Any:
    """An Oxigraph term → str / int / float / bool (IRIs and literals alike become values)."""
    # checked by type, not getattr(term, "datatype", None): the failed lookup on every IRI made
    # converting query results the larger part of reading index entries
    import pyoxigraph
    if type(term) is pyoxigraph.Literal:
        datatype = term.datatype.value
        return term.value if datatype == _STRING else literal_value(term.value, datatype)
    return None if term is None else term.value


def query_form(query: str) -> str:
    """The form of a SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE (prefixes and comments skipped)."""
    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$", "", re.sub(r"#[^\n]*", "", query))
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    return m.group(1).upper() if m else "SELECT"


def sparql_string(text: str) -> str:
    """A Python string as a SPARQL string literal (quotes, backslashes and newlines escaped)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def sparql_syntax_problem(err: SyntaxError) -> str:
    """Oxigraph's ``error at 3:10: expected …`` as one line: ``syntax error at line 3, column 10: expected …``."""
    first = str(err).splitlines()[0] if str(err) else "syntax error"
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", first)
    return f"syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}" if m else f"syntax error: {first}"


def replace_update(graphs: dict[str, str]) -> str:
    """One SPARQL update that drops the named graphs and refills them from N-Triples (valid inside
    INSERT DATA); one update is one transaction, so a failure leaves the previous graphs in place."""
    drops = "".join(f"DROP SILENT GRAPH <{name}> ;\n" for name in graphs)
    data = " ".join(f"GRAPH <{name}> {{\n{nt}\n}}" for name, nt in graphs.items() if nt)
    return drops + (f"INSERT DATA {{ {data} }}" if data else "")


#: The end of an N-Triples line, where the graph name goes to make it an N-Quads line.
NT_END = re.compile(r"\.[ \t]*$", re.M)


#: The kinds of store, by name → the function opening one, ``"module:function"`` (imported only when
#: chosen). Each takes (location, home) and returns the store and the folder for what stays local
#: (the search index, caches): ``embedded`` an Oxigraph database under ``home``, ``remote`` a SPARQL 1.1
#: server at the URL ``location`` (policykg.remote).
STORE_KINDS = {"embedded": "policykg.store:open_embedded", "remote": "policykg.remote:open_remote"}


def store_kind(location: str | None) -> str:
    """Which kind of store ``location`` names: a kind's own name, a URL (remote), or none (embedded)."""
    if not location:
        return "embedded"
    if location in STORE_KINDS:
        return location
    return "remote"


def open_store(location: str | None, home: Path) -> tuple["Store", Path]:
    """The store ``location`` names (see ``STORE_KINDS``) and the local folder that goes with it."""
    import importlib
    module, _, function = STORE_KINDS[store_kind(location)].partition(":")
    opener: Callable[[str, Path], tuple[Store, Path]] = getattr(importlib.import_module(module), function)
    return opener(location or "", home)


def open_embedded(location: str, home: Path) -> tuple["OxigraphStore", Path]:
    """The embedded Oxigraph store under ``home`` (``location`` is not used: the store lives in ``home``)."""
    home.mkdir(parents=True, exist_ok=True)
    return OxigraphStore(home / "store"), home


class OxigraphStore:
    """The embedded store: Oxigraph (RocksDB) in a folder; no server, nothing to start."""

    def __init__(self, path: str | Path | None = None):
        import pyoxigraph
        self._ox = pyoxigraph
        self.path = path
        self.read_only = False
        #: The file beside the store folder holding ``version`` ("" while a write is under way). It is
        #: read before the store is opened: what this handle reads is at least as new as that version.
        self._version_file = Path(f"{path}.version") if path else None
        self.version = self._read_version()
        try:
            self._store = pyoxigraph.Store(str(path)) if path else pyoxigraph.Store()
        except OSError as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            if "lock" not in first.lower():
                raise StoreError(f"{path}: cannot open the store ({first})") from None
            # another process holds the write lock: reading is still possible
            try:
                self._store = pyoxigraph.Store.read_only(str(path))
                self.read_only = True
            except OSError:
                raise StoreError(f"{path}: the store is in use by another policykg process") from None
        if not self.read_only:
            if self.version is None and self._version_file is not None:
                self._set_version(os.urandom(16).hex())  # a write was cut short, or the store predates versions
            self._recover()

    @classmethod
    def around(cls, store: Any) -> "OxigraphStore":
        """Queries (prefixes, values) over a pyoxigraph store made elsewhere, e.g. in memory."""
        import pyoxigraph
        self = cls.__new__(cls)
        self._ox, self._store, self.path, self.read_only = pyoxigraph, store, None, False
        self._version_file, self.version = None, None  # in memory: nothing derived from it is kept
        return self

    #: Lists the graphs a bulk load is writing; present only while one runs (or after it was killed).
    JOURNAL = "https://w3id.org/policykg/id/graph/pending"
    #: New graphs of at least this many triples in one call are bulk-loaded (journalled).
    BULK_MIN = 20_000

    def _read_version(self) -> str | None:
        if self._version_file is None:
            return None
        try:
            return self._version_file.read_text("ascii").strip() or None
        except (OSError, UnicodeDecodeError):  # none yet (a store older than versions), or unreadable
            return None

    def _set_version(self, token: str) -> None:
        assert self._version_file is not None
        temporary = self._version_file.with_name(f"{self._version_file.name}.{os.getpid()}")
        temporary.write_text(token, "ascii")
        os.replace(temporary, self._version_file)
        self.version = token or None

    @contextmanager
    def _writing(self):
        """Around every write: the version is "" while it runs (nothing derived is kept or trusted
        meanwhile, by this or another process) and a new token once it is over, failed or not."""
        if self._version_file is None:
            yield
            return
        self._set_version("")
        try:
            yield
        finally:
            self._set_version(os.urandom(16).hex())

    def _recover(self) -> None:
        """Undo a bulk load that did not finish: drop the graphs its journal lists."""
        ox = self._ox
        journal = ox.NamedNode(self.JOURNAL)
        if not self._store.contains_named_graph(journal):
            return
        names = {str(getattr(q.object, "value", q.object)) for q in self._store.quads_for_pattern(None, None, None, journal)}
        with self._writing():
            self._store.update("".join(f"DROP SILENT GRAPH <{n}> ;\n" for n in names)
                               + f"DROP SILENT GRAPH <{self.JOURNAL}>")

    def _bulk_load_new(self, nquads: str, names: list[str]) -> None:
        """Load new graphs fast (Oxigraph's bulk loader is not transactional): the journal lists
        them first, a failure drops them again, and a killed load is undone on the next open."""
        pending = " ".join(f"<{self.JOURNAL}> <{self.JOURNAL}#graph> <{n}> ." for n in names)
        self._store.update(f"INSERT DATA {{ GRAPH <{self.JOURNAL}> {{ {pending} }} }}")
        try:
            self._store.bulk_load(nquads, format=self._ox.RdfFormat.N_QUADS)
        except BaseException:
            self._recover()
            raise
        self._store.update(f"DROP SILENT GRAPH <{self.JOURNAL}>")

    def _query(self, query: str):
        try:  # prefixes passed apart, so that an error's line number is the line of ``query``
            return self._store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise InputError("SPARQL query", sparql_syntax_problem(err)) from None

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self._query(query)
        names = [v.value for v in result.variables]
        return [dict(zip(names, map(term_value, row))) for row in result]

    def ask(self, query: str) -> bool:
        return bool(self._query(query))

    def construct(self, query: str) -> str:
        return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in self._query(query))

    def results(self, query: str) -> tuple[bytes, str]:
        """Any query's answer as the SPARQL protocol gives it: SELECT/ASK as SPARQL JSON results,
        CONSTRUCT/DESCRIBE as N-Triples (for a SPARQL endpoint of our own)."""
        result = self._query(query)
        if isinstance(result, self._ox.QueryTriples):
            return result.serialize(format=self._ox.RdfFormat.N_TRIPLES) or b"", "application/n-triples"
        return (result.serialize(format=self._ox.QueryResultsFormat.JSON) or b"",  # None only when written to a file
                "application/sparql-results+json")

    def replace_graphs(self, graphs: dict[str, str]) -> None:
        """Drop and refill several named graphs in one transaction (all or nothing)."""
        if self.read_only:
            raise StoreError(f"{self.path}: the store is in use by another policykg process; try again later")
        try:
            with self._writing():
                self._replace_graphs(graphs)
        except SyntaxError as err:
            raise InputError("invalid N-Triples", str(err).splitlines()[0]) from None
        except OSError as err:
            raise StoreError(f"{self.path}: write failed ({err})") from None

    def _replace_graphs(self, graphs: dict[str, str]) -> None:
        ox = self._ox
        if graphs and not any(self._store.contains_named_graph(ox.NamedNode(n)) for n in graphs):
            # only new graphs, nothing to drop: one load of N-Quads (a transaction of its own)
            nquads = "".join(NT_END.sub(f"<{name}> .", nt) for name, nt in graphs.items() if nt)
            if nquads.count("\n") >= self.BULK_MIN:
                self._bulk_load_new(nquads, list(graphs))
            else:
                self._store.load(nquads, format=ox.RdfFormat.N_QUADS)
            return
        self._store.update(replace_update(graphs))

    def graph_names(self) -> list[str]:
        return [g.value for g in self._store.named_graphs()]

    def graph_ntriples(self, name: str) -> str:
        ox = self._ox
        return (self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b"").decode("utf-8")

    def dump(self) -> str:
        return (self._store.dump(format=self._ox.RdfFormat.N_QUADS) or b"").decode("utf-8")

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store
