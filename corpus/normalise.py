"""Repair what varies between copies of the same notice, keeping a map to the original offsets.

Folded: full-width letters and digits (Ａ１ → A1); half-width punctuation in Chinese text
(``(责任单位:`` → ``（责任单位：``); traditional characters (via ``traditional.tsv``); spaces inside
Chinese words and letter-spaced names (``国 务 院`` → ``国务院``); indentation; and page breaks that
split a sentence over two paragraphs (``…做好农民工`` / ``市民化工作…``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .numbering import match_marker
from .segment import _SALUTATION, _TITLE_END, CHROME

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "。，、；：？！“”‘’（）《》〔〕【】…—"
# Where a pattern below could open with a lookbehind, it opens with the character it matches first and
# looks behind that one (``(?<=X.)``): a pattern that starts with a character or a class of them is
# scanned for it at C speed, skipping every other character (same matches, a tenth of the time).
_SPACES_INSIDE = re.compile(rf"[ \u3000\xa0](?<=[{_CJK}{_CJK_PUNCT}].)[ \u3000\xa0]*(?=[{_CJK}{_CJK_PUNCT}])")  # tabs part table cells
#: Indentation and trailing blanks; a leading tab is kept where the line has more (an empty first cell).
#: Three alternatives after the blank they all start with: at a line's start, blanks other than a tab;
#: blanks up to the line's end; at a line's start, blanks where no tab follows in the line.
_EDGE_SPACES = re.compile(r"[ \t\u3000\xa0](?:(?<=^[ \u3000\xa0])[ \u3000\xa0]*|[ \t\u3000\xa0]*$"
                          r"|(?<=^.)[ \t\u3000\xa0]*(?=[^\t\n]*$))", re.M)
#: Pinyin glosses that mirror sites insert after characters: 自治区(qū)农(nóng)牧厅 → 自治区农牧厅.
_PINYIN_GLOSS = re.compile(rf"（(?<=[{_CJK}]（)[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{{1,6}}）")
#: Half-width punctuation after a Chinese character or before one.
_HALF_PUNCT = re.compile(rf"[:,;?!](?:(?<=[{_CJK}）].)|(?=[{_CJK}（]))")
_HALF_TO_FULL = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}

#: A line that ends in one of these ends its sentence; otherwise a following line may continue it.
SENTENCE_END = "。！？；：）」』…"
#: Lines shorter than this are titles, headings or names, never half a broken paragraph.
MIN_BROKEN_LINE = 20
#: A header line that ends with its 文号 or 文件 never runs on into the next line.
_ENDS_HEADER_LINE = re.compile(r"(?:[〔\[［(（【]\d{4}[〕\]］)）】]第?\d+号|文件)\s*$")
_NOT_CONTINUATION = re.compile(r"^(?:[^\n]{0,12}[〔\[［(（【]\d{4}[〕\]］)）】]\d+号|\d{4}年\d{1,2}月\d{1,2}日\s*$|[（(]此件|抄送|附件"
                               r"|[\u4e00-\u9fff ]{2,10}[：:]|序\s*号)")
#: A labelled line (牵头单位：…, 责任单位：…, 完成时限：…) is a field of its own, never half a sentence.
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff ]{2,10}[：:]")


@dataclass
class NormalisedText:
    """Normalised text plus, for every character, its offset in the original."""

    text: str
    original: str
    offsets: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        if start >= len(self.offsets):
            return len(self.original), len(self.original)
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return o_start, o_end


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        half = chr(code - 0xFEE0)
        if half.isalnum() or half in "%.+-=/<>~":
            table[code] = half
    table[ord("(")] = "（"
    table[0xFE52] = "."  # 1﹒ (small full stop) in item numbers
    table[0xFE5D] = "〔"  # ﹝2023﹞, a common variant in 文号
    table[0xFE5E] = "〕"
    table[ord(")")] = "）"
    table[0x3000] = " "
    table[ord("\r")] = "\n"
    path = resources.files(__package__).joinpath("traditional.tsv")
    if path.is_file():
        for line in path.read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                trad, simp = line.split("\t")[:2]
                if len(trad) == 1 and len(simp) == 1:
                    table[ord(trad)] = simp
    return table


@lru_cache(maxsize=1)
def _folding() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """The table by character, a pattern finding its characters, and one finding only those below
    U+10000 (a class holding characters above it is scanned item by item, ten times slower)."""
    table = {chr(code): folded for code, folded in _translation().items()}
    low = "".join(re.escape(c) for c in sorted(table) if ord(c) < 0x10000)
    high = "".join(re.escape(c) for c in sorted(table) if ord(c) >= 0x10000)
    return table, re.compile(f"[{low}]|[{high}]" if high else f"[{low}]"), re.compile(f"[{low}]")


_ABOVE_BMP = re.compile("[\U00010000-\U0010ffff]")
#: Characters folded so far in this process (see fold_chars).
_folded = 0


def fold_chars(text: str) -> str:
    """One-to-one character folding (width, brackets, traditional → simplified)."""
    # str.translate looks every character up in the table (about 50 ns each); scanning for the few
    # characters that fold is ten times faster, but its pattern (3 000 characters) takes ~10 ms to
    # compile: a process compiles it once it has folded as many characters as that time translates
    global _folded
    _folded += len(text)
    if _folded < 200_000:
        text = text.translate(_translation())
    else:
        table, every, below_bmp = _folding()
        text = (every if _ABOVE_BMP.search(text) else below_bmp).sub(lambda m: table[m.group(0)], text)
    return _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)


def _delete(text: str, offsets: list[int], spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    if not spans:
        return text, offsets
    parts, kept, pos = [], [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        parts.append(text[pos:start])
        kept.extend(offsets[pos:start])
        pos = max(pos, end)
    parts.append(text[pos:])
    kept.extend(offsets[pos:])
    return "".join(parts), kept


_BREAK = re.compile(r"\n+")


def _page_breaks(text: str) -> list[tuple[int, int]]:
    """Spans of line breaks that split one sentence (to be deleted)."""
    spans = []
    line_start = 0  # the line before each break starts where the previous break ended
    for m in _BREAK.finditer(text):
        before_start, line_start = line_start, m.end()
        if m.start() - before_start < MIN_BROKEN_LINE or text[m.start() - 1] in SENTENCE_END:
            continue  # most lines: a short one, or a sentence's end (tested before slicing out the lines)
        before = text[before_start:m.start()]
        after_end = text.find("\n", m.end())
        after = text[m.end(): after_end if after_end >= 0 else len(text)]
        if (after
                and not (match_marker(before) and "。" not in before)
                and not match_marker(after) and not _NOT_CONTINUATION.match(after)
                and not CHROME.match(before) and not CHROME.match(after)
                and "\t" not in before and "\t" not in after and not _ENDS_HEADER_LINE.search(before)
                and not _LABEL_LINE.match(before) and not before.endswith("|") and not after.endswith("|")
                and not (_TITLE_END.search(before) and _SALUTATION.match(after))):  # a title, then 主送
            spans.append((m.start(), m.end()))
    return spans


#: The header of a task-division table printed with spaces between cells:
#: ``序号 工 作 任 务 牵头负责部门`` (a letter-spaced cell among them).
_SPACE_TABLE_HEADER = re.compile(r"^序\s*号 +\S.*(?:单位|部门)\s*$")
#: Its rows: ``1 居民消费价格涨幅3%左右 发展改革委``.
_SPACE_TABLE_ROW = re.compile(r"^\d{1,3} +\S")


def space_table_cells(text: str) -> str:
    """Mark the cells of a table copied with spaces between them as tab-separated, before spaces between
    Chinese characters are dropped as stray: the header and the numbered rows under it. Letter-spaced
    words inside a cell (``工 作 任 务``) keep their spaces."""
    if "序" not in text:
        return text
    lines = text.split("\n")
    in_table = False
    for i, line in enumerate(lines):
        if _SPACE_TABLE_HEADER.match(line):
            in_table = True
        elif not (in_table and _SPACE_TABLE_ROW.match(line)):
            in_table = False
            continue
        lines[i] = _cells(line)
    return "\n".join(lines)


def _cells(line: str) -> str:
    """Spaces between cells become tabs; a space between two single characters stays (letter spacing)."""
    tokens = re.split(r"( +)", line)
    out = []
    for j, token in enumerate(tokens):
        if j % 2 and 0 < j < len(tokens) - 1:
            letter_spaced = len(tokens[j - 1]) == 1 and len(tokens[j + 1]) == 1
            out.append(token if letter_spaced else "\t" + token[1:])
        else:
            out.append(token)
    return "".join(out)


def normalise(original: str) -> NormalisedText:
    """Normalise ``original`` for extraction; every output character maps back to an offset."""
    text = fold_chars(original)
    offsets = list(range(len(text)))
    if "\r" in original:  # \r\n became \n\n: drop the extra one
        text, offsets = _delete(text, offsets, [(m.start(), m.start() + 1)
                                                for m in re.finditer("\r\n", original)])
    text, offsets = _delete(text, offsets, [m.span() for m in _PINYIN_GLOSS.finditer(text)])
    text = space_table_cells(text)  # one character for one: offsets unchanged
    text, offsets = _delete(text, offsets, [m.span() for m in _SPACES_INSIDE.finditer(text)])
    text, offsets = _delete(text, offsets, [m.span() for m in _EDGE_SPACES.finditer(text)])
    text, offsets = _delete(text, offsets, _page_breaks(text))
    return NormalisedText(text, original, offsets)
