"""The search segmenter's user dictionary, built at run time.

Words that must stay whole when texts are cut into words: the organisation names and short forms
in the graph (registry and organisations found in documents), the policy terms in ``terms.txt``,
and programme names the corpus itself quotes (“春暖农民工”-style names of 3–12 characters).
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .reader import GraphReader

#: A programme or campaign name as notices print it: Chinese characters (and ·) between quotes.
PROGRAMME_NAME = re.compile(r"[“「\"]([\u4e00-\u9fff·]{3,12})[”」\"]")


def policy_terms() -> list[str]:
    """The policy terms of ``terms.txt`` (随迁子女, 乡村工匠, 保障性租赁住房, …)."""
    text = resources.files(__package__).joinpath("terms.txt").read_text("utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def programme_names(texts: Iterable[str]) -> set[str]:
    """Quoted programme names in ``texts``: “技能广西行动” → 技能广西行动 (· is dropped)."""
    return {m.group(1).replace("·", "") for t in texts for m in PROGRAMME_NAME.finditer(t)}


def organisation_names(kg: "GraphReader") -> set[str]:
    """Full names and short forms of every organisation in the graph."""
    names: set[str] = set()
    for org, _ in kg.organisations():
        names.add(org.name)
        names.update(org.short)
    return names


#: In a graph's N-Triples: an organisation typed, and a name or short form given (the escapes of a
#: literal are undone by _unescape).
_TYPED = re.compile(r"^<([^>]*)> <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> "
                    r"<(?:http://www\.w3\.org/ns/org#Organization|https://w3id\.org/policykg/ontology#Collective)> \.$", re.M)
_LABEL = re.compile(r'^<([^>]*)> <http://www\.w3\.org/2004/02/skos/core#(prefLabel|altLabel)> '
                    r'"((?:[^"\\]|\\.)*)"(@[A-Za-z0-9-]+)?', re.M)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        return chr(int(e[1:], 16)) if len(e) > 1 else _ESCAPED.get(e, e)
    return _ESCAPE.sub(one, text) if "\\" in text else text


def graph_organisation_names(ntriples: str) -> set[str]:
    """:func:`organisation_names` of one graph not yet stored (its N-Triples): the Chinese names
    and short forms of the organisations it types (a document's graph types those it meets first;
    the registry's are in the registry graph). Ingest unites them with the user words the index
    already has instead of asking the whole store again."""
    typed: set[str] = set()
    labels: list[tuple[str, str, str, str]] = []
    for line in ntriples.splitlines():  # lines first: a document's text is one long line
        if "#type> " in line:
            typed.update(_TYPED.findall(line))
        elif "skos/core#" in line:
            labels.extend(_LABEL.findall(line))
    names: dict[str, set[str]] = {}
    shorts: dict[str, set[str]] = {}
    for org, kind, text, lang in labels:
        if org not in typed:
            continue
        if kind == "altLabel":
            shorts.setdefault(org, set()).add(_unescape(text))
        elif lang == "@zh":
            names.setdefault(org, set()).add(_unescape(text))
    # as organisation_names: an organisation without a Chinese name gives no short forms either
    return {w for org, zh in names.items() for w in zh | shorts.get(org, set())}


def usable_words(words: Iterable[str]) -> list[str]:
    """``words`` a segmenter can keep whole (two characters or more, some Chinese), sorted."""
    return sorted({w for w in words if len(w) > 1 and re.search(r"[\u4e00-\u9fff]", w)})


def user_words(kg: "GraphReader", texts: Iterable[str] = ()) -> list[str]:
    """Everything the segmenter should keep whole, sorted (so the list is reproducible)."""
    return usable_words(set(policy_terms()) | organisation_names(kg) | programme_names(texts))


def write_userdict(path: Path, words: Iterable[str]) -> None:
    """Write ``words`` in jieba's user-dictionary format (one word a line) for inspection/reuse."""
    path.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
