"""policykg: Chinese policy notices → a knowledge graph you can query and search.

    >>> import policykg
    >>> doc = policykg.parse("notice.txt")          # extraction only, no storage
    >>> kg = policykg.open()                         # the knowledge graph on disk
    >>> kg.measures(owner="教育厅")
"""
from __future__ import annotations

from policykg.corpus import InputError

from .extract import parse
from .model import Condition, Deadline, Document, Measure, Responsibility, Target

__version__ = "0.1.0"


def open(home: str | None = None, **kwargs):  # noqa: A001 - the public name is policykg.open
    """Open (and on first use build) the knowledge graph stored under ``home``."""
    from .knowledge import KnowledgeGraph

    return KnowledgeGraph.open(home, **kwargs)


__all__ = ["Condition", "Deadline", "Document", "InputError", "Measure", "Responsibility", "Target",
           "open", "parse", "__version__"]
