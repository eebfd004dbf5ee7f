"""Policy texts: the bundled corpus, and turning raw bytes into clean, segmented text.

``read_text`` decodes bytes (UTF-8, UTF-8 with BOM, GB18030), ``normalise`` repairs what varies
in the wild while keeping a map back to the original offsets, ``segment`` finds the header,
the numbered sections and the closing block.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .normalise import NormalisedText, normalise
from .read import InputError, read_text
from .segment import Line, Section, Segmented, segment

#: The seed notice 桂人社发〔2023〕32号, exactly as delivered.
GUANGXI_NOTICE = "gui_ren_she_fa_2023_32_county_migrant_worker_urbanisation.txt"


def bundled_paths() -> list[Path]:
    """Paths of the policy texts shipped with policykg."""
    root = resources.files(__package__)
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


__all__ = ["GUANGXI_NOTICE", "InputError", "Line", "NormalisedText", "Section", "Segmented",
           "bundled_paths", "normalise", "read_text", "segment"]
