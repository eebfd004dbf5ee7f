"""``policykg ingest / documents / remove / show``: many files in, what is stored, one fact out."""
from __future__ import annotations

import sys

import click

from . import fail, main, pass_ctx
from .output import emit, format_option, report_unread, table, wide_option

#: Batches at least this long get a progress bar even when stderr is not a terminal.
LONG_BATCH = 200


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Format of the summary.")
@wide_option
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: on a terminal, or for long batches).")
@pass_ctx
def ingest(obj, paths: tuple[str, ...], fmt: str, progress: bool | None) -> None:
    """Parse and store policy notices: files, or folders (recursively).

    Re-ingesting a document (same 文号, any file name or encoding) replaces its facts. A file that
    cannot be read or parsed is reported with its reason and skipped; the others are stored.
    Exit status 1 when any file failed.
    """
    from policykg.ingest import collect_files
    kg = obj.kg
    items = collect_files(paths)
    show = progress if progress is not None else (sys.stderr.isatty() or len(items) >= LONG_BATCH)
    if show and items:
        with click.progressbar(length=len(items), label="ingesting", file=sys.stderr,
                               show_pos=True) as bar:
            results = kg.ingest(paths, progress=lambda r: bar.update(1))
    else:
        results = kg.ingest(paths)
    for r in results:
        if r.problem:
            click.echo(f"policykg: {r.path}: {r.problem}", err=True)
        else:
            report_unread(r.path, r.not_understood)
    emit(results, fmt, {"文件": lambda r: r.path, "文号": lambda r: r.doc_number, "标题": lambda r: r.title,
                        "措施": lambda r: r.measures if r.ok else "", "目标": lambda r: r.targets if r.ok else "",
                        "时限": lambda r: r.deadlines if r.ok else "",
                        "未识别": lambda r: len(r.not_understood) if r.ok else "",
                        "问题": lambda r: r.problem or r.note or ""}, empty="no files found")
    failed = sum(1 for r in results if r.problem)
    if fmt == "table":
        click.echo(f"{len(results) - failed} stored, {failed} failed", err=True)
    if failed:
        sys.exit(1)


@main.command()
@format_option
@pass_ctx
def documents(obj, fmt: str) -> None:
    """Stored documents, and cited ones known only as stubs; with citations and cited-by."""
    emit(obj.kg.documents(), fmt,
         {"文号": lambda d: d.doc_number, "标题": lambda d: d.title, "发文机关": lambda d: d.issuers,
          "措施": lambda d: d.measures, "状态": lambda d: "引用(未收录)" if d.stub else "已收录",
          "引用": lambda d: d.citations, "被引用": lambda d: d.cited_by}, empty="no documents stored")


@main.command()
@click.argument("doc")
@pass_ctx
def remove(obj, doc: str) -> None:
    """Remove document DOC (文号 or title) and every fact derived from it."""
    gone = obj.kg.remove(doc)
    name = gone.doc_number or gone.title
    click.echo(f"removed {name}: {gone.triples} triples")
    if gone.stub:
        click.echo(f"{name} stays as a stub: cited by {'、'.join(gone.cited_by)}")
    if gone.bundled:
        click.echo(f"{name} is the notice bundled with policykg: `policykg build` stores it again")


@main.command()
@pass_ctx
def build(obj) -> None:
    """Store the notices bundled with policykg again (after `remove`), with the organisation registry.

    Other stored documents are kept; the bundled ones are replaced by a fresh parse.
    """
    docs = obj.open(build=False).build()
    click.echo("built " + "、".join(d.doc_number or d.title for d in docs))


@main.command()
@click.argument("ident")
@click.option("--doc", "document", metavar="DOC", help="Document (文号 or title) of a short id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@wide_option
@pass_ctx
def show(obj, ident: str, document: str | None, fmt: str) -> None:
    """Print one fact with the sentence it was read from.

    IDENT is a fact IRI or a short id: m2.4 (or 2.4) a measure by its path, t3 a target, d1 a
    deadline, c1 a condition, p5 a paragraph.
    """
    fact = obj.kg.fact(ident, document)
    if fmt == "json":
        import json
        click.echo(json.dumps(fact.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{fact.iri}")
    click.echo(f"{fact.kind or 'fact'} of {fact.document}" + (f" ({fact.source})" if fact.source else ""))
    rows = [[p, v] for p, v in fact.readable() if p not in ("rdf:type", "prov:wasDerivedFrom", "eli:is_part_of")]
    if rows:
        click.echo(table(rows, ["property", "value"], max_width=80))
    if fact.span:
        click.echo(f"\nsource, characters {fact.span[0]}–{fact.span[1]}:")
        click.echo("「" + fact.sentence.replace("\n", "") + "」")
    else:
        fail(f"{fact.iri} has no source span")
