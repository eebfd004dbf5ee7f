"""Bytes → text: detect the encoding of a policy text and refuse what is not one.

Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5 is decoded; a legacy
encoding is accepted only when the decoded text reads as Chinese (its characters are the common
ones), so a wrong guess is refused rather than passed on. HTML pages, DOCX and PDF go through
``formats`` first.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import InputError

#: Larger inputs are refused: the longest real notices are a few hundred kilobytes.
MAX_BYTES = 20 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The 400 most frequent characters of State Council documents (simplified); real Chinese text
#: draws most of its characters from them, a mis-decoded one almost none.
COMMON_CHARS = frozenset(
    "的国和务业部政人法关行作工理要院发有中地定制一机实区建公规门进用体合会管保化应办资全对设市各方等以展大新年在"
    "加民家职动府为省专产及责育医开重构经项强级提监分生教主利事成度出推企执核十同性自不三时改指标本税点学于高信技员"
    "立通所审导支得文力现能查持二总组施内位报委范意担社安科入平金与效按上个代确单息面件任负量粮震研第据基权水情创统"
    "相急其日条准局调服目可源试革术融治下场议月网照质或计程由求式防结并四转费况食共收题系向问策完数过是案依品长期号"
    "落决好备者联考领织校取党次明供后纳集见处外证运步划格药前当将际财批价整善表了验特需造协做督根请采台交原城北小境"
    "配直果究到五评疗记形具央算赛健口来布续除使营律优坚培接检认预九扣综厅障态围购深挥积车知副促款放商站型励测贸示严"
    "险活济措师众西告增受减投海则书解极义予间引团电他农灾银住域序补线六适环额房清参置多广东例升起真比识属录益辖承类"
    "群绩手模互限司护署你节精更名训村")
_CONTROL_BYTES = [b for b in range(32) if b not in (9, 10, 12, 13)] + [127]
#: Share of common characters below which a legacy decoding is taken for a wrong guess.
MIN_COMMON_SHARE = 0.3


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name). Raise InputError for binary or unknown encodings."""
    if len(data) > MAX_BYTES:
        raise InputError(name, f"too large ({len(data) / 1048576:.0f} MB; the limit is "
                               f"{MAX_BYTES // 1048576} MB)")
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8", name), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16", name), "utf-16"
    elif b"\x00" in data[:4096]:
        raise InputError(name, "binary data, not a text file")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            head = data[:8192]
            if sum(head.count(bytes([b])) for b in _CONTROL_BYTES) > max(8, len(head) // 100):
                raise InputError(name, "binary data, not a text file") from None
            text, encoding = _legacy(data, name)
    if not text.strip():
        raise InputError(name, "empty: no text")
    if len(_CONTROL.findall(text[:8192])) > max(8, len(text[:8192]) // 100):
        raise InputError(name, "binary data, not a text file")
    return text, encoding


def _legacy(data: bytes, name: str) -> tuple[str, str]:
    """GB18030 (a superset of GBK and GB2312) or Big5, whichever reads as Chinese; else refuse."""
    from .normalise import fold_chars

    best: tuple[float, str, str] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = common_share(fold_chars("".join(_CJK.findall(text)[:3000])))  # past an HTML head, too
        if best is None or share > best[0]:
            best = (share, text, encoding)
    if best is None:
        raise InputError(name, "unknown encoding: neither UTF-8, GB18030 nor Big5 text")
    if best[0] < MIN_COMMON_SHARE:
        raise InputError(name, f"unknown encoding: not UTF-8, and as {best[2].upper()} it is not Chinese text")
    return best[1], best[2]


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def common_share(text: str) -> float:
    """Share of the Chinese characters of ``text`` that are common ones (0 when there are none)."""
    cjk = _CJK.findall(text)
    return sum(1 for c in cjk if c in COMMON_CHARS) / len(cjk) if cjk else 0.0


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(name, f"invalid {encoding} at byte {err.start}") from None


#: A one-line string that is a path rather than a text: it starts like one (/, ./, ../, ~/, C:\) or
#: ends in the extension of a file policykg reads (or refuses by name).
_PATH_LIKE = re.compile(r"^(?:~|\.{1,2})?[/\\]|^[A-Za-z]:[/\\]|\.(?:txt|text|html?|shtml|xhtml|docx?|pdf|zip|md)$",
                        re.IGNORECASE)


def looks_like_path(text: str) -> bool:
    """Whether a one-line ``text`` names a file (``/no/such/file.txt``, ``通知.docx``), not a notice's text."""
    return "\n" not in text and not any(c.isspace() for c in text.strip()) and bool(_PATH_LIKE.search(text.strip()))


def read_text(source: str | bytes | Path) -> tuple[str, str, str]:
    """Read a policy text from a path, bytes or a str; return (text, name, format/encoding).

    A ``str`` that names an existing file is read as that file, one that looks like a path
    (``/no/such/file.txt``, ``notice.docx``) is an error when there is no such file; any other ``str``
    is the text. HTML (a saved web page), DOCX and PDF are turned into plain text first.
    """
    from . import formats

    if isinstance(source, bytes):
        return _with_name(_from_bytes(source, "<bytes>"), "<bytes>")
    if isinstance(source, str) and ("\n" in source or len(source) > 1024
                                    or not (Path(source).exists() or looks_like_path(source))):
        if not source.strip():
            raise InputError("<text>", "empty: no text")
        if formats.looks_like_html(source):
            return formats.html_text(source, "<text>"), "<text>", "html"
        return source, "<text>", "str"
    path = Path(source)
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "is a folder, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(name, f"too large ({size / 1048576:.0f} MB; the limit is {MAX_BYTES // 1048576} MB)")
    if size == 0:
        raise InputError(name, "empty: no text")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(name, f"cannot be read ({err.strerror or err})") from None
    return _with_name(_from_bytes(data, name), name)


def _with_name(result: tuple[str, str], name: str) -> tuple[str, str, str]:
    return result[0], name, result[1]


def _from_bytes(data: bytes, name: str) -> tuple[str, str]:
    from . import formats

    if len(data) > MAX_BYTES:
        raise InputError(name, f"too large ({len(data) / 1048576:.0f} MB; the limit is "
                               f"{MAX_BYTES // 1048576} MB)")
    converted = formats.convert(data, name)
    if converted is not None:
        return converted
    text, encoding = decode(data, name)
    if name.lower().endswith((".html", ".htm", ".shtml", ".xhtml")) or formats.looks_like_html(text):
        return formats.html_text(text, name), f"html/{encoding}"
    return text, encoding
