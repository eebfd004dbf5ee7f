"""``policykg search``: Chinese full-text search (argument parsing and formatting only)."""
from __future__ import annotations

import sys

import click

from . import Context, main, pass_ctx
from .output import emit, format_option, table

KIND_ZH = {"measure": "措施", "target": "目标", "deadline": "时限", "condition": "条件", "paragraph": "段落"}
#: ANSI bold yellow on, attributes off: matches in snippets when stdout is a terminal.
ANSI_ON, ANSI_OFF = "\033[1;33m", "\033[0m"


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def _owners(hit) -> str:
    text = "、".join(hit.owners)
    return f"({text})" if text and hit.owners_inferred else text


@main.command()
@click.argument("query")
@click.option("--owner", metavar="NAME", help="Only passages this department is responsible for (any name form).")
@click.option("--kind", metavar="KIND",
              help="Only this kind: measure, target, deadline, condition, paragraph (or 措施/目标/时限/条件/段落).")
@click.option("--doc", "document", metavar="DOC", help="Only passages of this document (文号 or title).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most this many hits.")
@format_option
@pass_ctx
def search(obj: Context, query: str, owner, kind, document, limit: int, fmt: str) -> None:
    """Search measures, targets, deadlines, conditions and paragraphs.

    \b
    Words must all match; "quoted phrases" must be contiguous; OR, NOT (or -word), parentheses:
      policykg search 落户
      policykg search '"春暖农民工"'
      policykg search 随迁子女 --owner 公安厅
      policykg search '落户 OR 居住证 NOT 仲裁'
    Traditional characters and full-width letters find the same as simplified/half-width ones.
    """
    if obj.store:  # the index of a server's graph is checked against the server first
        hits = obj.kg.search(query, owner=owner, kind=kind, document=document, limit=limit)
    else:
        from policykg.search import search_home
        hits = search_home(obj.home, query, owner=owner, kind=kind, document=document, limit=limit,
                           open_kg=lambda: obj.kg)
    if fmt != "table":
        emit(hits, fmt, {"rank": lambda h: hits.index(h) + 1, "kind": lambda h: h.kind,
                         "document": lambda h: h.document, "number": lambda h: h.number, "title": lambda h: h.title,
                         "snippet": lambda h: h.highlighted(), "owners": lambda h: h.owners,
                         "score": lambda h: h.score, "iri": lambda h: h.iri})
        return
    if not hits:
        click.echo(f"no results for {query}")
        return
    terminal = _on_terminal()
    on, off = (ANSI_ON, ANSI_OFF) if terminal else ("【", "】")
    rows = [[i, KIND_ZH[h.kind], h.document, h.number, h.title, _owners(h)] for i, h in enumerate(hits, 1)]
    lines = table(rows, ["#", "类型", "文号", "序号", "标题", "责任单位"], max_width=40).splitlines()
    out = lines[:2]
    for line, h in zip(lines[2:], hits):
        out += [line, "    " + h.highlighted(on, off)]
    click.echo("\n".join(out), color=terminal or None)
