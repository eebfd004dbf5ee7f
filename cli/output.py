"""Output formatting shared by every listing command: table (aligned for Chinese), json, csv."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import is_dataclass
from typing import Any, Callable, Sequence

import click

FORMATS = ("table", "json", "csv")

#: Cells of a table are cut to this display width (with …) unless ``--wide`` is given.
CELL_WIDTH = 90


def _remember_wide(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta["policykg.wide"] = value


#: ``--wide``: tables show long cells (a measure's ten departments) whole instead of cutting them.
wide_option = click.option("--wide", is_flag=True, expose_value=False, callback=_remember_wide,
                           help="Tables: show long cells whole instead of cutting them with ….")


def format_option(f: Callable) -> Callable:
    """The one shared output option (sqlite-utils style), with ``--wide`` for tables."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(wide_option(f))


def wide() -> bool:
    """Whether the running command was given ``--wide``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("policykg.wide"))


class _CharWidths(dict):
    """Character → cells, looked up once per character (a listing of 10 000 documents measures
    hundreds of thousands of characters)."""

    def __missing__(self, c: str) -> int:
        self[c] = w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        return w


_WIDTHS = _CharWidths()


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two cells."""
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        w = _WIDTHS[c]
        if used + w > limit - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str], max_width: int = CELL_WIDTH) -> str:
    """Rows aligned under their headers (CJK characters count two cells); long cells cut at
    ``max_width`` with …, unless the command was given ``--wide``."""
    whole = wide()
    cells = [[_cell(v) if whole else _clip(_cell(v), max_width) for v in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    def line(values):
        return "  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(values)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def emit(records: Sequence[Any], fmt: str, columns: dict[str, Callable[[Any], Any]],
         empty: str = "nothing found") -> None:
    """Print records as a table (``columns``: header → getter), as JSON (full records) or CSV."""
    if fmt == "json":
        data = [r.to_dict() if hasattr(r, "to_dict") else r for r in records]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = [[get(r) for get in columns.values()] for r in records]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        click.echo(buf.getvalue(), nl=False)
        return
    if not records:
        click.echo(empty)
        return
    click.echo(table(rows, list(columns)))


def to_jsonable(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if is_dataclass(obj) and not isinstance(obj, type):
        from dataclasses import asdict
        return asdict(obj)
    return obj


def report_unread(source: str, unread: Sequence[tuple[int, str]]) -> None:
    """Tell the user, on stderr, which annotation-like spans of ``source`` gave no party."""
    if not unread:
        return
    noun = "annotation" if len(unread) == 1 else "annotations"
    click.echo(f"policykg: {source}: {len(unread)} {noun} not understood:", err=True)
    for line, text in unread:
        click.echo(f"  line {line}: {text}", err=True)
