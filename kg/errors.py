"""Every exception policykg raises on purpose, in one hierarchy under ``PolicyKGError``.

    PolicyKGError                 a problem to report to the user in one line (``str()``)
    ├── InputError                 input that cannot be used: a file, a query, an argument (also a ValueError)
    ├── NotFound                   a name or id that matches nothing stored (also a LookupError)
    │   └── DocumentNotFound       … a document
    ├── DepartmentError            a department name that matches no organisation, or several (a LookupError)
    └── StoreError                 the store or the search index cannot be opened or written (a RuntimeError)

Callers catch ``PolicyKGError`` (the CLI maps the classes to exit statuses); any other exception is a
bug and keeps its traceback. Each class also derives from the builtin it replaced, so code catching
``LookupError`` or ``ValueError`` keeps working.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from policykg.corpus.errors import InputError, PolicyKGError

if TYPE_CHECKING:
    from policykg.ontology import Organisation


class NotFound(PolicyKGError, LookupError):
    """A name or id that matches nothing stored (a fact id, a measure, a term to trace)."""

    def __str__(self) -> str:  # KeyError-like quoting never reaches the user
        return str(self.args[0]) if self.args else ""


class DocumentNotFound(NotFound):
    """A document name (文号 or title) that matches no stored document, or several."""

    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no document matches '{name}'; stored: {'、'.join(known[:10]) or 'none'}")
        self.name, self.known = name, known


class DepartmentError(PolicyKGError, LookupError):
    """A department name that matches no organisation, or several (``candidates``)."""

    def __init__(self, name: str, candidates: "list[Organisation]"):
        self.name, self.candidates = name, candidates
        if candidates:
            listed = "、".join(_candidate(o) for o in candidates[:12])
            super().__init__(f"'{name}' is ambiguous; candidates: {listed}")
        else:
            super().__init__(f"no department matches '{name}' (try `policykg departments`)")


def _candidate(o: "Organisation") -> str:
    """How an ambiguity message names a candidate: with its English name, or, for one first met in a
    document, with where it belongs (a form the lookup accepts back: 区发改局（鞍山市立山区）)."""
    if o.en:
        return f"{o.name} ({o.en})"
    return f"{o.name}（{o.jurisdiction}）" if o.jurisdiction and not o.in_registry else o.name


class StoreError(PolicyKGError, RuntimeError):
    """The store (or the search index) cannot be opened or written; ``str()`` is a one-line message."""


__all__ = ["PolicyKGError", "InputError", "NotFound", "DocumentNotFound", "DepartmentError", "StoreError"]
