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


def user_words(kg: "GraphReader", texts: Iterable[str] = ()) -> list[str]:
    """Everything the segmenter should keep whole, sorted (so the list is reproducible)."""
    words = set(policy_terms()) | organisation_names(kg) | programme_names(texts)
    return sorted(w for w in words if len(w) > 1 and re.search(r"[\u4e00-\u9fff]", w))


def write_userdict(path: Path, words: Iterable[str]) -> None:
    """Write ``words`` in jieba's user-dictionary format (one word a line) for inspection/reuse."""
    path.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
