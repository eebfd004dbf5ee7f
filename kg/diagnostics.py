"""What the parser did not read: annotation-like spans that gave no measure any party.

A user must be able to see what was not understood. An annotation-like span is bracketed text that
names a role (``（牵头单位：…）``, ``〔责任单位:…〕``) or that closes a sentence and ends in a
responsibility verb (``。（A、B负责）``), or a line that starts with a role label (``牵头单位：区发改局``). Each one that no measure's
responsibilities came from is reported with its line number.
"""
from __future__ import annotations

import re

from .model import Unread
from .responsibility import BRACKETED, bracketed_body, closes_sentence

#: Role words as annotations print them: 牵头单位, 责任部门, 配合单位, 协同责任单位, 主责单位 …
ROLE_LABEL = r"(?:牵头|责任|负责|配合|协同|参与|协办|协助|主责|承办|实施|落实|指导)(?:责任)?(?:单位|部门)"
#: Bracketed text that reads as responsibility: a role label, or a closing verb (…负责 / …牵头).
_SAYS_WHO = re.compile(rf"{ROLE_LABEL}\s*[：:]|^{ROLE_LABEL}$|(?:负责|牵头|参与|配合)(?:落实|实施)?。?$")
_LABELLED = re.compile(rf"{ROLE_LABEL}\s*[：:]|^{ROLE_LABEL}$")
_LABEL_LINE = re.compile(rf"^[ \t]*{ROLE_LABEL}\s*[：:][^\n]*$", re.M)


def annotation_like(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that look like responsibility annotations, in order."""
    spans = []
    for m in BRACKETED.finditer(text):  # the brackets the parser reads annotations in
        body = bracketed_body(m)
        if _SAYS_WHO.search(body) and (_LABELLED.search(body) or closes_sentence(text, *m.span())):
            spans.append(m.span())
    for m in _LABEL_LINE.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            spans.append(m.span())
    return sorted(spans)


def unread_annotations(text: str, read: list[tuple[int, int]], to_original, original: str) -> list[Unread]:
    """Annotation-like spans of the normalised ``text`` that overlap none of the ``read`` spans
    (those measures took parties from, or rules were read from)."""
    out = []
    for start, end in annotation_like(text):
        if any(s < end and start < e for s, e in read):
            continue
        o_start, o_end = to_original(start, end)
        out.append(Unread(original.count("\n", 0, o_start) + 1, original[o_start:o_end].strip(),
                          (o_start, o_end)))
    return out
