"""Topic links: document-level facts → the measures they belong to, by shared key terms.

A notice often states its targets once, in 主要目标 (建设保障性租赁住房6万套以上; 新建公办幼儿园50所、
义务教育学校30所、普通高中5所; 随迁子女就读义务教育公办学校比例达到87%以上), far from the measure that
delivers them (（四）… 保障性住房 … 义务教育学位 … 随迁子女 …). We link such a fact to the measures of the
same document whose text shares its *informative* key terms:

* key terms are the maximal common substrings (≥ 2 CJK characters) of the fact's text and the measure's
  text, found greedily left to right — character n-grams without a dictionary, so new policy words
  (保障性租赁住房, 乡村工匠) need no word list;
* a term counts for as much as it is rare among the document's measures (inverse document frequency);
  a term found in more than half the measures (农民工, 就业) or in ``GENERIC_TERMS`` counts for nothing;
* items of one enumeration (``A50所、B30所、C5所``) share their clause as context at half weight, so
  普通高中5所 goes where its neighbours 公办幼儿园 and 义务教育学校 go;
* longer shared terms weigh more (a term of n characters covers n − 1 bigrams);
* a link needs two informative terms (≥ 4 characters together), one term of ≥ 5 characters, or one quoted
  programme name (“八桂系列”), and the measure must score at least ``RELATIVE_CUTOFF`` of the best one;
  a fact fitting more than ``MAX_LINKS`` measures is about the whole document (体育竞赛表演产业总规模 in a
  notice on that industry) and gets no link.

The links are stored as ``pkg:relatedMeasure`` at build time (see ``graph.document_graph``) and followed by
``KnowledgeGraph.targets(owner=...)`` and ``trace``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .model import Document

#: Words of the genre that say nothing about a topic (verbs of action, quantity words, scope words).
GENERIC_TERMS = frozenset("""
开展 建设 推进 推动 加强 加大 落实 提升 提高 实施 促进 完善 健全 深化 持续 进一步 相关 各类 有关 全面 深入
工作 行动 服务 政策 机制 体系 一批 达到 以上 不少于 新建 举办 支持 保障 重点 县域 比例 我区 全区 自治区 相关政策
""".split())

#: A measure must score at least this share of the best-scoring measure to be linked too.
RELATIVE_CUTOFF = 0.75
#: A link needs two informative terms of this many characters together, or one term this long.
MIN_CHARS, LONG_TERM = 4, 5
#: A fact that fits more measures than this is about the document's theme, not one measure: no link.
MAX_LINKS = 3
#: Weight of the enumeration clause around a fact, relative to the fact's own text.
CONTEXT_WEIGHT = 0.5

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_RESPONSIBILITY_NOTE = re.compile(r"[（(](?:责任单位|牵头单位|配合单位)[:：].*?[）)]")
_CLAUSE_END = "，,；;。！？\n"


def measure_body(text: str) -> str:
    """A measure's text without its responsibility annotation (department names are no topic)."""
    return _RESPONSIBILITY_NOTE.sub("", text)


def common_terms(text: str, other: str, min_len: int = 2) -> list[str]:
    """Maximal substrings (≥ ``min_len`` CJK characters) of ``text`` also found in ``other``, left to right.

    >>> common_terms("建设保障性租赁住房", "加大保障性住房建设力度……合法稳定住所（含租赁）")
    ['建设', '保障性', '租赁', '住房']
    """
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        i = 0
        while i < len(run):
            j = i + min_len
            if j > len(run) or run[i:j] not in other:
                i += 1
                continue
            while j < len(run) and run[i:j + 1] in other:
                j += 1
            out.append(run[i:j])
            i = j
    return out


def quoted_names(text: str) -> set[str]:
    """Names in quotation marks — programmes and campaigns (“八桂系列”, “春暖农民工”)."""
    return {m.group(1).strip() for m in _QUOTED.finditer(text)}


def enumeration_clause(text: str, start: int, end: int) -> str:
    """The clause around ``text[start:end]``, bounded by ，；。 (so an 、-enumeration stays together)."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [text.find(c, end) for c in _CLAUSE_END]
    right = min([r for r in rights if r >= 0] or [len(text)])
    return text[left:right]


@dataclass(frozen=True)
class TermIndex:
    """Informative weights of terms among a set of measure texts (inverse document frequency)."""

    texts: tuple[str, ...]

    def weight(self, term: str) -> float:
        if term in GENERIC_TERMS or len(term) < 2:
            return 0.0
        n = len(self.texts)
        df = sum(term in t for t in self.texts)
        if df == 0 or (n >= 3 and df > n / 2):
            return 0.0
        return math.log((n + 1) / df)


@dataclass(frozen=True)
class TopicMatch:
    measure: int  # index into the measures given
    score: float
    terms: tuple[str, ...]  # informative shared terms, most informative first


def score(text: str, measure_text: str, index: TermIndex, context: str = "") -> TopicMatch | None:
    """How strongly ``text`` (with its ``context``) is about ``measure_text``; None when not at all."""
    weights: dict[str, float] = {}
    for source, factor in ((text, 1.0), (context, CONTEXT_WEIGHT)):
        for term in common_terms(source, measure_text) if source else ():
            w = index.weight(term) * (len(term) - 1) * factor  # a longer shared term says more
            if w > weights.get(term, 0.0):
                weights[term] = w
    # a shorter term inside a longer shared one adds nothing new
    terms = [t for t in weights if weights[t] > 0 and not any(t != u and t in u for u in weights if weights[u] > 0)]
    if not terms:
        return None
    terms.sort(key=lambda t: -weights[t])
    return TopicMatch(-1, sum(weights[t] for t in terms), tuple(terms))


def related_measures(text: str, measure_texts: list[str], context: str = "") -> list[TopicMatch]:
    """The measures (indices into ``measure_texts``) a fact's ``text`` is about, best first."""
    bodies = [measure_body(t) for t in measure_texts]
    index = TermIndex(tuple(bodies))
    programmes = quoted_names(text)
    matches = []
    for i, body in enumerate(bodies):
        m = score(text, body, index, context)
        if m is None:
            continue
        strong = (len(m.terms) >= 2 and sum(map(len, m.terms)) >= MIN_CHARS) \
            or any(len(t) >= LONG_TERM for t in m.terms) or any(p in body for p in programmes)
        if strong:
            matches.append(TopicMatch(i, m.score, m.terms))
    if not matches:
        return []
    best = max(m.score for m in matches)
    kept = sorted((m for m in matches if m.score >= RELATIVE_CUTOFF * best), key=lambda m: -m.score)
    return kept if len(kept) <= MAX_LINKS else []


def topic_links(doc: "Document", kinds: tuple[str, ...] = ("target", "condition")
                ) -> Iterable[tuple[str, str, str, tuple[str, ...]]]:
    """(fact kind, fact id, measure id, shared terms) for the document's facts that belong to no measure.

    Targets and conditions stated outside every measure are linked; deadlines of the closing
    工作要求 concern the whole notice and are left alone.
    """
    measures = [m for m in doc.measures if m.text]
    if not measures:
        return
    texts = [m.title + "。" + m.text for m in measures]
    norm = doc.text
    facts = [("target", t) for t in doc.targets if not t.measure and "target" in kinds] + \
            [("condition", c) for c in doc.conditions if not c.measure and "condition" in kinds]
    for kind, fact in facts:
        start, end = fact.span
        context = enumeration_clause(norm, start, end) if 0 <= start < end <= len(norm) else ""
        if "、" not in context:
            context = ""  # only the items of one enumeration lend each other their words
        own = getattr(fact, "text", "")
        for match in related_measures(own, texts, context):
            yield kind, fact.id, measures[match.measure].id, match.terms


def shared_terms(a: str, b: str, others: list[str], limit: int = 5) -> list[str]:
    """The most informative terms two measure texts share, weighed among ``others`` (all measures)."""
    index = TermIndex(tuple(measure_body(t) for t in others))
    m = score(measure_body(a), measure_body(b), index)
    return list(m.terms[:limit]) if m else []
