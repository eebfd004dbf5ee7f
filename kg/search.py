"""Chinese full-text search over measures, targets, deadlines, conditions and paragraphs.

The index (whoosh) lives in ``<home>/index``: ``CURRENT`` names the generation folder readers open
(``g…/``); a rebuild writes a new generation and swaps ``CURRENT`` atomically, so readers always have
an index. Ingest and removal update the current generation in place (whoosh commits atomically).
Every write holds ``<home>/index/LOCK`` (timeout :data:`LOCK_TIMEOUT`).

What is indexed is read from the store (SPARQL), never re-parsed: one entry per measure, target,
deadline, condition and paragraph (paragraphs already covered by a measure are left out: the measure
is that passage), each with its graph IRI, kind, document, number and owning departments.

Query syntax: words (all must match), ``"quoted phrases"`` (contiguous), ``OR`` (binds tighter than
the implicit AND: ``落户 OR 居住证 公安`` = (落户 or 居住证) and 公安), ``NOT word`` / ``-word``,
parentheses. Ranking is BM25F with :data:`FIELD_BOOSTS`.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import InputError, NotFound, StoreError
from .records import Record
from .tokenize import Segmenter, fold, runs, words

if TYPE_CHECKING:
    from .reader import GraphReader

KINDS = ("measure", "target", "deadline", "condition", "paragraph")
KIND_ALIASES = {"措施": "measure", "目标": "target", "时限": "deadline", "期限": "deadline", "条件": "condition",
                "段落": "paragraph"}
#: Field weights (BM25F): a word in the title counts three times one in the text; the search-mode
#: field (``sub``: words and the dictionary words inside them) adds recall and a little rank.
FIELD_BOOSTS = {"title": 3.0, "text": 1.0, "sub": 0.5}
SCHEMA_VERSION = "2"
#: Seconds a writer waits for another writer before giving up.
LOCK_TIMEOUT = 30.0
#: Characters of text around the matches shown in a snippet.
SNIPPET_CHARS = 90


class IndexLocked(StoreError):
    """Another process is writing the index."""


@dataclass
class SearchHit(Record):
    """One ranked result: where it is in the graph, a snippet, and who owns it."""

    iri: str
    kind: str  # measure | target | deadline | condition | paragraph
    document: str  # 文号 (or the title of a document without one)
    number: str | None  # number as printed: （四） (for facts of a measure: the measure's)
    title: str
    snippet: str
    marks: list[tuple[int, int]]  # highlighted [start, end) spans of ``snippet``
    owners: list[str]  # departments (canonical Chinese names), lead first
    #: True when ``owners`` come only from a related measure (shared key terms), not a responsibility:
    #: such owners are shown but the ``owner`` filter does not match them.
    owners_inferred: bool
    score: float
    doc_iri: str
    owner_iris: list[str] = field(default_factory=list)

    def highlighted(self, start: str = "【", end: str = "】") -> str:
        """The snippet with every match wrapped in ``start``/``end`` (e.g. ANSI codes)."""
        out, pos = [], 0
        for s, e in self.marks:
            out += [self.snippet[pos:s], start, self.snippet[s:e], end]
            pos = e
        out.append(self.snippet[pos:])
        return "".join(out)


# -- reading what to index from the graph ------------------------------------------------------

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


# -- the index on disk -------------------------------------------------------------------------

def _schema():
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    from .tokenize import SubwordTokenizer, WordTokenizer
    word_analyzer, sub_analyzer = WordTokenizer(), SubwordTokenizer()
    return Schema(iri=ID(stored=True, unique=True), kind=ID(stored=True), doc=ID(stored=True),
                  docno=ID(stored=True), dtitle=ID(stored=True), document=STORED(), number=STORED(),
                  owner=KEYWORD(lowercase=False, stored=True), owners=STORED(), inferred=STORED(),
                  title=TEXT(analyzer=word_analyzer, stored=True), text=TEXT(analyzer=word_analyzer, stored=True),
                  sub=TEXT(analyzer=sub_analyzer, phrase=False))


def index_root(home: str | os.PathLike | None) -> Path:
    """Where the index of a data directory lives (a graph without one keeps its index in memory)."""
    if home is None:
        raise StoreError("this graph has no data directory: its search index lives in memory")
    return Path(home) / "index"


def _current(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text("utf-8").strip()
    except OSError:
        return None
    gen = root / name
    try:
        if (gen / "VERSION").read_text("utf-8").strip() != SCHEMA_VERSION:
            return None
    except OSError:
        return None
    return gen


def _needs_rebuild(root: Path) -> bool:
    return _current(root) is None or (root / "STALE").exists()


@contextmanager
def _lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    import fcntl
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    root.mkdir(parents=True, exist_ok=True)
    fh = open(root / "LOCK", "a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(f"{root}: the search index is being written by another process "
                                      f"(waited {timeout:g} s)") from None
                time.sleep(0.05)
        yield
    finally:
        fh.close()  # closing releases the lock


def _base_dir(kg: "GraphReader") -> Path:
    return Path(kg.home) / "cache" if kg.home else Path(os.environ.get("TMPDIR", "/tmp")) / "policykg-cache"


def _segmenter(cache_dir: Path, user_words: list[str]) -> Segmenter:
    from .tokenize import jieba_segmenter
    return jieba_segmenter(cache_dir, user_words)


def _add_entry(writer, seg: Segmenter, e: dict) -> None:
    """Add one entry; its title and text are cut once (by ``seg``) for the three text fields, and
    stored as plain text."""
    from .tokenize import prepare_tokens
    title, text, sub = prepare_tokens(seg, e["title"], e["text"])
    rest = {k: v for k, v in e.items() if k not in ("title", "text")}
    writer.add_document(**rest, title=title, _stored_title=e["title"], text=text, _stored_text=e["text"], sub=sub)


def _write(ix, seg: Segmenter, entries: list[dict], delete_docs: Iterable[str] = ()) -> None:
    writer = ix.writer(timeout=LOCK_TIMEOUT, limitmb=128, compound=False)  # compound files are copied into memory on open
    try:
        for iri in delete_docs:
            writer.delete_by_term("doc", iri)
        for e in entries:
            _add_entry(writer, seg, e)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def _query_segmenter(ix, seg: Segmenter) -> Segmenter:
    """``seg`` restricted to the words in the index (what queries need; loads in milliseconds)."""
    with ix.reader() as reader:
        vocab = {t.decode("utf-8") if isinstance(t, bytes) else t
                 for name in ("title", "text", "sub") for t in reader.lexicon(name)}
    return seg.restricted(vocab)


def build_generation(root: Path, entries: list[dict], user_words: list[str], cache_dir: Path) -> Path:
    """Write a complete new index generation from ``entries`` and make it current (caller locks)."""
    from whoosh.index import create_in

    from .userdict import write_userdict
    root.mkdir(parents=True, exist_ok=True)
    gen = root / f"g{time.time_ns():x}"
    gen.mkdir()
    seg = _segmenter(cache_dir, user_words)
    ix = create_in(str(gen), _schema())
    _write(ix, seg, entries)
    _query_segmenter(ix, seg).save(gen / "qdict.marshal")
    write_userdict(gen / "userdict.txt", user_words)
    (gen / "VERSION").write_text(SCHEMA_VERSION, "utf-8")
    previous = _current(root)
    tmp = root / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(gen.name, "utf-8")
    os.replace(tmp, root / "CURRENT")  # the swap: readers see the old or the new generation
    for old in root.glob("g*"):  # keep the previous generation for readers that still have it open
        if old.is_dir() and old not in (gen, previous):
            shutil.rmtree(old, ignore_errors=True)
    (root / "STALE").unlink(missing_ok=True)
    return gen


def rebuild_index(kg: "GraphReader") -> None:
    """Rebuild the whole index from the graph into a new generation, then swap it in."""
    from .userdict import user_words
    root = index_root(kg.home)
    with _lock(root):
        entries = graph_entries(kg)
        build_generation(root, entries, user_words(kg, (e["text"] for e in entries)), _base_dir(kg))


def update_index(kg: "GraphReader", doc_iris: list[str]) -> None:
    """Re-index the entries of ``doc_iris`` (added, replaced or removed documents)."""
    from whoosh.index import open_dir

    from .userdict import user_words, write_userdict
    root = index_root(kg.home)
    with _lock(root):
        gen = None if (root / "STALE").exists() else _current(root)
        entries = graph_entries(kg, doc_iris) if gen else graph_entries(kg)
        new_words = user_words(kg, (e["text"] for e in entries))
        if gen is None:
            build_generation(root, entries, new_words, _base_dir(kg))
            return
        known = (gen / "userdict.txt").read_text("utf-8").split() if (gen / "userdict.txt").exists() else []
        merged = sorted(set(known) | set(new_words))
        seg = _segmenter(_base_dir(kg), merged)
        ix = open_dir(str(gen))
        _write(ix, seg, entries, delete_docs=doc_iris)
        _query_segmenter(ix, seg).save(gen / "qdict.marshal")
        write_userdict(gen / "userdict.txt", merged)


def after_change(kg: "GraphReader", doc_iris: list[str] | None) -> None:
    """Keep the index in step with the store (``None``: everything changed).

    The store is already written when this runs, so a failure here does not undo it: the index is
    marked stale, and the next search rebuilds it.
    """
    if kg.home is None:
        kg.derived.pop("search", None)
        return
    if doc_iris is not None and not doc_iris and not _needs_rebuild(index_root(kg.home)):
        return  # nothing stored changed
    _forget_digests(index_root(kg.home), doc_iris)
    if doc_iris is None:
        _guarded(kg, lambda: rebuild_index(kg))
    else:
        _guarded(kg, lambda: update_index(kg, doc_iris))


def _guarded(kg: "GraphReader", write: Callable[[], None]) -> None:
    """Run an index ``write`` after the store changed: a failure marks the index stale (the next
    search rebuilds it) and is reported on stderr, never raised (the store is already written)."""
    try:
        write()
    except Exception as err:  # noqa: BLE001 - never fail an ingest because of the index
        root = index_root(kg.home)
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / "STALE").write_text(str(err), "utf-8")
        except OSError:
            pass
        print(f"policykg: search index not updated ({err}); it is rebuilt on the next search", file=sys.stderr)


# -- bulk indexing for ingest: entries made where documents are parsed, segments written in parallel

#: The in-memory store (registry and ontology loaded) in which a worker reads a document's entries.
_REFERENCE: Any = None


class _StoreOnly:
    def __init__(self, store):
        self.store = store


def entries_of_graphs(graphs: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The index entries of documents not yet stored (document IRI → N-Triples of its graph),
    read by the same SPARQL as :func:`graph_entries` from an in-memory store holding the registry,
    the ontology and these graphs; document IRI → its entries, in index order."""
    global _REFERENCE
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


def _read_spilled(refs: list[EntriesRef]) -> Iterator[dict[str, Any]]:
    import marshal
    for path, offset, length, _ in refs:
        with open(path, "rb") as fh:
            fh.seek(offset)
            yield from marshal.loads(fh.read(length))


#: The segmenter forked worker processes index with (set just before the pool starts).
_WORKER_SEGMENTER: Segmenter | None = None
#: Entries at least this many are indexed by a pool of processes (one per core, at most 4).
PARALLEL_ENTRIES = 4000


def _write_segment(gen: str, refs: list[EntriesRef]):
    """Index the spilled entries ``refs`` into a new segment of the index in ``gen`` (no commit:
    the segment is returned for the parent's commit, as whoosh's own multiprocessing writer does)."""
    from whoosh.index import open_dir
    from whoosh.writing import SegmentWriter

    if _WORKER_SEGMENTER is None:
        raise RuntimeError("the index worker was started without a segmenter")
    writer = SegmentWriter(open_dir(gen), _lk=False, limitmb=128, compound=False)
    try:
        for e in _read_spilled(refs):
            _add_entry(writer, _WORKER_SEGMENTER, e)
        segment = writer._finalize_segment()  # noqa: SLF001 - whoosh's own multiprocessing writer does this
    except BaseException:
        writer.cancel()
        raise
    # the temporary folder (MAIN.tmp) is shared by the workers: the parent's writer removes it
    return segment


def _slices(refs: list[EntriesRef], parts: int) -> list[list[EntriesRef]]:
    """``refs`` cut into at most ``parts`` runs in order, of about equal numbers of entries."""
    total = sum(r[3] for r in refs)
    out: list[list[EntriesRef]] = [[]]
    size = 0
    for ref in refs:
        if out[-1] and size >= total * len(out) / parts:
            out.append([])
        out[-1].append(ref)
        size += ref[3]
    return [s for s in out if s]


def _write_segments(gen: Path, seg: Segmenter, refs: list[EntriesRef], delete_docs: list[str],
                    workers: int | None, progress: Callable[[int, int], None] | None) -> None:
    """Replace the entries of ``delete_docs`` by the spilled ``refs``: new segments written by
    worker processes (forked with ``seg``), then one commit that adds them (caller locks)."""
    global _WORKER_SEGMENTER
    from whoosh.index import open_dir
    total = sum(r[3] for r in refs)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if total >= PARALLEL_ENTRIES else 1
    import multiprocessing
    fork = "fork" in multiprocessing.get_all_start_methods()
    slices = _slices(refs, 2 * workers if workers > 1 and fork else 1)
    done = 0
    if progress:
        progress(0, total)
    segments = []
    _WORKER_SEGMENTER = seg
    try:
        if len(slices) < 2:
            for part in slices:
                segments.append(_write_segment(str(gen), part))
                done += sum(r[3] for r in part)
                if progress:
                    progress(done, total)
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part, segment in zip(slices, pool.imap(_write_segment_task, [(str(gen), p) for p in slices])):
                    segments.append(segment)
                    done += sum(r[3] for r in part)
                    if progress:
                        progress(done, total)
    finally:
        _WORKER_SEGMENTER = None
    writer = open_dir(str(gen)).writer(timeout=LOCK_TIMEOUT, limitmb=128, compound=False)
    try:
        for iri in delete_docs:
            writer.delete_by_term("doc", iri)
        # SegmentWriter.commit() with the workers' segments added, as whoosh's MpWriter commits
        final = writer._merge_segments(None, None, None)  # noqa: SLF001 - the default: merge small segments
        if writer._added:  # noqa: SLF001
            final.append(writer._finalize_segment())  # noqa: SLF001
        else:
            writer._close_segment()  # noqa: SLF001
        writer._commit_toc(final + segments)  # noqa: SLF001
    except BaseException:
        writer.cancel()
        raise
    writer._finish()  # noqa: SLF001


def _write_segment_task(args: tuple[str, list[EntriesRef]]):
    return _write_segment(*args)


def index_ingested(kg: "GraphReader", spilled: dict[str, EntriesRef], names: Iterable[str] = (),
                   digests: dict[str, str] | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> None:
    """Index what an ingest stored: ``spilled`` maps each stored document's IRI to its entries
    (:func:`spill_entries`); ``names`` are the programme names quoted in them (user words);
    ``digests`` the stored graphs' digests (:func:`stored_digests`). The documents' old entries
    are replaced. Like :func:`after_change`, a failure marks the index stale and is not raised."""
    if kg.home is None:
        kg.derived.pop("search", None)
        return
    root = index_root(kg.home)
    if not spilled and not _needs_rebuild(root):
        return
    _forget_digests(root, list(spilled))

    def write() -> None:
        from .userdict import user_words, write_userdict
        with _lock(root):
            gen = None if (root / "STALE").exists() else _current(root)
            if gen is None:  # no usable index: build it from the whole graph
                entries = graph_entries(kg)
                build_generation(root, entries, user_words(kg, (e["text"] for e in entries)), _base_dir(kg))
            else:
                known = (gen / "userdict.txt").read_text("utf-8").split() if (gen / "userdict.txt").exists() else []
                merged = sorted(set(known) | set(user_words(kg)) | set(names))
                seg = _segmenter(_base_dir(kg), merged)
                order = sorted(spilled)  # by document IRI, as a rebuild orders them
                _write_segments(gen, seg, [spilled[i] for i in order], order, workers, progress)
                from whoosh.index import open_dir
                _query_segmenter(open_dir(str(gen)), seg).save(gen / "qdict.marshal")
                write_userdict(gen / "userdict.txt", merged)
            if digests:
                _save_digests(root, {**_load_digests(root), **{i: digests[i] for i in spilled if i in digests}})
    _guarded(kg, write)


# -- digests of stored graphs: re-ingesting an unchanged document skips the store and the index

def graph_digest(ntriples: str) -> str:
    """A digest of a graph's N-Triples, independent of the order of its lines."""
    import hashlib
    return hashlib.sha1("".join(sorted(ntriples.splitlines(True))).encode("utf-8")).hexdigest()


def _digest_file(root: Path) -> Path:
    return root / "digests.marshal"


def _load_digests(root: Path) -> dict[str, str]:
    import marshal
    try:
        return marshal.loads(_digest_file(root).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def _save_digests(root: Path, digests: dict[str, str]) -> None:
    import marshal
    path = _digest_file(root)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(digests))
    os.replace(tmp, path)


def _forget_digests(root: Path, doc_iris: list[str] | None) -> None:
    """Documents about to change (``None``: all) are no longer known to be unchanged."""
    if not _digest_file(root).exists():
        return
    if doc_iris is None:
        _digest_file(root).unlink(missing_ok=True)
        return
    known, changed = _load_digests(root), set(doc_iris)
    if not changed.isdisjoint(known):
        _save_digests(root, {k: v for k, v in known.items() if k not in changed})


def stored_digests(kg: "GraphReader") -> dict[str, str]:
    """Document IRI → digest of the graph stored and indexed for it, for documents whose store
    graph and index entries are both current ({} when the index must be rebuilt anyway)."""
    if kg.home is None:
        return {}
    root = index_root(kg.home)
    if _needs_rebuild(root):
        return {}
    return _load_digests(root)


# -- opening for queries -----------------------------------------------------------------------

class _Opened:
    def __init__(self, key: str, ix, segmenter: Segmenter, qdict: Path | None):
        from whoosh import scoring
        self.key, self.ix, self.segmenter, self.qdict = key, ix, segmenter, qdict
        self.searcher = ix.searcher(weighting=scoring.BM25F())

    def fresh(self) -> "_Opened":
        if not self.searcher.up_to_date():
            # not Searcher.refresh(): it reuses segment readers and misses deletions in them
            from whoosh import scoring
            self.searcher.close()
            self.searcher = self.ix.searcher(weighting=scoring.BM25F())
            if self.qdict is not None:
                self.segmenter = Segmenter.load(self.qdict)
        return self


_OPEN: dict[str, _Opened] = {}


def _open_dir(root: Path) -> _Opened | None:
    from whoosh.index import open_dir
    for _ in range(3):  # a rebuild may swap generations while we open one
        gen = _current(root)
        if gen is None:
            return None
        key = str(gen)
        cached = _OPEN.get(str(root))
        if cached is not None and cached.key == key:
            return cached.fresh()
        try:
            opened = _Opened(key, open_dir(key), Segmenter.load(gen / "qdict.marshal"), gen / "qdict.marshal")
        except (OSError, EOFError, ValueError):
            continue
        if cached is not None:
            cached.searcher.close()
        _OPEN[str(root)] = opened
        return opened
    return None


def _open_ram(kg: "GraphReader") -> _Opened:
    """An in-memory graph gets an in-memory index, built on first search."""
    opened = kg.derived.get("search")
    if opened is None:
        from whoosh.filedb.filestore import RamStorage

        from .userdict import user_words
        entries = graph_entries(kg)
        seg = _segmenter(_base_dir(kg), user_words(kg, (e["text"] for e in entries)))
        ix = RamStorage().create_index(_schema())
        _write(ix, seg, entries)
        opened = kg.derived["search"] = _Opened("ram", ix, _query_segmenter(ix, seg), None)
    return opened


# -- queries -----------------------------------------------------------------------------------

_QUERY_TOKEN = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?|(\()|(\))|([^\s()"“”「」]+)')


def parse_query(text: str) -> tuple:
    """The query as a tree: ("and"|"or", [nodes]), ("not", node), ("word"|"phrase", text)."""
    tokens: list[tuple[str, str]] = []
    for m in _QUERY_TOKEN.finditer(text):
        phrase = next((g for g in m.groups()[:3] if g is not None), None)
        if phrase is not None:
            tokens.append(("phrase", phrase))
        elif m.group(4):
            tokens.append(("(", ""))
        elif m.group(5):
            tokens.append((")", ""))
        else:
            word = m.group(6)
            if word in ("OR", "|", "||"):
                tokens.append(("or", ""))
            elif word in ("AND", "&", "&&", "+"):
                continue
            elif word == "NOT":
                tokens.append(("not", ""))
            elif word.startswith("-") and len(word) > 1:
                tokens += [("not", ""), ("word", word[1:])]
            else:
                tokens.append(("word", word))

    def sequence(i: int, depth: int) -> tuple[tuple, int]:
        items: list[tuple] = []
        negate = join = False
        while i < len(tokens):
            kind, value = tokens[i]
            if kind == ")":
                if depth:
                    return ("and", items), i + 1
                i += 1
                continue
            if kind == "or":
                join, i = bool(items), i + 1
                continue
            if kind == "not":
                negate, i = not negate, i + 1
                continue
            if kind == "(":
                node, i = sequence(i + 1, depth + 1)
            else:
                node, i = (kind, value), i + 1
            if negate:
                node = ("not", node)
            if join:
                prev = items.pop()
                node = ("or", (prev[1] if prev[0] == "or" else [prev]) + [node])
            items.append(node)
            negate = join = False
        return ("and", items), i

    return sequence(0, 0)[0]


def _word_query(token: str):
    """One word: in the title (boosted), the text, or inside a longer word (search-mode field)."""
    from whoosh.query import Or, Term
    b = FIELD_BOOSTS
    return Or([Term("title", token, boost=b["title"]), Term("text", token, boost=b["text"]),
               Term("sub", token, boost=b["sub"])])


def _phrase_query(tokens: list[str]):
    """Consecutive words (positions count punctuation, so a phrase never spans a comma)."""
    from whoosh.query import Or, Phrase
    if len(tokens) == 1:
        return _word_query(tokens[0])
    b = FIELD_BOOSTS
    return Or([Phrase("title", tokens, boost=b["title"]), Phrase("text", tokens, boost=b["text"])])


def _build(node: tuple, seg: Segmenter, marks: list[str]):
    """A whoosh query for ``node``; the strings to highlight are appended to ``marks``."""
    from whoosh.query import And, Every, Not, Or
    kind = node[0]
    if kind == "word":
        toks = [w for w, *_ in words(seg, node[1])]
        marks.extend(toks)
        clauses = [_word_query(t) for t in toks]
        if len(clauses) > 1:  # 小微企业 → 小 微 企业: all must match, in a row ranks first
            from whoosh.query import AndMaybe
            return AndMaybe(And(clauses), _phrase_query(toks))
        return clauses[0] if clauses else None
    if kind == "phrase":
        parts = [[w for w, *_ in words(seg, run)] for run in runs(node[1])]
        clauses = [_phrase_query(p) for p in parts if p]
        marks.extend(runs(node[1]))
        return None if not clauses else clauses[0] if len(clauses) == 1 else And(clauses)
    if kind == "not":
        inner = _build(node[1], seg, [])
        return None if inner is None else Not(inner)
    children = [q for q in (_build(n, seg, marks) for n in node[1]) if q is not None]
    if not children:
        return None
    if kind == "or":
        return children[0] if len(children) == 1 else Or(children)
    if all(isinstance(q, Not) for q in children):
        children.insert(0, Every())
    return children[0] if len(children) == 1 else And(children)


def _snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The part of ``text`` with the most distinct matches, and the matches' spans in it."""
    folded = fold(text)
    occurrences = []
    for t in set(terms):
        if not t:
            continue
        start = folded.find(t)
        while start >= 0:
            occurrences.append((start, start + len(t), t))
            start = folded.find(t, start + 1)
    occurrences.sort()
    ws, we = 0, min(len(text), width)
    if occurrences:
        best: tuple[tuple[int, int], int, int] | None = None
        for s0, _, _ in occurrences:
            lo = max(0, min(s0 - width // 4, len(text) - width))
            hi = min(len(text), lo + width)
            inside = [(s, e, t) for s, e, t in occurrences if s >= lo and e <= hi]
            key = (len({t for _, _, t in inside}), len(inside))
            if best is None or key > best[0]:
                best = (key, lo, hi)
        if best is not None:
            _, ws, we = best
    spans: list[tuple[int, int]] = []
    for s, e, _ in occurrences:
        if s >= ws and e <= we:
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], e))
            else:
                spans.append((s, e))
    snippet = re.sub(r"\s", " ", text[ws:we])
    shift = 1 if ws > 0 else 0
    snippet = ("…" if ws > 0 else "") + snippet + ("…" if we < len(text) else "")
    return snippet, [(s - ws + shift, e - ws + shift) for s, e in spans]


def _normalise_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    k = KIND_ALIASES.get(kind.strip(), kind.strip().lower())
    if k not in KINDS:
        raise InputError(f"unknown kind '{kind}'", f"choose from {', '.join(KINDS)}")
    return k


def _resolve_document(searcher, name: str) -> str:
    reader = searcher.reader()

    def lexicon(fieldname: str) -> list[str]:
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(fieldname)]

    if name in lexicon("doc"):
        return name
    key = fold(name.strip())
    found: dict[str, str] = {}
    # (a lexicon keeps the terms of removed entries until segments merge: document() is then None)
    for fieldname in ("docno", "dtitle"):
        for value in lexicon(fieldname):
            if value and fold(value) == key:
                stored = searcher.document(**{fieldname: value})
                if stored:
                    return stored["doc"]
    for fieldname in ("docno", "dtitle"):
        for value in lexicon(fieldname):
            if value and key and key in fold(value):
                stored = searcher.document(**{fieldname: value})
                if stored:
                    found[stored["doc"]] = stored["document"]
    if len(found) == 1:
        return next(iter(found))
    known = list(found.values()) or [v for v in lexicon("docno") if searcher.document(docno=v)]
    problem = "matches several indexed documents" if found else "matches no indexed document"
    raise NotFound(f"'{name}' {problem}: {'、'.join(known[:10]) or 'none'}")


def query_index(opened: _Opened, text: str, owner_iri: str | None = None, kind: str | None = None,
                document: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Run ``text`` against an opened index; filters are already resolved except ``document``."""
    from whoosh.query import And, Term
    if limit < 1:
        raise InputError("limit", f"must be at least 1 (got {limit})")
    kind = _normalise_kind(kind)
    marks: list[str] = []
    query = _build(parse_query(text), opened.segmenter, marks)
    if query is None:
        raise InputError(f"'{text}'", "nothing to search for")
    searcher = opened.searcher
    filters = []
    if kind:
        filters.append(Term("kind", kind))
    if document:
        filters.append(Term("doc", _resolve_document(searcher, document)))
    if owner_iri:
        filters.append(Term("owner", owner_iri))
    results = searcher.search(query, limit=limit, filter=And(filters) if filters else None)
    hits = []
    for r in results:
        snippet, spans = _snippet(r["text"], marks)
        hits.append(SearchHit(r["iri"], r["kind"], r["document"], r.get("number") or None, r["title"], snippet,
                              spans, list(r.get("owners") or []), bool(r.get("inferred")), round(float(r.score), 4), r["doc"],
                              [o for o in (r.get("owner") or "").split() if o]))
    return hits


def _owner_iri(kg: "GraphReader", owner: str | None) -> str | None:
    if not owner:
        return None
    from policykg.ontology import ID
    return f"{ID}org/{kg.resolve_department(owner).id}"


def search(kg: "GraphReader", text: str, owner: str | None = None, kind: str | None = None,
           document: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Search the graph's index (rebuilt first if missing or stale); see the module doc for syntax."""
    sync = getattr(kg.store, "sync_index", None)
    if sync is not None:  # a shared server: others may have changed it
        sync()
    if kg.home is None:
        opened = _open_ram(kg)
    else:
        root = index_root(kg.home)
        if _needs_rebuild(root):
            rebuild_index(kg)
        on_disk = _open_dir(root)
        if on_disk is None:
            raise StoreError(f"{root}: the search index cannot be opened")
        opened = on_disk
    return query_index(opened, text, _owner_iri(kg, owner), kind, document, limit)


def search_home(home: str | os.PathLike | None, text: str, owner: str | None = None, kind: str | None = None,
                document: str | None = None, limit: int = 10,
                open_kg: Callable[[], "GraphReader"] | None = None) -> list[SearchHit]:
    """Search the index under ``home`` without opening the store unless it must (an owner to
    resolve, or no usable index yet): the fast path of ``policykg search``."""
    from .home import resolve_home
    root = index_root(resolve_home(home))
    opened = None if _needs_rebuild(root) else _open_dir(root)

    def graph() -> "GraphReader":
        if open_kg is not None:
            return open_kg()
        from .reader import GraphReader
        from .store import open_store
        return GraphReader(*open_store(os.environ.get("POLICYKG_STORE") or None, resolve_home(home)))

    if opened is None:
        return search(graph(), text, owner, kind, document, limit)
    return query_index(opened, text, _owner_iri(graph(), owner) if owner else None, kind, document, limit)


def mark_stale(root: Path, reason: str) -> None:
    """Make the next search rebuild the index under ``root`` (``reason`` is kept in the marker):
    for changes made elsewhere, e.g. by another client of a shared SPARQL server."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "STALE").write_text(reason, "utf-8")
