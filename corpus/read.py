"""Bytes → text: detect the encoding of a policy text and refuse what is not one."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

#: Larger inputs are refused: the longest real notices are a few hundred kilobytes.
MAX_BYTES = 20 * 1024 * 1024


class InputError(ValueError):
    """An input that cannot be read as a policy text; ``str()`` is a one-line message."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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
            try:
                text, encoding = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                raise InputError(name, "neither UTF-8 nor GB18030 text") from None
    if not text.strip():
        raise InputError(name, "empty: no text")
    if len(_CONTROL.findall(text[:8192])) > max(8, len(text[:8192]) // 100):
        raise InputError(name, "binary data, not a text file")
    if encoding == "gb18030" and not _mostly_chinese(text):
        raise InputError(name, "not UTF-8, and reading it as GB18030 gives no Chinese text")
    return text, encoding


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(name, f"invalid {encoding} at byte {err.start}") from None


def _mostly_chinese(text: str) -> bool:
    sample = [c for c in text[:4000] if not c.isspace() and not c.isascii()]
    common = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                 or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
    return bool(sample) and common / len(sample) > 0.8


def read_text(source: str | bytes | Path) -> tuple[str, str, str]:
    """Read a policy text from a path, bytes or a str; return (text, name, encoding).

    A ``str`` that names an existing file is read as that file; any other ``str`` is the text.
    """
    if isinstance(source, bytes):
        text, encoding = decode(source)
        return text, "<bytes>", encoding
    if isinstance(source, str) and ("\n" in source or len(source) > 1024 or not Path(source).exists()):
        if not source.strip():
            raise InputError("<text>", "empty: no text")
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
    text, encoding = decode(path.read_bytes(), name)
    return text, name, encoding
