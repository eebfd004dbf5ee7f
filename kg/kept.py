"""What is derived from the store and kept in the home between processes (the organisation list).

Each value is a JSON file under ``home/derived``, stamped with the store's ``version`` at the time it
was read. The store gives every write a new version (and none while a write is under way), so a kept
value whose stamp is not the store's current version is never used: nothing here looks at file
times, which RocksDB changes on every open. ``forget`` also drops the files when the graph says it
changed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FOLDER = "derived"


def _file(home: Path, name: str) -> Path:
    return Path(home) / FOLDER / f"{name}.json"


def recall(home: Path | None, name: str, version: str | None) -> Any | None:
    """The value kept as ``name`` for the store at ``version``; ``None`` when there is none for it."""
    if home is None or version is None:
        return None
    try:
        with open(_file(home, name), encoding="utf-8") as fh:
            kept = json.load(fh)
    except (OSError, ValueError):
        return None
    return kept.get("value") if isinstance(kept, dict) and kept.get("version") == version else None


def keep(home: Path | None, name: str, version: str | None, value: Any) -> None:
    """Keep ``value`` (JSON-able) as ``name``, read from the store at ``version``. Best effort: a
    home that cannot be written to just keeps nothing."""
    if home is None or version is None:
        return
    path = _file(home, name)
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as fh:
            json.dump({"version": version, "value": value}, fh, ensure_ascii=False)
        os.replace(temporary, path)  # readers see the old file or the new one, never half of one
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def forget(home: Path | None) -> None:
    """Drop every kept value of ``home``."""
    if home is None:
        return
    folder = Path(home) / FOLDER
    for path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            path.unlink(missing_ok=True)
        except OSError:  # stale files are not used anyway: their version is not the store's
            pass
