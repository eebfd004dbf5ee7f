"""The graph on a SPARQL 1.1 server: the store interface over the standard HTTP protocols.

Reads are SPARQL 1.1 Protocol queries (form-encoded POST, JSON results or N-Triples); writes are
SPARQL 1.1 Update requests, or, for graphs that do not exist yet, one N-Quads POST to the graph store
(Oxigraph and Fuseki take quads there; a server that refuses gets updates); a dump reads each named
graph with the Graph Store HTTP Protocol.
Each document stays one named graph. A write request drops and refills whole graphs, and one request
is one transaction on the server, so a document's graph is replaced entirely or not at all, even if
the server goes away in the middle.

The server must answer queries over the union of its named graphs (what the embedded store does):
Oxigraph ``serve --union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``, GraphDB by default.
"""
from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import quote, urlencode, urlsplit

from policykg.ontology import PREFIXES

from .errors import InputError, StoreError
from .store import NT_END, literal_value, query_form, replace_update

if TYPE_CHECKING:
    from .reader import GraphReader

#: The prefixes on one line before the query's first line, so that a server's error line numbers
#: are the lines of the query as written.
_PREFIX_LINE = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + " "

#: Seconds to wait for an answer (``POLICYKG_STORE_TIMEOUT`` overrides).
DEFAULT_TIMEOUT = 60.0
#: How old the record of the server's graph sizes may get before a search counts them again.
FULL_CHECK_SECONDS = 60.0
#: Largest SPARQL Update request a bulk write sends; larger writes are split between documents.
BATCH_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Endpoints:
    """Where a server takes queries, updates and Graph Store requests."""

    query: str
    update: str
    store: str

    @classmethod
    def from_url(cls, url: str) -> "Endpoints":
        """The endpoints a store URL means, by the layout of the common servers:

        - ``http://host:7878`` (no path): Oxigraph — ``/query``, ``/update``, ``/store``;
        - ``http://host:7200/repositories/NAME``: GraphDB — the URL, ``/statements``, ``/rdf-graphs/service``;
        - any other path, e.g. ``http://host:3030/ds``: a Fuseki dataset, which takes all three itself.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(url, "not a SPARQL server URL (expected http://host:port[/dataset])")
        base = url.rstrip("/")
        if parts.path in ("", "/"):
            return cls(f"{base}/query", f"{base}/update", f"{base}/store")
        if "/repositories/" in parts.path:
            return cls(base, f"{base}/statements", f"{base}/rdf-graphs/service")
        return cls(base, base, base)


def _timeout() -> float:
    try:
        return float(os.environ.get("POLICYKG_STORE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _term(binding: dict | None) -> Any:
    """A SPARQL JSON results term → str / int / float / bool, as the embedded store gives."""
    if binding is None:
        return None
    return literal_value(binding["value"], binding.get("datatype"))


class RemoteStore:
    """A SPARQL 1.1 server as the store (``policykg --store URL``)."""

    def __init__(self, url: str, timeout: float | None = None, sizes_file: Path | None = None):
        self.url = url
        self.endpoints = Endpoints.from_url(url)
        self.timeout = _timeout() if timeout is None else timeout
        self.read_only = False
        #: Other clients write to the server unseen: nothing derived from it is kept between processes.
        self.version: str | None = None
        #: Where the local search index records which data it holds (None: no index to keep current).
        self.sizes_file = sizes_file
        self._union_checked = False
        self._quads_post = True  # new graphs as one N-Quads POST, until the server refuses that
        self.check_union()

    # -- HTTP ------------------------------------------------------------------------------------
    def _send(self, url: str, body: bytes | None, content_type: str | None, accept: str,
              method: str | None = None) -> bytes:
        """One request; any failure becomes a one-line StoreError naming the URL (or _BadRequest
        for a request the server refused as malformed)."""
        import urllib.error
        import urllib.request
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            detail = _first_line(err.read().decode("utf-8", "replace")) or err.reason
            if err.code == 400:
                raise _BadRequest(detail) from None
            if err.code in (405, 415, 501):
                raise _Unsupported(f"{self.url}: the SPARQL server refused the request ({err.code} {detail})") from None
            raise StoreError(f"{self.url}: the SPARQL server answered {err.code} ({detail})") from None
        except (socket.timeout, TimeoutError):
            raise StoreError(f"{self.url}: no answer from the SPARQL server within {self.timeout:g} s") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise StoreError(f"{self.url}: no answer from the SPARQL server within {self.timeout:g} s") from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise StoreError(f"{self.url}: cannot reach the SPARQL server ({text})") from None
        except (ConnectionError, OSError) as err:  # reset or closed mid-answer
            raise StoreError(f"{self.url}: the connection to the SPARQL server failed ({err})") from None

    def _query(self, query: str, accept: str) -> bytes:
        body = urlencode({"query": _PREFIX_LINE + query}).encode("utf-8")
        try:
            return self._send(self.endpoints.query, body, "application/x-www-form-urlencoded", accept)
        except _BadRequest as err:
            raise InputError("SPARQL query", _syntax_problem(str(err))) from None

    def _update(self, update: str) -> None:
        self._send(self.endpoints.update, update.encode("utf-8"), "application/sparql-update", "*/*")

    # -- the store interface ---------------------------------------------------------------------
    def select(self, query: str) -> list[dict[str, Any]]:
        data = json.loads(self._query(query, "application/sparql-results+json"))
        names = data["head"].get("vars", [])
        return [{n: _term(row.get(n)) for n in names} for row in data["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        return bool(json.loads(self._query(query, "application/sparql-results+json"))["boolean"])

    def construct(self, query: str) -> str:
        return self._query(query, "application/n-triples").decode("utf-8")

    def results(self, query: str) -> tuple[bytes, str]:
        """The server's own answer: SPARQL JSON results, or N-Triples for CONSTRUCT/DESCRIBE."""
        if query_form(query) in ("CONSTRUCT", "DESCRIBE"):
            return self._query(query, "application/n-triples"), "application/n-triples"
        return self._query(query, "application/sparql-results+json"), "application/sparql-results+json"

    def replace_graphs(self, graphs: dict[str, str]) -> None:
        """Drop and refill named graphs (N-Triples; '' drops). Each request is one transaction and
        carries whole documents: at most ``BATCH_BYTES``, so a bulk load goes in several requests,
        and a failure keeps every document's previous graph or its new one, never a mix."""
        for batch in _batches(graphs, BATCH_BYTES):
            try:
                if not (self._quads_post and all(batch.values()) and self._load_new(batch)):
                    self._update(replace_update(batch))
            except _BadRequest as err:
                raise InputError("invalid N-Triples", str(err)) from None
            self._after_write(list(batch))
        if graphs and not self._union_checked:
            self.check_union()

    def _load_new(self, batch: dict[str, str]) -> bool:
        """If none of the graphs exists yet, POST them as one N-Quads body to the graph store (one
        transaction; 2–3× faster than the same triples in INSERT DATA). False: not done this way."""
        listed = " ".join(f"<{name}>" for name in batch)
        if self.select(f"SELECT ?g WHERE {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ }} }} LIMIT 1"):
            return False  # replacing: drop and insert in one update instead
        nquads = "".join(NT_END.sub(f"<{name}> .", nt) for name, nt in batch.items())
        try:
            self._send(self.endpoints.store, nquads.encode("utf-8"), "application/n-quads", "*/*")
        except _Unsupported:
            self._quads_post = False  # a server without N-Quads on its graph store: updates only
            return False
        return True

    def graph_names(self) -> list[str]:
        # an empty group pattern: the names alone (20× faster than matching a triple of each graph)
        return [r["g"] for r in self.select("SELECT ?g WHERE { GRAPH ?g { } }")]

    def graph_ntriples(self, name: str) -> str:
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")

    def dump(self) -> str:
        """N-Quads of every named graph, read graph by graph (Graph Store HTTP Protocol GET)."""
        out = []
        for name in sorted(self.graph_names()):
            nt = self._send(f"{self.endpoints.store}?graph={quote(name, safe='')}", None, None,
                            "application/n-triples").decode("utf-8")
            out.append(NT_END.sub(f"<{name}> .", nt))
        return "".join(out)

    def __len__(self) -> int:
        return self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    # -- checks, and keeping the local search index current ------------------------------------
    def check_union(self) -> None:
        """Refuse a server whose default graph is not the union of the named graphs: every query
        policykg asks would find nothing there."""
        if not self.ask("ASK { GRAPH ?g { ?s ?p ?o } }"):
            return  # empty: checked again after the first write
        self._union_checked = True
        if not self.ask("ASK { ?s ?p ?o }"):
            raise StoreError(f"{self.url}: the server does not query the union of its named graphs; start "
                             "Oxigraph with `serve --union-default-graph` (Fuseki: tdb2:unionDefaultGraph true)")

    def graph_sizes(self, names: list[str] | None = None) -> dict[str, list[int]]:
        """Per named graph (only ``names``, when given): [triples, length of the document's source
        text]. What the search index records, to notice changes another client made on a shared
        server: a new or removed document, or a new version of one (its text or its facts differ)."""
        values = f"VALUES ?g {{ {' '.join(f'<{n}>' for n in names)} }}" if names is not None else ""
        sizes = {r["g"]: [r["n"], 0] for r in self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")}
        for r in self.select(f"SELECT ?g (STRLEN(?t) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?d pkg:sourceText ?t }} }}"):
            if r["g"] in sizes:
                sizes[r["g"]][1] += r["n"]
        return sizes

    def _after_write(self, names: list[str]) -> None:
        """Record the graphs this client just wrote in the index's record of the server's data (the
        index itself is updated by the caller, policykg.index.after_change)."""
        if self.sizes_file is None:
            return  # no index of this server's data is kept
        recorded = _read_sizes(self.sizes_file)
        if recorded is None:
            return  # never compared: the next search does
        for name in names:
            recorded.pop(name, None)
        recorded.update(self.graph_sizes(names))
        _write_sizes(self.sizes_file, recorded)

    def sync_index(self) -> None:
        """Before a search: if the server's graphs differ from what the local index recorded
        (another client ingested, re-ingested or removed documents), mark the index stale so that
        the search rebuilds it from the server. The graph names are compared every time (one
        cheap query); the triples per graph, which cost a pass over the whole server, when the
        record is older than ``FULL_CHECK_SECONDS``."""
        if self.sizes_file is None:
            return
        recorded = _read_sizes(self.sizes_file)
        try:
            age = time.time() - self.sizes_file.stat().st_mtime
        except OSError:
            age = float("inf")
        if recorded is not None and age < FULL_CHECK_SECONDS:
            if set(self.graph_names()) == set(recorded):
                return
        sizes = self.graph_sizes()
        if sizes != recorded:
            _mark_index_stale(self.sizes_file.parent, "the SPARQL server's data changed since the index was built")
        _write_sizes(self.sizes_file, sizes)


class _BadRequest(Exception):
    """The server refused a request as malformed (400): the text of its answer."""


def _syntax_problem(detail: str) -> str:
    """A server's parse error as the embedded store words it (``syntax error at line 3, column 10: …``),
    columns of the first line counted without the prefix line policykg put before it."""
    import re

    from .store import sparql_syntax_problem
    m = re.search(r"error at (\d+):(\d+):", detail)
    if not m:
        return detail
    line, column = int(m.group(1)), int(m.group(2))
    if line == 1:
        column = max(1, column - len(_PREFIX_LINE))
    return sparql_syntax_problem(SyntaxError(f"error at {line}:{column}:{detail[m.end():]}"))


class _Unsupported(StoreError):
    """The server does not take this kind of request (405, 415, 501)."""


def _batches(graphs: dict[str, str], limit: int) -> Iterator[dict[str, str]]:
    """``graphs`` in groups of whole graphs of at most ``limit`` bytes (a larger graph alone)."""
    batch: dict[str, str] = {}
    size = 0
    for name, nt in graphs.items():
        n = len(nt.encode("utf-8")) + len(name) + 40
        if batch and size + n > limit:
            yield batch
            batch, size = {}, 0
        batch[name] = nt
        size += n
    if batch:
        yield batch


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _read_sizes(path: Path | None) -> dict[str, list[int]] | None:
    try:
        return json.loads(path.read_text("utf-8")) if path else None
    except (OSError, ValueError):
        return None


def _write_sizes(path: Path, sizes: dict[str, list[int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(sizes, ensure_ascii=False, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def _mark_index_stale(index_dir: Path, reason: str) -> None:
    from .index import mark_stale
    mark_stale(index_dir, reason)


def remote_home(home: Path, url: str) -> Path:
    """The local folder for what a remote store cannot hold: its search index and caches,
    ``<home>/remote/<host_port_path>``, one per server so that two servers never share an index."""
    parts = urlsplit(url)
    slug = "".join(c if c.isalnum() or c in "-." else "_" for c in (parts.netloc + parts.path).rstrip("/"))
    return home / "remote" / slug


def open_remote(url: str, home: Path) -> tuple[RemoteStore, Path]:
    """A RemoteStore for ``url`` and its local folder (search index, caches) under ``home``."""
    local = remote_home(home, url)
    local.mkdir(parents=True, exist_ok=True)
    return RemoteStore(url, sizes_file=local / "index" / "GRAPHS.json"), local


def push(source: "GraphReader", url: str, home: Path | None = None) -> int:
    """Copy every named graph of ``source`` (e.g. the embedded store) to the server at ``url``,
    replacing the graphs of the same names there; returns the number of graphs copied."""
    import pyoxigraph

    from .reader import GraphReader
    from .index import after_change
    graphs: dict[str, list[str]] = {}
    for q in pyoxigraph.parse(source.store.dump(), format=pyoxigraph.RdfFormat.N_QUADS):
        if isinstance(q.graph_name, pyoxigraph.NamedNode):
            graphs.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    if home is not None:
        store, local = open_remote(url, home)
    else:
        store, local = RemoteStore(url), None
    store.replace_graphs({name: "".join(lines) for name, lines in graphs.items()})
    after_change(GraphReader(store, local), None)  # the server's search index: rebuilt on next use
    return len(graphs)
