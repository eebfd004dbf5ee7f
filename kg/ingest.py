"""Ingest many files at once: parse → graph → validate → store, in chunks, one transaction each.

Also what works across documents: removing a document, and showing one fact with the sentence it
came from.

Speed: a document's graph is collected as plain triples and written as N-Triples directly (no
rdflib Graph); validation (``validate.check_graphs``) runs the SHACL shapes compiled to SPARQL
over each chunk.
"""
from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from policykg.ontology import ID

from .errors import InputError
from .facts import FactRecord, find_fact  # noqa: F401 - kept importable here (now in policykg.facts)
from .graph import reference_ntriples
from .iris import ONTOLOGY_GRAPH, REGISTRY_GRAPH, document_iri
from .model import Document
from .validate import check_graphs, check_graphs_together

if TYPE_CHECKING:
    from .reader import GraphReader

#: Documents per store transaction.
CHUNK = 250


def supported_suffixes() -> tuple[str, ...]:
    """Suffixes of the files taken from a folder: those the corpus package reads."""
    from policykg.corpus.formats import SUFFIXES
    return SUFFIXES


# -- results ------------------------------------------------------------------------------------
@dataclass
class IngestResult:
    """What became of one input file."""

    path: str
    doc_number: str | None = None
    title: str | None = None
    measures: int = 0
    targets: int = 0
    deadlines: int = 0
    citations: int = 0
    characters: int = 0
    encoding: str | None = None
    iri: str | None = None
    problem: str | None = None  # why nothing of this file was stored
    note: str | None = None  # stored, but worth saying (replaced by a later file of the batch)
    #: annotation-like spans that gave no party: (line, text as printed)
    not_understood: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestStats:
    """Where the time went (seconds) and how much went through."""

    documents: int = 0
    characters: int = 0
    triples: int = 0
    unchanged: int = 0  # documents already stored exactly so: neither stored nor indexed again
    #: parse, graph, validate and entries (the index entries read from a new graph) are summed over
    #: the worker processes; store is the wall time of the store's writes (in a thread of the parent,
    #: overlapping the rest), index the wall time of the index update
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(
        ("parse", "graph", "validate", "entries", "store", "index"), 0.0))


def collect_files(paths: Iterable[str | os.PathLike]) -> list[Path | IngestResult]:
    """Files to ingest, in order: folders recursively (hidden entries and unknown suffixes skipped);
    a path that does not exist becomes an IngestResult with its problem."""
    suffixes = supported_suffixes()
    out: list[Path | IngestResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                     and not any(part.startswith(".") for part in p.relative_to(path).parts)]
            out.extend(sorted(found))
        elif path.exists():
            out.append(path)
        else:
            out.append(IngestResult(str(path), problem="no such file or folder"))
    return out


# -- graph → N-Triples --------------------------------------------------------------------------
class _Lines(dict):
    """Collects what document_graph adds as N-Triples lines, each once, in the order added."""

    def add(self, triple: tuple[str, str, str]) -> None:
        self[f"{triple[0]} {triple[1]} {triple[2]} .\n"] = None


def document_ntriples(doc: Document) -> str:
    """The graph of ``doc`` (exactly the triples of graph.document_graph) as N-Triples."""
    from .graph import NTriplesTerms, document_graph
    lines = _Lines()
    document_graph(doc, graph=lines, terms=NTriplesTerms())
    return "".join(lines)


# -- storing ------------------------------------------------------------------------------------
def write_documents(kg: "GraphReader", docs: Iterable[Document], reference: bool = False) -> None:
    """``KnowledgeGraph.add_documents``: validate every graph, then store all in one transaction;
    any failure stores nothing (InputError naming the document)."""
    docs = list(docs)
    graphs: dict[str, str] = {}
    if reference or not kg.is_built():
        graphs[REGISTRY_GRAPH], graphs[ONTOLOGY_GRAPH] = reference_ntriples()
    built = [document_ntriples(d) for d in docs]
    for doc, problems in zip(docs, check_graphs(built)):
        if problems:
            raise InputError(str(doc.source), f"the graph of {doc.key} breaks the shapes: {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    for doc, nt in zip(docs, built):
        graphs[document_iri(doc.key)] = nt
    kg.store.replace_graphs(graphs)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


def prepare(path: str | os.PathLike) -> tuple[IngestResult, str, float, float]:
    """Read, parse and build one file: (result, N-Triples or "" with result.problem, parse s, graph s)."""

    from .extract import parse
    r, nt = IngestResult(str(path)), ""
    t = time.perf_counter()
    try:
        doc = parse(Path(path))
    except InputError as err:
        r.problem = err.problem
    except Exception as err:  # noqa: BLE001 - one bad file must not stop the batch
        r.problem = f"cannot parse ({type(err).__name__}: {_first_line(err)})"
    t2 = time.perf_counter()
    if r.problem is None:
        if not doc.key.strip():
            r.problem = "no 文号 and no title found: not a policy notice?"
        else:
            r.doc_number, r.title, r.iri = doc.doc_number, doc.title, document_iri(doc.key)
            r.measures, r.targets, r.deadlines = len(doc.measures), len(doc.targets), len(doc.deadlines)
            r.citations, r.characters, r.encoding = len(doc.citations), len(doc.text), doc.encoding
            r.not_understood = [(u.line, u.text) for u in doc.unread]
            try:
                nt = document_ntriples(doc)
            except Exception as err:  # noqa: BLE001
                r.problem = f"cannot build its graph ({_first_line(err)})"
    return r, nt, t2 - t, time.perf_counter() - t2


#: Batches at least this long are parsed by a pool of processes (one per core, at most 4).
PARALLEL_MIN = 32
#: Files a worker parses, builds and validates together.
TASK = 16

#: What a worker adds for the search index of one stored document: the digest of its graph, where
#: its index entries were spilled (None when there is no index to write), and the user words its
#: graph adds (the names of organisations it types, the programme names its entries quote).
IndexPart = tuple[str, Any, list[str]]


def prepare_batch(paths: list[Path], spill: str | None = None
                  ) -> list[tuple[IngestResult, str, float, float, float, float, IndexPart | None]]:
    """prepare() each file, then validate the built graphs together: (result, N-Triples or "",
    parse s, graph s, validate s, entries s, index part); a graph that breaks the shapes gets its
    problem and no triples. With a ``spill`` folder, each valid document's search-index entries
    are read from its graph here too (in the worker, in parallel) and spilled there."""
    from .entries import entries_of_graphs, graph_digest, spill_entries
    from .userdict import graph_organisation_names, programme_names
    prepared = [prepare(p) for p in paths]
    t = time.perf_counter()
    built = [(i, nt) for i, (r, nt, *_) in enumerate(prepared) if r.ok and nt]
    verdicts, checked = check_graphs_together([nt for _, nt in built])
    share = (time.perf_counter() - t) / max(len(prepared), 1)
    out: list[tuple[IngestResult, str, float, float, float, float, IndexPart | None]] = [
        (r, nt, ps, gs, share, 0.0, None) for r, nt, ps, gs in prepared]
    for (i, _), problems in zip(built, verdicts):
        if problems:
            out[i][0].problem = f"breaks the shapes: {problems[0]}"
            out[i] = (out[i][0], "", *out[i][2:6], None)
    t = time.perf_counter()
    valid = {iri: out[i][1] for i, _ in built if out[i][1] and (iri := out[i][0].iri)}
    entries = entries_of_graphs(valid, checked) if spill and valid else {}
    for i, (r, nt, ps, gs, vs, es, _) in enumerate(out):
        if nt and r.iri:
            mine = entries.get(r.iri)
            words = programme_names(e["text"] for e in mine or ()) | graph_organisation_names(nt) if spill else set()
            part = (graph_digest(nt), spill_entries(spill, mine) if spill and mine is not None else None,
                    sorted(words))
            out[i] = (r, nt, ps, gs, vs, es, part)
    share = (time.perf_counter() - t) / max(len(prepared), 1)
    return [(r, nt, ps, gs, vs, share, part) for r, nt, ps, gs, vs, _, part in out]


def warm_up(cache_dir: Path | None = None) -> None:
    """Import and build once, in the parent, what every worker needs (the parser's rules, the
    registry and ontology graphs, the compiled shapes — kept in ``cache_dir`` between runs): forked
    workers then start warm instead of each paying for it (≈ 0.4 s a worker measured here, as much
    as parsing a dozen notices)."""
    from policykg.corpus.normalise import fold_chars
    from . import extract  # noqa: F401 - importing compiles the parser's patterns
    from .reference import load_reference
    fold_chars("隨")  # builds the folding table
    load_reference(cache_dir)


def _prepared(files: list[Path], workers: int | None, spill: str | None = None,
              cache_dir: Path | None = None):
    """prepare_batch() over ``files`` in order, TASK files at a time; in worker processes for long
    batches."""
    tasks = [files[i:i + TASK] for i in range(0, len(files), TASK)]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_MIN else 1
    if tasks:
        warm_up(cache_dir)
    if workers <= 1 or len(tasks) < 2:
        for task in tasks:
            yield from prepare_batch(task, spill)
        return
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    from collections import deque
    with context.Pool(workers) as pool:  # at most two tasks per worker ahead of the store
        queue = deque(pool.apply_async(prepare_batch, (t, spill)) for t in tasks[:2 * workers])
        following = iter(tasks[2 * workers:])
        while queue:
            batch = queue.popleft().get()
            more = next(following, None)
            if more is not None:
                queue.append(pool.apply_async(prepare_batch, (more, spill)))
            yield from batch


#: A document on its way to the store: its result, its N-Triples, its search-index part.
Pending = tuple[IngestResult, str, IndexPart | None]


class _StoreWriter:
    """Stores chunks of new documents one at a time, each by a thread (the store's writes release
    the GIL) while the caller goes on parsing or cutting the index; ``settle(chunk, problem)`` hears
    of each chunk once it is stored, in order (``problem``: why the store refused it, or None)."""

    def __init__(self, store: Any, settle: Callable[[list[Pending], str | None], None]):
        self._store, self._settle = store, settle
        self._writing: tuple[Any, list[Pending]] | None = None
        self._outcome: tuple[str | None, BaseException | None] = (None, None)
        self.failure: BaseException | None = None  # anything but a refusal: raised by the caller
        self.seconds = 0.0  # the writes' wall time

    @property
    def in_flight(self) -> list[Pending]:
        """The chunk being stored ([] when none is)."""
        return self._writing[1] if self._writing else []

    def put(self, chunk: list[Pending]) -> None:
        """Store ``chunk`` (after the chunk before it is stored and settled)."""
        self.wait()
        if self.failure is not None:
            raise self.failure
        if chunk:
            import threading
            thread = threading.Thread(target=self._write, args=(chunk,), name="policykg-store", daemon=True)
            self._writing = (thread, chunk)
            thread.start()

    def wait(self) -> set[str]:
        """Wait for the chunk being stored and settle it: the IRIs of the documents it did not store."""
        if self._writing is None:
            return set()
        thread, chunk = self._writing
        thread.join()
        self._writing = None
        problem, error = self._outcome
        if error is not None:
            self.failure = self.failure or error
            problem = f"{type(error).__name__}: {error}"
        self._settle(chunk, problem)
        return {r.iri for r, _, _ in chunk if r.iri} if problem else set()

    def _write(self, chunk: list[Pending]) -> None:
        from .store import StoreError
        t = time.perf_counter()
        graphs = {r.iri: nt for r, nt, _ in chunk if r.ok and r.iri}
        try:
            if graphs:
                self._store.replace_graphs(graphs)
            self._outcome = (None, None)
        except StoreError as err:
            self._outcome = (str(err), None)
        except BaseException as err:  # noqa: BLE001 - handed to the caller by wait()
            self._outcome = (None, err)
        self.seconds += time.perf_counter() - t


def ingest(kg: "GraphReader", paths: Iterable[str | os.PathLike], *,
           progress: Callable[[IngestResult], None] | None = None, chunk: int = CHUNK,
           stats: IngestStats | None = None, workers: int | None = None,
           index_progress: Callable[[int, int], None] | None = None) -> list[IngestResult]:
    """Parse, validate, store and index every file under ``paths``; one result per file, in order.

    A file that cannot be read, parsed or validated is reported (``problem``) and skipped; the
    rest are stored, ``chunk`` documents per transaction, so the store is never half-written.
    Re-ingesting a document (same 文号, any file name or encoding) replaces its facts; one whose
    graph is exactly what is stored and indexed already is left alone (``note`` says so).
    ``workers``: processes that parse and index (default: one per core for long batches).
    The search index is updated once at the end (``index_progress(done, total)`` counts its entries).
    """
    import shutil
    import tempfile

    from .home import cache_folder
    from .index import index_ingested, index_root, stored_digests
    stats = stats or IngestStats()
    items = collect_files(paths)
    results: list[IngestResult] = []
    by_key: dict[str, IngestResult] = {}
    if not kg.is_built():
        write_documents(kg, [], reference=True)
    known = stored_digests(kg)
    stored: list[set[str]] = []  # the store's graph names, listed once the first digest matches

    def is_stored(iri: str) -> bool:  # (10 000 documents: a quarter of a second to list)
        if not stored:
            stored.append(set(kg.store.graph_names()))
        return iri in stored[0]

    spill = None
    if kg.home is not None:
        index_root(kg.home).mkdir(parents=True, exist_ok=True)
        spill = tempfile.mkdtemp(prefix="ingest-", dir=index_root(kg.home))
    indexed: dict[str, tuple[IngestResult, IndexPart]] = {}

    def finish(r: IngestResult) -> None:
        results.append(r)
        if progress:
            progress(r)

    def settle(chunk: list[Pending], problem: str | None) -> None:
        for r, nt, part in chunk:
            if r.ok and problem:
                r.problem = f"not stored ({problem})"
            if r.ok:
                stats.documents += 1
                stats.characters += r.characters
                stats.triples += nt.count("\n")
                if part is not None and r.iri:
                    indexed[r.iri] = (r, part)
            finish(r)

    # each chunk is stored while the next results come in, the last one while the index is cut
    writer = _StoreWriter(kg.store, settle)
    pending: list[Pending] = []

    try:
        files = [item for item in items if not isinstance(item, IngestResult)]
        for item in items:
            if isinstance(item, IngestResult):
                finish(item)
        prepared = _prepared(files, workers, spill, cache_folder(kg.home))
        for r, nt, parse_s, graph_s, validate_s, entries_s, part in prepared:
            stats.seconds["parse"] += parse_s
            stats.seconds["graph"] += graph_s
            stats.seconds["validate"] += validate_s
            stats.seconds["entries"] += entries_s
            if r.problem:
                finish(r)
                continue
            earlier = by_key.get(r.iri)
            if earlier is None and part is not None and known.get(r.iri) == part[0] and is_stored(r.iri):
                r.note = "unchanged (already stored)"
                stats.unchanged += 1
                by_key[r.iri] = r
                finish(r)
                continue
            if earlier is not None:
                earlier.note = f"replaced by {r.path} (same document)"
                if any(e is earlier for e, _, _ in pending):  # same chunk: only the later one is written
                    pending[:] = [p for p in pending if p[0] is not earlier]
                    finish(earlier)
            by_key[r.iri] = r
            pending.append((r, nt, part))
            if len(pending) >= chunk:
                writer.put(pending[:])
                pending.clear()
        writer.put(pending[:])
        t = time.perf_counter()

        def wait_for_store() -> set[str]:  # the index commits once the store has, without what it refused
            refused = writer.wait()
            from .reader import GraphReader
            GraphReader.changed(kg)
            return refused

        # the index's user words come from the new graphs (IndexPart), not from the store
        parts = {iri: part for iri, (r, part) in indexed.items() if r.ok and part[1] is not None}
        parts.update((r.iri, part) for r, _, part in writer.in_flight
                     if r.ok and r.iri and part is not None and part[1] is not None)
        index_ingested(kg, {iri: p[1] for iri, p in parts.items()}, sorted({n for p in parts.values() for n in p[2]}),
                       digests={iri: p[0] for iri, p in parts.items()}, workers=workers,
                       progress=index_progress, stored=wait_for_store)
        stats.seconds["index"] += time.perf_counter() - t
        if writer.failure is not None:
            raise writer.failure
    finally:
        writer.wait()  # after an error on the way, the store still finishes the write under way
        stats.seconds["store"] += writer.seconds
        if spill:
            shutil.rmtree(spill, ignore_errors=True)
    order = {str(item.path if isinstance(item, IngestResult) else item): i for i, item in enumerate(items)}
    return sorted(results, key=lambda r: order.get(r.path, len(items)))


# -- removing -----------------------------------------------------------------------------------
@dataclass
class RemovedDocument:
    iri: str
    doc_number: str | None
    title: str
    triples: int  # removed
    cited_by: list[str]  # documents that still cite it: it stays as a stub
    bundled: bool = False  # a notice shipped with policykg: ``KnowledgeGraph.build()`` stores it again

    @property
    def stub(self) -> bool:
        return bool(self.cited_by)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stub": self.stub}


def remove_document(kg: "GraphReader", name: str) -> RemovedDocument:
    """Remove one stored document (文号 or title) and every fact derived from it (its named graph).
    A document other documents cite turns back into a stub (their graphs hold the stub)."""
    iri = kg.document_iri(name)
    from policykg.corpus import bundled_paths
    info = kg.store.select(f"""SELECT ?num ?title ?src WHERE {{ GRAPH <{iri}> {{ <{iri}> eli:title ?title .
        OPTIONAL {{ <{iri}> eli:id_local ?num }} OPTIONAL {{ <{iri}> pkg:sourceName ?src }} }} }}""")
    number, title = (info[0]["num"], info[0]["title"]) if info else (None, name)
    bundled = bool(info) and info[0]["src"] in {str(p) for p in bundled_paths()}
    rows = kg.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    kg.store.replace_graphs({iri: ""})
    citing = kg.store.select(f"""SELECT DISTINCT ?num ?title WHERE {{ ?d eli:cites <{iri}> .
        OPTIONAL {{ ?d eli:id_local ?num }} OPTIONAL {{ ?d eli:title ?title }} }}""")
    return RemovedDocument(iri, number, title, rows[0]["n"] if rows else 0,
                           sorted(r["num"] or r["title"] or "" for r in citing), bundled)


__all__ = ["IngestResult", "IngestStats", "FactRecord", "RemovedDocument", "collect_files", "ingest",
           "remove_document", "find_fact", "document_ntriples", "check_graphs",
           "write_documents", "ID"]
