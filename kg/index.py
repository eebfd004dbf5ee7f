"""The full-text index of a data directory: one SQLite database, ``<home>/index/search.sqlite``.

SQLite's FTS5 (in Python's standard library) holds the postings; our jieba segmenter cuts the texts
in Python (:func:`policykg.tokenize.prepare_tokens`) and FTS5's own tokenizer only splits the cut
texts at the spaces. (The index was whoosh until issue 10: whoosh spent ≈ 40 µs of Python per
posting, ≈ 65 ms of CPU per notice, more than the whole per-document budget of ingest.)

Tables:

* ``entry`` — one row per indexed fact (:mod:`policykg.entries`): what a hit shows;
* ``fts`` — FTS5 over three token strings of each entry: the words of its title, the words of its
  text, and the sub-words of both (search mode), rowid = ``entry.id``;
* ``owner`` — entry → IRI of a department responsible for it (the owner filter);
* ``document`` — the indexed documents' 文号 and titles (the document filter);
* ``digest`` — document → digest of the graph indexed for it (ingest skips unchanged documents);
* ``meta`` — schema version, the user dictionary the texts were cut with, and the query dictionary
  (the segmenter restricted to the index's words: queries cut like the texts, loaded in ms).

Every write holds ``<home>/index/LOCK`` (timeout :data:`LOCK_TIMEOUT`) and is one SQLite
transaction; a rebuild writes a new file and renames it over the old one (a reader that has the old
one open keeps reading it, and reopens on its next search). When the store changed but the index
could not follow, ``index/STALE`` is written and the next search rebuilds the index.
"""
from __future__ import annotations

import marshal
import os
import re
import sqlite3
import sys
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import StoreError
from .tokenize import Segmenter

if TYPE_CHECKING:
    from .entries import EntriesRef
    from .reader import GraphReader

SCHEMA_VERSION = "3"  # 3: SQLite FTS5 (2 was the last whoosh index)
#: Seconds a writer waits for another writer before giving up.
LOCK_TIMEOUT = 30.0
#: FTS5 splits the pre-cut texts at spaces only: every character jieba keeps inside a word is a
#: token character (letters and digits are by default; these are the others, as in 3.5% or c++).
TOKENIZER = "unicode61 tokenchars '+#&._%-' remove_diacritics 0"
#: Entries at least this many are cut by a pool of processes (one per core, at most 4).
PARALLEL_ENTRIES = 1000
#: An ingest adding at most this many entries (a few hundred notices) extends the query dictionary
#: from their tokens instead of reading the index's whole vocabulary (see _vocabulary).
INCREMENTAL_ENTRIES = 20_000

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE entry(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL,
                   number TEXT, title TEXT, text TEXT, owners TEXT, owner_iris TEXT, inferred INTEGER);
CREATE INDEX entry_doc ON entry(doc);
CREATE TABLE owner(owner TEXT, entry INTEGER, PRIMARY KEY(owner, entry)) WITHOUT ROWID;
CREATE TABLE document(doc TEXT PRIMARY KEY, docno TEXT, dtitle TEXT, document TEXT);
CREATE TABLE digest(doc TEXT PRIMARY KEY, digest TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, sub, tokenize="{TOKENIZER}");
"""


class IndexLocked(StoreError):
    """Another process is writing the index."""


def index_root(home: str | os.PathLike | None) -> Path:
    """Where the index of a data directory lives (a graph without one keeps its index in memory)."""
    if home is None:
        raise StoreError("this graph has no data directory: its search index lives in memory")
    return Path(home) / "index"


def index_file(root: Path) -> Path:
    return root / "search.sqlite"


def needs_rebuild(root: Path) -> bool:
    """No usable index under ``root``: missing, of another schema version, or marked stale."""
    return (root / "STALE").exists() or _version(index_file(root)) != SCHEMA_VERSION


def mark_stale(root: Path, reason: str) -> None:
    """Make the next search rebuild the index under ``root`` (``reason`` is kept in the marker):
    for changes made elsewhere, e.g. by another client of a shared SPARQL server."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "STALE").write_text(reason, "utf-8")


def _create(conn: sqlite3.Connection) -> None:
    """The tables of an empty index; a Python whose SQLite lacks FTS5 gets a one-line error."""
    try:
        conn.executescript(_SCHEMA)
    except sqlite3.OperationalError as err:
        if "fts5" in str(err):
            raise StoreError(f"this Python's SQLite ({sqlite3.sqlite_version}) has no FTS5, which the search "
                             "index needs: use a Python built with a standard SQLite") from None
        raise


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")  # a rebuild renames files: no WAL beside them
    return conn


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_TIMEOUT, check_same_thread=False)


def _schema_version(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    return row[0] if row else None


def _version(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        with closing(_read_only(path)) as conn:
            return _schema_version(conn)
    except sqlite3.Error:
        return None


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


# -- cutting entries into rows ------------------------------------------------------------------

def _base_dir(kg: "GraphReader") -> Path:
    from .home import cache_folder
    return cache_folder(kg.home)


def _segmenter(cache_dir: Path, user_words: list[str]) -> Segmenter:
    from .tokenize import jieba_segmenter
    return jieba_segmenter(cache_dir, user_words)


#: One entry as the index stores it: the entry's fields, then its three token strings.
Row = tuple[Any, ...]


def entry_row(seg: Segmenter, e: dict[str, Any]) -> Row:
    """``e`` (an entry of :mod:`policykg.entries`) with its title and text cut by ``seg``."""
    from .tokenize import prepare_tokens
    return (e["iri"], e["kind"], e["doc"], e["docno"], e["dtitle"], e["document"], e["number"], e["title"],
            e["text"], "\n".join(e["owners"]), e["owner"], int(bool(e["inferred"])),
            *prepare_tokens(seg, e["title"], e["text"]))


def _insert(conn: sqlite3.Connection, rows: Iterable[Row]) -> int:
    """Add ``rows`` (caller holds a transaction); returns how many."""
    first = (conn.execute("SELECT MAX(id) FROM entry").fetchone()[0] or 0) + 1
    entries: list[tuple] = []
    texts: list[tuple] = []
    owners: list[tuple[str, int]] = []
    docs: dict[str, tuple] = {}
    for i, r in enumerate(rows, first):
        iri, kind, doc, docno, dtitle, document, number, title, text, names, owner_iris, inferred = r[:12]
        entries.append((i, iri, kind, doc, number, title, text, names, owner_iris, inferred))
        texts.append((i, *r[12:]))
        owners.extend((o, i) for o in owner_iris.split())
        docs[doc] = (doc, docno, dtitle, document)
    conn.executemany("INSERT INTO entry VALUES (?,?,?,?,?,?,?,?,?,?)", entries)
    conn.executemany("INSERT INTO fts(rowid, title, text, sub) VALUES (?,?,?,?)", texts)
    conn.executemany("INSERT OR IGNORE INTO owner VALUES (?,?)", owners)
    conn.executemany("INSERT OR REPLACE INTO document VALUES (?,?,?,?)", docs.values())
    return len(entries)


def _delete(conn: sqlite3.Connection, doc_iris: Iterable[str]) -> int:
    """Remove the entries of ``doc_iris`` (caller holds a transaction); returns how many there were."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone(doc TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.gone")
    conn.executemany("INSERT OR IGNORE INTO temp.gone VALUES (?)", ((d,) for d in doc_iris))
    ids = "SELECT id FROM entry WHERE doc IN (SELECT doc FROM temp.gone)"
    conn.execute(f"DELETE FROM fts WHERE rowid IN ({ids})")
    conn.execute(f"DELETE FROM owner WHERE entry IN ({ids})")
    removed = conn.execute("DELETE FROM entry WHERE doc IN (SELECT doc FROM temp.gone)").rowcount
    conn.execute("DELETE FROM document WHERE doc IN (SELECT doc FROM temp.gone)")
    conn.execute("DELETE FROM digest WHERE doc IN (SELECT doc FROM temp.gone)")
    return removed


def _user_words(conn: sqlite3.Connection) -> list[str]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'userdict'").fetchone()
    return row[0].split("\n") if row and row[0] else []


#: Characters FTS5's tokenizer (TOKENIZER) keeps inside a term: a token made of these alone is one
#: term of the index, exactly as written (ASCII letters and digits, its tokenchars, CJK ideographs,
#: the private-use GAP and EVERY).
_ONE_TERM = re.compile(r"[0-9a-z+#&._%\-\u3400-\u9fff\uf900-\ufaff\ue000-\uf8ff]+")


def _vocabulary(conn: sqlite3.Connection, added: set[str] | None) -> Iterable[str]:
    """The index's terms, or fewer that give the same query dictionary. When a write only added
    entries whose tokens are ``added``, they are the words of the query dictionary stored before
    (every word the index had, since user words are only ever added) and ``added``: reading the
    whole vocabulary takes a second at 10 000 documents. Otherwise (``None``, or a token FTS5 might
    split) the vocabulary is read."""
    if added is not None and all(_ONE_TERM.fullmatch(t) for t in added):
        row = conn.execute("SELECT value FROM meta WHERE key = 'qdict'").fetchone()
        if row is not None:
            before, _ = marshal.loads(row[0])
            return [w for w, count in before.items() if count] + sorted(added)
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, fts, row)")
    return [t for (t,) in conn.execute("SELECT term FROM temp.vocab")]


def _finish(conn: sqlite3.Connection, seg: Segmenter, words: list[str], added: set[str] | None = None) -> None:
    """Store the version, the user words and the query dictionary: ``seg`` restricted to the words
    now in the index (caller holds a transaction; ``added``: see :func:`_vocabulary`)."""
    query = seg.restricted(_vocabulary(conn, added))
    meta = {"version": SCHEMA_VERSION, "userdict": "\n".join(words),
            "qdict": marshal.dumps((dict(query.freq), query.total))}
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", meta.items())


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All of the writes inside, or none of them."""
    conn.execute("BEGIN")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _write_all(conn: sqlite3.Connection, seg: Segmenter, words: list[str], entries: list[dict[str, Any]],
               workers: int | None = None) -> None:
    """Index ``entries`` into an empty index (cut by worker processes when there are many)."""
    with _transaction(conn):
        for _, rows in _cut_rows(seg, lambda parts: _range_tasks(len(entries), parts), len(entries), workers,
                                 entries):
            _insert(conn, rows)
        _finish(conn, seg, words)


def build_file(root: Path, entries: list[dict[str, Any]], user_words: list[str], cache_dir: Path,
               digests: dict[str, str] | None = None) -> Path:
    """Write a complete new index from ``entries`` and rename it into place (caller locks)."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f"search.{os.getpid()}.{time.time_ns():x}.tmp"
    try:
        with closing(_connect(tmp)) as conn:
            _create(conn)
            _write_all(conn, _segmenter(cache_dir, user_words), user_words, entries)
            conn.executemany("INSERT OR REPLACE INTO digest VALUES (?,?)", (digests or {}).items())
        os.replace(tmp, index_file(root))  # readers see the old or the new index, never a part
    finally:
        tmp.unlink(missing_ok=True)
    (root / "STALE").unlink(missing_ok=True)
    _remove_whoosh_leftovers(root)
    return index_file(root)


def _remove_whoosh_leftovers(root: Path) -> None:
    """An index written before issue 10 (whoosh generations g…/, CURRENT, digests.marshal)."""
    import shutil
    for old in root.glob("g*"):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    for name in ("CURRENT", "digests.marshal"):
        (root / name).unlink(missing_ok=True)


def rebuild_index(kg: "GraphReader") -> None:
    """Rebuild the whole index from the graph, then swap it in."""
    from .entries import stored_entries
    from .userdict import user_words
    root = index_root(kg.home)
    with _lock(root):
        entries = stored_entries(kg)
        build_file(root, entries, user_words(kg, (e["text"] for e in entries)), _base_dir(kg))


def update_index(kg: "GraphReader", doc_iris: list[str]) -> None:
    """Re-index the entries of ``doc_iris`` (added, replaced or removed documents)."""
    from .entries import stored_entries
    from .userdict import user_words
    root = index_root(kg.home)
    with _lock(root):
        if needs_rebuild(root):
            entries = stored_entries(kg)
            build_file(root, entries, user_words(kg, (e["text"] for e in entries)), _base_dir(kg))
            return
        entries = stored_entries(kg, doc_iris)
        with closing(_connect(index_file(root))) as conn:
            merged = sorted(set(_user_words(conn)) | set(user_words(kg, (e["text"] for e in entries))))
            seg = _segmenter(_base_dir(kg), merged)
            rows = [entry_row(seg, e) for e in entries]
            with _transaction(conn):
                _delete(conn, doc_iris)
                _insert(conn, rows)
                _finish(conn, seg, merged)


def after_change(kg: "GraphReader", doc_iris: list[str] | None) -> None:
    """Keep the index in step with the store (``None``: everything changed).

    The store is already written when this runs, so a failure here does not undo it: the index is
    marked stale, and the next search rebuilds it.
    """
    if kg.home is None:
        kg.derived.pop("search", None)
        return
    if doc_iris is not None and not doc_iris and not needs_rebuild(index_root(kg.home)):
        return  # nothing stored changed
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
        try:
            mark_stale(index_root(kg.home), str(err))
        except OSError:
            pass
        print(f"policykg: search index not updated ({err}); it is rebuilt on the next search", file=sys.stderr)


# -- bulk indexing for ingest: entries cut in worker processes, written in one transaction -------

#: What forked worker processes cut with: the segmenter, and the entries of a rebuild (set just
#: before the pool starts; the children share them with the parent instead of receiving copies).
_FORKED: tuple[Segmenter, list[dict[str, Any]]] | None = None

def _cut_task(task: Any) -> list[Row]:
    """The rows of one task's entries, cut by the segmenter the worker was forked with: a task is a
    run of spilled documents (ingest) or a range (start, end) of a rebuild's entries."""
    from .entries import read_spilled
    if _FORKED is None:
        raise RuntimeError("the index worker was started without a segmenter")
    seg, entries = _FORKED
    chosen = entries[task[0]:task[1]] if isinstance(task, tuple) else read_spilled(task)
    return [entry_row(seg, e) for e in chosen]


def _spilled_tasks(refs: list["EntriesRef"], parts: int) -> list[tuple[int, Any]]:
    """``refs`` cut into at most ``parts`` runs in order, of about equal numbers of entries:
    (entries, run)."""
    total = sum(r[3] for r in refs)
    out: list[list["EntriesRef"]] = [[]]
    size = 0
    for ref in refs:
        if out[-1] and size >= total * len(out) / parts:
            out.append([])
        out[-1].append(ref)
        size += ref[3]
    return [(sum(r[3] for r in run), run) for run in out if run]


def _range_tasks(count: int, parts: int) -> list[tuple[int, Any]]:
    step = max(1, -(-count // parts))
    return [(min(count, i + step) - i, (i, min(count, i + step))) for i in range(0, count, step)]


def _workers(total: int, workers: int | None) -> int:
    import multiprocessing
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if workers is None:
        return min(os.cpu_count() or 1, 4) if total >= PARALLEL_ENTRIES else 1
    return workers


def _cut_rows(seg: Segmenter, make_tasks: Callable[[int], list[tuple[int, Any]]], total: int,
              workers: int | None, entries: list[dict[str, Any]] | None = None
              ) -> Iterator[tuple[int, list[Row]]]:
    """(entries done, rows) for the tasks ``make_tasks(parts)`` makes, in order; cut by forked
    worker processes for long batches (each task while the previous one is written)."""
    global _FORKED
    workers = _workers(total, workers)
    tasks = make_tasks(8 * workers if workers > 1 else 1)
    _FORKED = (seg, entries or [])
    from .entries import read_spilled  # noqa: F401 - loaded before the fork: the workers import nothing
    try:
        if workers <= 1 or len(tasks) < 2:
            for count, task in tasks:
                yield count, _cut_task(task)
            return
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (count, _), rows in zip(tasks, pool.imap(_cut_task, [t for _, t in tasks])):
                yield count, rows
    finally:
        _FORKED = None


def index_ingested(kg: "GraphReader", spilled: dict[str, "EntriesRef"], words: Iterable[str] = (),
                   digests: dict[str, str] | None = None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   stored: Callable[[], set[str]] | None = None) -> None:
    """Index what an ingest stored: ``spilled`` maps each stored document's IRI to its entries
    (:func:`policykg.entries.spill_entries`); ``words`` are the user words the new graphs add
    (:func:`policykg.userdict.graph_organisation_names`, the programme names their entries quote);
    ``digests`` the stored graphs' digests (:func:`stored_digests`). The documents' old entries are
    replaced. Like :func:`after_change`, a failure marks the index stale and is not raised.

    ``stored``: the store may still be writing these documents; called once, before the index
    reads the store or commits, it waits for that write and names the documents it did not store
    (they are left out). The user words are those the index already has, the policy terms and
    ``words``: the index's words hold every organisation of the store it was written for."""
    waited: list[set[str]] = []

    def wait() -> set[str]:
        if not waited:
            waited.append(stored() if stored is not None else set())
        return waited[0]

    try:
        _index_ingested(kg, spilled, words, digests, workers, progress, wait)
    finally:
        wait()


def _index_ingested(kg: "GraphReader", spilled: dict[str, "EntriesRef"], words: Iterable[str],
                    digests: dict[str, str] | None, workers: int | None,
                    progress: Callable[[int, int], None] | None, wait: Callable[[], set[str]]) -> None:
    if kg.home is None:  # the in-memory index is built again on the next search
        kg.derived.pop("search", None)
        return
    root = index_root(kg.home)
    if not spilled and not needs_rebuild(root):
        return

    def rebuild() -> None:
        from .entries import stored_entries
        from .userdict import user_words
        refused = wait()
        entries = stored_entries(kg)
        build_file(root, entries, user_words(kg, (e["text"] for e in entries)), _base_dir(kg),
                   {i: d for i, d in (digests or {}).items() if i in spilled and i not in refused})

    def write() -> None:
        from .userdict import policy_terms, usable_words
        with _lock(root):
            if needs_rebuild(root):  # no usable index: build it from the whole graph
                rebuild()
                return
            with closing(_connect(index_file(root))) as conn:
                merged = usable_words(set(_user_words(conn)) | set(policy_terms()) | set(words))
                seg = _segmenter(_base_dir(kg), merged)
                order = sorted(spilled)  # by document IRI, as a rebuild orders them
                total, done = sum(spilled[i][3] for i in order), 0
                if progress:
                    progress(0, total)
                with _transaction(conn):
                    # a write that only adds entries (new documents) and not too many of them extends
                    # the query dictionary from their tokens (_vocabulary)
                    added: set[str] | None = set() if total <= INCREMENTAL_ENTRIES else None
                    if _delete(conn, order):
                        added = None
                    refs = [spilled[i] for i in order]
                    for count, rows in _cut_rows(seg, lambda parts: _spilled_tasks(refs, parts), total, workers):
                        _insert(conn, rows)
                        if added is not None:
                            for row in rows:
                                added.update(*(column.split() for column in row[12:]))
                        done += count
                        if progress:
                            progress(done, total)
                    refused = wait()
                    if refused:  # their new entries go; what the store still holds of them is indexed again
                        from .entries import stored_entries
                        added = None
                        _delete(conn, refused)
                        _insert(conn, [entry_row(seg, e) for e in stored_entries(kg, sorted(refused))])
                    _finish(conn, seg, merged, added)
                    known = digests or {}
                    conn.executemany("INSERT OR REPLACE INTO digest VALUES (?,?)",
                                     ((i, known[i]) for i in order if i in known and i not in refused))
    _guarded(kg, write)


def stored_digests(kg: "GraphReader") -> dict[str, str]:
    """Document IRI → digest of the graph stored and indexed for it, for documents whose store
    graph and index entries are both current ({} when the index must be rebuilt anyway)."""
    if kg.home is None:
        return {}
    root = index_root(kg.home)
    if needs_rebuild(root):
        return {}
    with closing(_connect(index_file(root))) as conn:
        return dict(conn.execute("SELECT doc, digest FROM digest").fetchall())


# -- opening for queries -----------------------------------------------------------------------

class OpenIndex:
    """A connection for queries and the query dictionary; one per index file per process."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.conn = conn
        self.lock = threading.Lock()  # one query at a time on the connection (the web app has threads)
        self.identity = _identity(path)
        self._seen: int | None = None
        self.segmenter = Segmenter({}, 1)
        self.fresh()

    def fresh(self) -> "OpenIndex":
        """Reload the query dictionary when another connection wrote the index since (SQLite's
        ``data_version`` changes then; reading it costs microseconds, the dictionary milliseconds)."""
        with self.lock:
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._seen:
                row = self.conn.execute("SELECT value FROM meta WHERE key = 'qdict'").fetchone()
                if row is not None:
                    freq, total = marshal.loads(row[0])
                    self.segmenter = Segmenter(freq, total)
                self._seen = version
        return self

    def close(self) -> None:
        self.conn.close()


def _identity(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


_OPEN: dict[str, OpenIndex] = {}


def open_index(root: Path) -> OpenIndex | None:
    """The index under ``root`` opened for queries (kept open in this process), or None when it
    must be (re)built first."""
    if (root / "STALE").exists():
        return None
    path = index_file(root)
    identity = _identity(path)
    cached = _OPEN.pop(str(root), None)
    if cached is not None:
        if identity is not None and cached.identity == identity:
            _OPEN[str(root)] = cached
            return cached.fresh()
        cached.close()  # a rebuild renamed a new file into place
    if identity is None:
        return None
    try:
        conn = _read_only(path)
        if _schema_version(conn) != SCHEMA_VERSION:
            conn.close()
            return None
        opened = OpenIndex(conn, path)
    except sqlite3.Error:
        return None
    _OPEN[str(root)] = opened
    return opened


def open_memory(kg: "GraphReader") -> OpenIndex:
    """An in-memory graph gets an in-memory index, built on first search."""
    opened = kg.derived.get("search")
    if opened is None:
        from .entries import graph_entries
        from .userdict import user_words
        entries = graph_entries(kg)
        words = user_words(kg, (e["text"] for e in entries))
        conn = _connect(":memory:")
        _create(conn)
        _write_all(conn, _segmenter(_base_dir(kg), words), words, entries)
        opened = kg.derived["search"] = OpenIndex(conn, None)
    return opened
