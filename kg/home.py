"""The data directory: where the store and the search index live."""
from __future__ import annotations

import os
from pathlib import Path


def default_home() -> Path:
    """``$POLICYKG_HOME``, else ``$XDG_DATA_HOME/policykg``, else ``~/.local/share/policykg``."""
    if os.environ.get("POLICYKG_HOME"):
        return Path(os.environ["POLICYKG_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "policykg"


def resolve_home(home: str | os.PathLike | None) -> Path:
    return Path(home).expanduser() if home else default_home()


def cache_folder(home: str | os.PathLike | None) -> Path:
    """Where policykg keeps what it makes once and reads back fast (jieba's dictionary files, the
    reference graphs): ``<home>/cache``; for a graph without a home, a folder in the temporary
    directory."""
    return Path(home) / "cache" if home else Path(os.environ.get("TMPDIR", "/tmp")) / "policykg-cache"
