"""Chinese text analysis for the search index.

Two views of every text, both on characters folded first (traditional → simplified, full-width →
half-width, via :func:`policykg.corpus.normalise.fold_chars`, which maps one character to one
character, so offsets in the folded text are offsets in the original):

* **words** — jieba's precise mode (dictionary only, no HMM), one position per word, so quoted
  phrases work (jieba's own ``ChineseAnalyzer`` uses character offsets as positions and emits
  overlapping sub-words, so a quoted phrase such as "随迁子女" found nothing);
* **sub-words** — what jieba's search mode adds: the 2- and 3-character dictionary words inside
  longer words, at the word's position (乡村工匠 → 乡村, 工匠), so 工匠 finds 乡村工匠.

The word segmenter is jieba's algorithm re-stated in :class:`Segmenter` (``get_DAG`` + ``calc`` +
the no-HMM cut). Indexing uses jieba's whole dictionary (memory-mapped: :mod:`policykg.dictionary`)
plus our user words; queries use the same
dictionary restricted to the words the index contains (:meth:`Segmenter.restricted`), which picks
the same cut for any indexed text and loads in milliseconds instead of jieba's ~0.6 s start-up.
"""
from __future__ import annotations

import marshal
import os
import re
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union

from policykg.corpus.normalise import fold_chars

if TYPE_CHECKING:
    from .dictionary import Counts

#: Characters that make a token searchable (CJK ideographs, Latin letters, digits).
WORD_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
# jieba's block splitting (jieba/__init__.py: re_han_default, re_skip_default, re_eng)
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = re.compile("(\r\n|\\s)", re.U)
_RE_ENG = re.compile("[a-zA-Z0-9]", re.U)


def fold(text: str) -> str:
    """Fold characters one-to-one (traditional, width) and lower-case Latin letters."""
    return fold_chars(text).lower()


class Segmenter:
    """jieba precise mode without HMM over a frequency dictionary (``word → count``, prefixes → 0)."""

    #: Blocks remembered (indexing cuts the same titles and phrases again and again).
    CACHE_BLOCKS = 100_000
    #: Fragments whose dictionary entry is remembered (see ``_lookup``): about 60 000 per 50 notices,
    #: some 110 bytes each (the most, 200 000, take about 22 MB).
    CACHE_FRAGMENTS = 200_000
    #: What ``_lookup`` says of a fragment that is not a word: no word starts so; only longer words do.
    ABSENT, PREFIX = object(), object()

    def __init__(self, freq: Union[dict[str, int], "Counts"], total: int):
        self.freq, self.total = freq, total
        self._logtotal = log(total)
        self._cache: dict[str, list[str]] = {}
        self._fragments: dict[str, Any] = {}  # fragment → log probability, ABSENT or PREFIX
        #: token → None when it is no searchable word (punctuation, space), else its sub-words
        #: (:func:`index_view`): a corpus repeats a few thousand words millions of times
        self.terms: dict[str, tuple[str, ...] | None] = {}

    def _cut_block(self, sentence: str) -> list[str]:
        cached = self._cache.get(sentence)
        if cached is None:
            if len(self._cache) >= self.CACHE_BLOCKS:
                self._cache.clear()
            cached = self._cache[sentence] = self._cut_dag(sentence)
        return cached

    def _lookup(self, fragment: str) -> Any:
        """ABSENT, PREFIX, or the word's log probability ``log(count) - log(total)``. Remembered (the
        first ``CACHE_FRAGMENTS`` fragments met), because a small dictionary of the fragments a
        corpus repeats answers faster than jieba's ~600 000 entries: a quarter less time per cut
        once a few dozen notices have been cut."""
        count = self.freq.get(fragment)
        known = self.ABSENT if count is None else self.PREFIX if count == 0 else log(count) - self._logtotal
        if len(self._fragments) < self.CACHE_FRAGMENTS:
            self._fragments[fragment] = known
        return known

    def _cut_dag(self, sentence: str) -> list[str]:
        """jieba's ``get_DAG`` + ``calc`` + ``__cut_DAG_NO_HMM``, the first two in one pass from the
        end: the best route from ``k`` is the most probable word ``sentence[k:i + 1]`` plus the best
        route from ``i + 1``, the sums added in jieba's order so that the same route wins."""
        fragments, n, none = self._fragments, len(sentence), float("-inf")
        absent, prefix, lookup = self.ABSENT, self.PREFIX, self._lookup
        prob = [0.0] * (n + 1)  # log probability of the best route from k to the end
        end = list(range(n))  # where the first word of that route ends
        for k in range(n - 1, -1, -1):
            best = none
            for j in range(k + 1, n + 1):
                frag = sentence[k:j]
                known = fragments.get(frag)
                if known is None:
                    known = lookup(frag)
                if known is absent:
                    break
                if known is not prefix:  # a word (its log probability), not only a prefix
                    p = known + prob[j]
                    if p >= best:  # jieba's max((probability, end)): on a tie the longer word wins
                        best, end[k] = p, j - 1
            if best == none:  # no word starts at k: the character alone, counted once (log 1 = 0)
                best = 0.0 - self._logtotal + prob[k + 1]
            prob[k] = best
        words, x, latin = [], 0, ""
        while x < n:  # runs of single Latin letters and digits are joined into one word
            y = end[x] + 1
            word = sentence[x:y]
            if y - x == 1 and _RE_ENG.match(word):
                latin += word
            else:
                if latin:
                    words.append(latin)
                    latin = ""
                words.append(word)
            x = y
        if latin:
            words.append(latin)
        return words

    def cut(self, text: str) -> Iterator[str]:
        """The words of ``text`` in order, as ``jieba.cut(text, HMM=False)`` with this dictionary."""
        out: list[str] = []
        # split() by a pattern with one group puts the matches at odd indices: those are the blocks
        # to cut; between them, white space stays whole and anything else goes character by character
        for i, block in enumerate(_RE_HAN.split(text)):
            if i % 2:
                out += self._cut_block(block)
            elif block:
                for j, part in enumerate(_RE_SKIP.split(block)):
                    if j % 2:
                        out.append(part)
                    else:
                        out += part
        return iter(out)  # one list, not a generator: a fifth less time when the blocks are cached

    def add_word(self, word: str) -> None:
        """Keep ``word`` whole: jieba's ``add_word`` with the frequency ``suggest_freq`` picks."""
        f = 1.0
        for part in self.cut(word):
            f *= self.freq.get(part, 1) / self.total
        count = max(int(f * self.total) + 1, self.freq.get(word, 1))
        self.freq[word] = count
        self.total += count
        self._logtotal = log(self.total)
        self._cache.clear()
        self._fragments.clear()
        self.terms.clear()
        for i in range(1, len(word)):
            self.freq.setdefault(word[:i], 0)

    def restricted(self, words: Iterable[str]) -> "Segmenter":
        """The same dictionary cut down to ``words`` (and their prefixes): same cut for indexed text."""
        freq: dict[str, int] = {}
        for w in words:
            f = self.freq.get(w)
            if not f:
                continue
            freq[w] = f
            for i in range(1, len(w)):
                freq.setdefault(w[:i], 0)
        return Segmenter(freq, self.total)

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((dict(self.freq), self.total)))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "Segmenter":
        freq, total = marshal.loads(path.read_bytes())
        return cls(freq, total)


def jieba_segmenter(cache_dir: Path, user_words: Iterable[str] = ()) -> Segmenter:
    """jieba's full dictionary plus ``user_words``, each kept whole (as ``jieba.add_word``)."""
    from .dictionary import jieba_counts
    counts, total = jieba_counts(cache_dir)
    seg = Segmenter(counts, total)
    for word in user_words:
        word = fold(word.strip())
        if len(word) > 1 and WORD_CHAR.search(word):
            seg.add_word(word)
    return seg


# -- the two views ---------------------------------------------------------------------------

def words(segmenter: Segmenter, text: str) -> Iterator[tuple[str, int, int, int]]:
    """Searchable words of ``text``: (word, position, start, end), offsets into ``text``.

    Positions count every token, punctuation included, so a phrase never matches across a comma.
    """
    folded = fold(text)
    start = 0
    for pos, w in enumerate(segmenter.cut(folded)):
        end = start + len(w)
        if WORD_CHAR.search(w):
            yield w, pos, start, end
        start = end


def subwords_of(segmenter: Segmenter, tokens: Iterable[tuple[str, int, int, int]]
                ) -> Iterator[tuple[str, int, int, int]]:
    """jieba's search mode minus the words themselves (those are in the word view): the 2- and
    3-character dictionary words inside longer words (乡村工匠 → 乡村, 工匠), at the word's
    position, from words already cut (``words()`` output)."""
    freq = segmenter.freq
    for w, pos, start, _end in tokens:
        n = len(w)
        if n > 2:
            for i in range(n - 1):
                if freq.get(w[i:i + 2]):
                    yield w[i:i + 2], pos, start + i, start + i + 2
        if n > 3:
            for i in range(n - 2):
                if freq.get(w[i:i + 3]):
                    yield w[i:i + 3], pos, start + i, start + i + 3


def runs(text: str) -> list[str]:
    """The runs of word characters of ``text``, folded: 「“春暖农民工”服务」 → [春暖农民工, 服务]."""
    return [r for r in re.split(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9]+", fold(text)) if r]


# -- what the full-text index stores ---------------------------------------------------------

#: Stands for the punctuation and spaces between two words in an indexed token string, so that a
#: quoted phrase never matches across a comma (a private-use character: no query word contains it).
GAP = "\ue000"
#: Put in every entry's search-mode field: a query made only of exclusions (NOT 宣传) means
#: "every entry except", and this token is how the index names every entry.
EVERY = "\ue001"


def _terms_of(segmenter: Segmenter, w: str) -> tuple[str, ...] | None:
    """None for a token that is no searchable word, else its sub-words as :func:`subwords_of` gives
    them (the 2-character ones, then the 3-character ones)."""
    if not WORD_CHAR.search(w):
        return None
    return tuple(s for s, *_ in subwords_of(segmenter, [(w, 0, 0, len(w))]))


def index_view(segmenter: Segmenter, text: str) -> tuple[str, list[str]]:
    """What the index stores of ``text``: its words (:func:`words`) space-separated, with one
    :data:`GAP` where punctuation or a space separated two of them, and their sub-words
    (:func:`subwords_of`) — without the offsets the index does not need (ingest cuts every text of
    a corpus here)."""
    out: list[str] = []
    subs: list[str] = []
    terms, gap = segmenter.terms, False
    for w in segmenter.cut(fold(text)):
        if w in terms:
            t = terms[w]
        else:
            t = _terms_of(segmenter, w)
            if len(terms) < Segmenter.CACHE_FRAGMENTS:
                terms[w] = t
        if t is None:
            gap = True
            continue
        if gap and out:
            out.append(GAP)
        gap = False
        out.append(w)
        subs.extend(t)
    return " ".join(out), subs


def prepare_tokens(segmenter: Segmenter, title: str, text: str) -> tuple[str, str, str]:
    """``title`` and ``text`` cut once into the index's three fields: the words of the title, the
    words of the text, and the sub-words of both (search mode: 乡村工匠 → 乡村 工匠; frequencies
    only, no phrases), which starts with :data:`EVERY`."""
    head, head_subs = index_view(segmenter, title)
    body, body_subs = index_view(segmenter, text)
    return head, body, " ".join([EVERY, *head_subs, *body_subs])
