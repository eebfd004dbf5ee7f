"""``policykg ingest / documents / remove / show``: many files in, what is stored, one fact out."""
from __future__ import annotations

import sys

import click

from . import fail, main, pass_ctx
from .output import emit, format_option, report_unread, table, wide_option

class _Bar:
    """One progress line on stderr: ``label  pos/total  rate/s  ETA``. On a terminal it is redrawn
    in place (at most 10 times a second); otherwise a line is written every few seconds."""

    def __init__(self, label: str, total: int, unit: str):
        import time
        self.label, self.total, self.unit = label, total, unit
        self.tty = sys.stderr.isatty()
        self.clock = time.perf_counter
        self.start = self.shown = self.clock()
        self.pos = 0

    def line(self) -> str:
        elapsed = max(self.clock() - self.start, 1e-6)
        rate = self.pos / elapsed
        left = (self.total - self.pos) / rate if rate else None
        eta = f"ETA {int(left) // 60}:{int(left) % 60:02d}" if left is not None and self.pos < self.total else ""
        width = 24
        filled = width * self.pos // max(self.total, 1)
        return (f"{self.label} [{'#' * filled}{'-' * (width - filled)}] {self.pos}/{self.total} "
                f"{rate:,.0f} {self.unit}/s {eta}").rstrip()

    def update(self, pos: int) -> None:
        self.pos = pos
        now = self.clock()
        if now - self.shown >= (0.1 if self.tty else 5.0):
            self.shown = now
            click.echo(("\r\033[K" if self.tty else "") + self.line(), err=True, nl=not self.tty)

    def finish(self) -> None:
        click.echo(("\r\033[K" if self.tty else "") + self.line() + f" in {self.clock() - self.start:.1f} s", err=True)


class _Progress:
    """Files parsed and stored, then the search-index entries written (the index is updated once,
    after the store): one bar each."""

    def __init__(self, files: int):
        self.bar = _Bar("ingesting", files, "files")

    def file_done(self, result) -> None:
        self.bar.update(self.bar.pos + 1)

    def index_done(self, done: int, total: int) -> None:
        if self.bar.unit == "files":
            self.bar.finish()
            self.bar = _Bar("indexing ", total, "entries")
        self.bar.update(done)

    def close(self) -> None:
        self.bar.finish()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Format of the summary.")
@wide_option
@click.option("--progress/--no-progress", default=None,
              help="Progress bars with rate and ETA on stderr (default: only on a terminal).")
@pass_ctx
def ingest(obj, paths: tuple[str, ...], fmt: str, progress: bool | None) -> None:
    """Parse, store and index policy notices: files, or folders (recursively).

    Re-ingesting a document (same 文号, any file name or encoding) replaces its facts; an unchanged
    one is left as it is. A file that cannot be read or parsed is reported with its reason and
    skipped; the others are stored. Exit status 1 when any file failed.
    """
    from policykg.ingest import collect_files
    kg = obj.kg
    show = progress if progress is not None else sys.stderr.isatty()
    if show:
        bars = _Progress(len(collect_files(paths)))
        try:
            results = kg.ingest(paths, progress=bars.file_done, index_progress=bars.index_done)
        finally:
            bars.close()
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
