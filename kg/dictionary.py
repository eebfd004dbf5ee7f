"""jieba's word dictionary on disk, ready in a millisecond.

jieba keeps its ~500 000 entries (349 046 words with their counts, and every prefix of a word with
count 0) in a Python dict that takes a third of a second to load in every process that cuts text;
an ingest of a few dozen notices spent as long loading it as cutting them. Here the same entries
are a MARISA trie (``jieba.marisa``) that is memory-mapped, and an array of their counts
(``jieba.counts``) read as bytes, both in a cache folder, made once from jieba's dictionary.
:class:`Counts` answers exactly as jieba's dict does, and takes the words a user adds on top.
"""
from __future__ import annotations

import array
import marshal
import os
from pathlib import Path
from typing import Any, Iterator

#: File names in the cache folder (the counts file starts with the dictionary's total).
TRIE_FILE, COUNTS_FILE, JIEBA_CACHE = "jieba.marisa", "jieba.counts", "jieba.cache"


class Counts:
    """``word → count`` (prefixes of words → 0) as jieba's ``FREQ`` dict answers it, over the
    memory-mapped trie of jieba's dictionary, plus words set here (a user's words: kept apart,
    the files are shared)."""

    def __init__(self, trie: Any, counts: array.array):
        self._trie, self._counts = trie, counts
        self._added: dict[str, int] = {}

    def get(self, word: str, default: Any = None) -> Any:
        count = self._added.get(word)
        if count is not None:
            return count
        i = self._trie.get(word)
        return default if i is None else self._counts[i]

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        count = self.get(word)
        if count is None:
            raise KeyError(word)
        return count

    def __setitem__(self, word: str, count: int) -> None:
        self._added[word] = count

    def setdefault(self, word: str, count: int) -> int:
        known = self.get(word)
        if known is None:
            self._added[word] = known = count
        return known

    def __len__(self) -> int:
        return len(self._counts) + sum(1 for w in self._added if self._trie.get(w) is None)

    def keys(self) -> Iterator[str]:
        return iter(self)

    def __iter__(self) -> Iterator[str]:
        yield from self._trie.iterkeys()
        yield from (w for w in self._added if self._trie.get(w) is None)


_LOADED: dict[str, tuple[Any, array.array, int]] = {}


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _jieba_freq(cache_dir: Path) -> tuple[dict[str, int], int]:
    """jieba's own dictionary (word → count, prefixes → 0; total), from jieba's cache file in
    ``cache_dir`` (made there by jieba the first time)."""
    cache = cache_dir / JIEBA_CACHE
    if cache.is_file():
        try:
            return marshal.loads(cache.read_bytes())
        except (ValueError, EOFError, TypeError):
            cache.unlink()
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tk = jieba.Tokenizer()
    tk.tmp_dir, tk.cache_file = str(cache_dir), JIEBA_CACHE
    tk.initialize()
    return tk.FREQ, tk.total


def _build(cache_dir: Path) -> None:
    import marisa_trie
    freq, total = _jieba_freq(cache_dir)
    trie = marisa_trie.Trie(freq)
    counts = array.array("q", [0]) * (len(trie) + 1)
    counts[0] = total
    for word, i in trie.iteritems():
        counts[i + 1] = freq[word]
    _write_atomically(cache_dir / COUNTS_FILE, counts.tobytes())
    _write_atomically(cache_dir / TRIE_FILE, trie.tobytes())


def _open(cache_dir: Path) -> tuple[Any, array.array, int] | None:
    """The trie memory-mapped, the counts and the total; None when the files are missing or damaged."""
    import marisa_trie
    trie, counts = marisa_trie.Trie(), array.array("q")
    try:
        trie.mmap(str(cache_dir / TRIE_FILE))
        counts.frombytes((cache_dir / COUNTS_FILE).read_bytes())
    except (OSError, ValueError, RuntimeError):  # marisa says RuntimeError of a file that is no trie
        return None
    return (trie, counts[1:], counts[0]) if len(counts) == len(trie) + 1 else None


def jieba_counts(cache_dir: Path) -> tuple[Counts, int]:
    """jieba's dictionary as a fresh :class:`Counts` and its total, made in ``cache_dir`` on first
    use (a few seconds: jieba reads its dictionary text), made again when damaged, and
    memory-mapped from then on."""
    key = str(cache_dir)
    if key not in _LOADED:
        opened = _open(cache_dir)
        if opened is None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            _build(cache_dir)
            opened = _open(cache_dir)
        if opened is None:
            raise OSError(f"{cache_dir}: cannot make jieba's dictionary files")
        _LOADED[key] = opened
    trie, counts, total = _LOADED[key]
    return Counts(trie, counts), total
