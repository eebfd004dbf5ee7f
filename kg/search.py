"""Chinese full-text search over measures, targets, deadlines, conditions and paragraphs.

What is indexed (:mod:`policykg.entries`) and how the index is kept (:mod:`policykg.index`, SQLite
FTS5) live beside this module; this one turns a query into FTS5's language and hits into
``SearchHit``s.

Query syntax: words (all must match), ``"quoted phrases"`` (contiguous), ``OR`` (binds tighter than
the implicit AND: ``落户 OR 居住证 公安`` = (落户 or 居住证) and 公安), ``NOT word`` / ``-word``,
parentheses. Ranking is BM25 with the column weights :data:`FIELD_BOOSTS`; a word that the segmenter
cuts into several (小微企业 → 小 微 企业) needs all of them, and ranks higher where they are in a row.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from .entries import KINDS
from .errors import InputError, NotFound, StoreError
from .index import IndexLocked, index_root, open_index, open_memory, rebuild_index
from .records import Record
from .tokenize import EVERY, Segmenter, fold, runs, words

if TYPE_CHECKING:
    from .index import OpenIndex
    from .reader import GraphReader

KIND_ALIASES = {"措施": "measure", "目标": "target", "时限": "deadline", "期限": "deadline", "条件": "condition",
                "段落": "paragraph"}
#: Column weights (BM25): a word in the title counts three times one in the text; the search-mode
#: column (``sub``: the dictionary words inside longer words) adds recall and a little rank.
FIELD_BOOSTS = {"title": 3.0, "text": 1.0, "sub": 0.5}
#: Characters of text around the matches shown in a snippet.
SNIPPET_CHARS = 90


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



# -- query syntax ------------------------------------------------------------------------------

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




# -- queries in FTS5's language ------------------------------------------------------------------

def _quoted(tokens: list[str]) -> str:
    """Tokens as one FTS5 string: one token, or a phrase of consecutive tokens."""
    return '"' + " ".join(tokens) + '"'


def _phrase_query(tokens: list[str]) -> str:
    """Consecutive words in the title or the text (positions count punctuation, so a phrase never
    spans a comma); one word anywhere, the search-mode column included."""
    if len(tokens) == 1:
        return _quoted(tokens)
    return "{title text} : " + _quoted(tokens)


def _build(node: tuple, seg: Segmenter, marks: list[str], bonus: list[str]) -> str | None:
    """An FTS5 expression for ``node``; the strings to highlight are appended to ``marks``, and the
    phrases whose matches rank higher (words in a row) to ``bonus``."""
    kind = node[0]
    if kind == "word":
        toks = [w for w, *_ in words(seg, node[1])]
        marks.extend(toks)
        if len(toks) > 1:  # 小微企业 → 小 微 企业: all must match, in a row ranks first
            bonus.append(_phrase_query(toks))
            return "(" + " AND ".join(_quoted([t]) for t in toks) + ")"
        return _quoted(toks) if toks else None
    if kind == "phrase":
        parts = [[w for w, *_ in words(seg, run)] for run in runs(node[1])]
        clauses = [_phrase_query(p) for p in parts if p]
        marks.extend(runs(node[1]))
        return None if not clauses else clauses[0] if len(clauses) == 1 else "(" + " AND ".join(clauses) + ")"
    if kind == "not":
        inner = _build(node[1], seg, [], [])
        return None if inner is None else f'("{EVERY}" NOT {inner})'
    children = [q for q in (_build(n, seg, marks, bonus) for n in node[1]) if q is not None]
    if not children:
        return None
    if kind == "or":
        return children[0] if len(children) == 1 else "(" + " OR ".join(children) + ")"
    return children[0] if len(children) == 1 else "(" + " AND ".join(children) + ")"


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


def _resolve_document(opened: "OpenIndex", name: str) -> str:
    """The IRI of the indexed document ``name`` (IRI, 文号 or title, whole or a part of it)."""
    with opened.lock:
        rows = opened.conn.execute("SELECT doc, docno, dtitle, document FROM document ORDER BY doc").fetchall()
    if any(doc == name for doc, *_ in rows):
        return name
    key = fold(name.strip())
    for column in (1, 2):  # 文号, then title
        for row in rows:
            if row[column] and fold(row[column]) == key:
                return row[0]
    found = {row[0]: row[3] for column in (1, 2) for row in rows if row[column] and key and key in fold(row[column])}
    if len(found) == 1:
        return next(iter(found))
    known = list(found.values()) or [row[1] for row in rows if row[1]]
    problem = "matches several indexed documents" if found else "matches no indexed document"
    raise NotFound(f"'{name}' {problem}: {'、'.join(known[:10]) or 'none'}")


def query_index(opened: "OpenIndex", text: str, owner_iri: str | None = None, kind: str | None = None,
                document: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Run ``text`` against an opened index; filters are already resolved except ``document``."""
    import sqlite3
    if limit < 1:
        raise InputError("limit", f"must be at least 1 (got {limit})")
    kind = _normalise_kind(kind)
    marks: list[str] = []
    bonus: list[str] = []
    expression = _build(parse_query(text), opened.segmenter, marks, bonus)
    if expression is None:
        raise InputError(f"'{text}'", "nothing to search for")
    weights = ", ".join(str(FIELD_BOOSTS[c]) for c in ("title", "text", "sub"))
    params: dict[str, object] = {"q": expression, "limit": limit}
    ctes, joins, extra, filters = [], [], "", []
    for i, phrase in enumerate(bonus):  # a row matching the phrase too scores it on top
        ctes.append(f"b{i} AS MATERIALIZED (SELECT rowid AS id, -bm25(fts, {weights}) AS s FROM fts "
                    f"WHERE fts MATCH :b{i})")
        joins.append(f"LEFT JOIN b{i} ON b{i}.id = e.id")
        extra += f" + COALESCE(b{i}.s, 0)"
        params[f"b{i}"] = phrase
    if kind:
        filters.append("AND e.kind = :kind")
        params["kind"] = kind
    if document:
        filters.append("AND e.doc = :doc")
        params["doc"] = _resolve_document(opened, document)
    if owner_iri:
        filters.append("AND e.id IN (SELECT entry FROM owner WHERE owner = :owner)")
        params["owner"] = owner_iri
    sql = (("WITH " + ", ".join(ctes) + " " if ctes else "")
           + f"SELECT e.iri, e.kind, d.document, e.number, e.title, e.text, e.owners, e.inferred, e.doc, "
           f"e.owner_iris, -bm25(fts, {weights}){extra} AS score "
           f"FROM fts JOIN entry e ON e.id = fts.rowid JOIN document d ON d.doc = e.doc {' '.join(joins)} "
           f"WHERE fts MATCH :q {' '.join(filters)} ORDER BY score DESC, e.id LIMIT :limit")
    try:
        with opened.lock:
            rows = opened.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as err:
        raise StoreError(f"the search index cannot answer '{text}' ({err})") from None
    hits = []
    for iri, kind_, document_, number, title, body, owners, inferred, doc, owner_iris, score in rows:
        snippet, spans = _snippet(body, marks)
        hits.append(SearchHit(iri, kind_, document_, number or None, title, snippet, spans,
                              [o for o in owners.split("\n") if o], bool(inferred), round(float(score), 4), doc,
                              owner_iris.split()))
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
        opened = open_memory(kg)
    else:
        root = index_root(kg.home)
        on_disk = open_index(root)
        if on_disk is None:
            # minutes for thousands of documents (e.g. a home indexed by an older policykg): say so
            print("policykg: building the search index of this data directory (once; thousands of "
                  "documents take minutes)", file=sys.stderr)
            rebuild_index(kg)
            on_disk = open_index(root)
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
    opened = open_index(index_root(resolve_home(home)))

    def graph() -> "GraphReader":
        if open_kg is not None:
            return open_kg()
        from .reader import GraphReader
        from .store import open_store
        return GraphReader(*open_store(os.environ.get("POLICYKG_STORE") or None, resolve_home(home)))

    if opened is None:
        return search(graph(), text, owner, kind, document, limit)
    return query_index(opened, text, _owner_iri(graph(), owner) if owner else None, kind, document, limit)


__all__ = ["SearchHit", "IndexLocked", "KINDS", "parse_query", "query_index", "search", "search_home"]
