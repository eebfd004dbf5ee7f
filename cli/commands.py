"""Imports the modules that add commands to ``main`` (one line per feature module)."""
from . import graph  # noqa: E402,F401  policykg graph
