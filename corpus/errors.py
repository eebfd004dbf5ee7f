"""The root of policykg's own exceptions, and the one the reading layer raises.

Every error policykg raises on purpose — bad input, a name that matches nothing, a store that cannot be
used — is a ``PolicyKGError`` whose ``str()`` is a one-line message for the user. Anything else escaping
the library is a bug and keeps its traceback. The root lives here, in the lowest layer that raises
(``corpus`` reads files), so every layer above can extend it; ``policykg.errors`` gathers them all.
"""
from __future__ import annotations


class PolicyKGError(Exception):
    """An error policykg reports to the user: ``str()`` is one line naming the input and the problem."""


class InputError(PolicyKGError, ValueError):
    """Input that cannot be used: a file that is not a readable policy text, a malformed query or
    argument. ``name`` says which input, ``problem`` what is wrong with it."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
