"""Imports the modules that add commands to ``main`` (one line per feature module)."""
