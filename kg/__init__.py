"""policykg: Chinese policy notices → a knowledge graph you can query and search.

    >>> import policykg
    >>> doc = policykg.parse("notice.txt")          # extraction only, no storage
    >>> kg = policykg.open()                         # the knowledge graph on disk
    >>> kg.measures(owner="教育厅")
"""
from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import DepartmentError, DocumentNotFound, InputError, NotFound, PolicyKGError, StoreError

    from .extract import parse
    from .model import Condition, Deadline, Document, Measure, Responsibility, Target

# Imported on first use, so that `policykg --help` and light commands start fast.
_LAZY = {"parse": ".extract", "Condition": ".model",
         "Deadline": ".model", "Document": ".model", "Measure": ".model", "Responsibility": ".model",
         "Target": ".model", "KnowledgeGraph": ".knowledge",
         **dict.fromkeys(["PolicyKGError", "InputError", "NotFound", "DocumentNotFound", "DepartmentError",
                          "StoreError"], ".errors")}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        module = importlib.import_module(_LAZY[name], __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'policykg' has no attribute {name!r}")


def open(home: str | None = None, **kwargs):  # noqa: A001 - the public name is policykg.open
    """Open (and on first use build) the knowledge graph stored under ``home``."""
    from .knowledge import KnowledgeGraph

    return KnowledgeGraph.open(home, **kwargs)


__all__ = ["KnowledgeGraph", "Condition", "Deadline", "Document", "Measure", "Responsibility", "Target",
           "PolicyKGError", "InputError", "NotFound", "DocumentNotFound", "DepartmentError", "StoreError",
           "open", "parse", "__version__"]
