"""Section numbering as printed in Chinese official documents: 一、 / （一） / 1. / （1） / ① / 第一条."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = "〇零一二三四五六七八九十百"
_CN = f"[{_CN_DIGITS}]+"

#: (kind, pattern) — the kind names the style; the hierarchy is the order styles first appear in.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第{_CN}[章编]\s*")),
    ("article", re.compile(rf"^第{_CN}条\s*")),
    ("cn", re.compile(rf"^{_CN}[、．.]\s*")),
    ("paren-cn", re.compile(rf"^[（(]{_CN}[）)]\s*")),
    ("arabic", re.compile(r"^\d{1,3}(?:[、．]|\.(?!\d))\s*")),
    ("paren-arabic", re.compile(r"^[（(]\d{1,3}[）)]\s*")),
    ("circled", re.compile(r"^[\u2460-\u2473]\s*")),
]


@dataclass(frozen=True)
class Marker:
    kind: str
    text: str  # as printed, without trailing spaces: "（四）"
    value: int
    length: int  # characters the marker takes, spaces included


_CN_VALUES = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "〇": 0}


def cn_number(text: str) -> int:
    """``二十三`` → 23, ``十`` → 10, ``一百零五`` → 105; digits pass through."""
    if text.isdigit():
        return int(text)
    values = _CN_VALUES
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = values.get(ch, 0)
    return total + current


_NOT_DIGIT = re.compile(r"[^\d〇零一二三四五六七八九十百]")
#: The characters each style's markers start with ("": a decimal digit, as ``\d``).
_FIRST = {"chapter": "第", "article": "第", "cn": _CN_DIGITS, "paren-cn": "（(", "arabic": "",
          "paren-arabic": "（(", "circled": "".join(map(chr, range(0x2460, 0x2474)))}
#: The styles a line may be numbered in, by its first character, in MARKERS order: a line is tried
#: only against those (most lines start with none of these characters and are tried against none).
_BY_FIRST = {c: [(kind, p) for kind, p in MARKERS if c in _FIRST[kind]] for c in "".join(_FIRST.values())}
_BY_DIGIT = [(kind, p) for kind, p in MARKERS if not _FIRST[kind]]

#: ``11.121人才梯队项目``: an item whose title starts with digits, told from a decimal (``2.5亿元``)
#: only by the numbering around it.
_DIGIT_LED = re.compile(r"^(\d{1,3})\.(?=\d)")


def match_marker(line: str, expected: tuple[int, ...] = ()) -> Marker | None:
    """The numbering marker a line starts with, if any. ``expected`` are the numbers a run of ``1.``
    items may continue with: only they let ``11.121…`` be item 11."""
    styles = (_BY_FIRST.get(line[0]) or (_BY_DIGIT if line[0].isdecimal() else None)) if line else None
    if styles is None:
        return None
    m = _DIGIT_LED.match(line) if expected else None
    if m and int(m.group(1)) in expected:
        return Marker("arabic", m.group(0), int(m.group(1)), m.end())
    for kind, pattern in styles:
        m = pattern.match(line)
        if m:
            printed = m.group(0).strip()
            digits = _NOT_DIGIT.sub("", printed)
            if kind in ("chapter", "article"):
                digits = printed[1:-1]
            if kind == "circled":
                value = ord(printed) - 0x2460 + 1
            else:
                value = cn_number(digits)
            return Marker(kind, printed, value, m.end())
    return None
