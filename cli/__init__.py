"""The ``policykg`` command: a thin shell over the library (argument parsing and formatting only).

Heavy libraries are imported inside commands, so ``policykg --help`` stays fast.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import click

from policykg.roles import ROLE_ZH

from .output import emit, format_option, wide_option


class Context:
    def __init__(self, home: str | None, store: str | None = None):
        self.home = home
        self.store = store
        self._kg = None

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()
            self._kg = None

    @property
    def kg(self):
        """The knowledge graph, opened (and on first use built) when a command needs it."""
        return self.open()

    def open(self, build: bool = True):
        """The knowledge graph; ``build=False``: without building the bundled notice on first use."""
        if self._kg is None:
            import policykg
            self._kg = policykg.open(self.home, build=build, store=self.store)
        return self._kg


pass_ctx = click.make_pass_decorator(Context)
#: ``--doc``: the listings of one document (文号 or title).
DOC_OPTION = click.option("--doc", "document", metavar="DOC", help="Only this document (文号 or title).")


def fail(message: str, status: int = 1) -> None:
    """One line on stderr, a non-zero exit status, no traceback."""
    click.echo(f"policykg: {message}", err=True)
    sys.exit(status)


#: Exit status per library error class, the most specific class first. 1: what was named does not
#: exist (or is ambiguous); 2: the input cannot be used (as for click's usage errors); 3: the data
#: directory cannot be used right now (store or index busy or unwritable).
EXIT_STATUS = (("StoreError", 3), ("InputError", 2), ("NotFound", 1), ("DepartmentError", 1), ("PolicyKGError", 1))


def exit_status(err: BaseException) -> int:
    """The exit status for a library error (see ``EXIT_STATUS``)."""
    from policykg import errors
    return next(status for name, status in EXIT_STATUS if isinstance(err, getattr(errors, name)))


class Group(click.Group):
    """Turns the library's own errors (``PolicyKGError``) into one-line messages with an exit status
    per class; any other exception is a bug and keeps its traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as err:
            from policykg.errors import PolicyKGError  # imported only now: --help stays fast
            if not isinstance(err, PolicyKGError):
                raise  # a bug (or click's own exit): the traceback stays
            fail(str(err), exit_status(err))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", envvar="POLICYKG_HOME", type=click.Path(file_okay=False),
              help="Data directory (default: $POLICYKG_HOME or ~/.local/share/policykg).")
@click.option("--store", metavar="URL", envvar="POLICYKG_STORE",
              help="Keep the graph on this SPARQL 1.1 server instead (default: $POLICYKG_STORE; "
                   "--home then holds only its search index).")
@click.version_option(package_name="policykg")
@click.pass_context
def main(ctx: click.Context, home: str | None, store: str | None) -> None:
    """policykg — Chinese policy notices as a knowledge graph you can query and search.

    The bundled notice 桂人社发〔2023〕32号 is built on first use. Name departments any way:
    教育厅, 自治区教育厅, 广西壮族自治区教育厅, "Department of Education", "education".
    """
    ctx.obj = Context(home, store or None)
    ctx.call_on_close(ctx.obj.close)


def _roles(m) -> str:
    """Names as printed (compact); roles other than plain 负责 in brackets. JSON has full names."""
    return "、".join(f"{r.mention}({ROLE_ZH[r.role]})" if r.role != "responsible" else r.mention
                    for r in m.responsibilities)


@main.command()
@click.option("--owner", metavar="NAME", help="Only measures this department has a role in.")
@click.option("--role", type=click.Choice(list(ROLE_ZH)),
              help="Only measures where a department has this role (with --owner: that department).")
@DOC_OPTION
@format_option
@pass_ctx
def measures(obj: Context, owner, role, document, fmt) -> None:
    """Measures (措施) and who is responsible for each."""
    emit(obj.kg.measures(owner=owner, document=document, role=role), fmt,
         {"文号": lambda m: m.document, "序号": lambda m: m.number, "措施": lambda m: m.title,
          "责任单位": _roles})


@main.command()
@format_option
@pass_ctx
def departments(obj: Context, fmt) -> None:
    """Departments with a role in some measure, most involved first."""
    emit(obj.kg.departments(), fmt,
         {"部门": lambda d: d.name, "English": lambda d: d.en, "措施数": lambda d: d.measures,
          "牵头": lambda d: d.leads, "简称": lambda d: d.short})


@main.command()
@click.option("--owner", metavar="NAME", help="Only targets of measures this department has a role in.")
@DOC_OPTION
@format_option
@pass_ctx
def targets(obj: Context, owner, document, fmt) -> None:
    """Quantitative targets (量化目标) with value, unit and comparator.

    With --owner: targets stated in the department's measures, and document-wide targets linked to a
    measure it leads (or is listed first in) or that its name's field names.
    """
    emit(obj.kg.targets(owner=owner, document=document), fmt,
         {"文号": lambda t: t.document, "指标": lambda t: t.indicator, "比较": lambda t: t.comparator,
          "数值": lambda t: t.value if t.value is not None else f"{t.min_value}—{t.max_value}",
          "单位": lambda t: t.unit, "期限": lambda t: t.period, "措施": lambda t: t.measures})


@main.command()
@DOC_OPTION
@format_option
@pass_ctx
def deadlines(obj: Context, document, fmt) -> None:
    """Deadlines (完成时限): what is due, by whom, to whom."""
    emit(obj.kg.deadlines(document=document), fmt,
         {"日期": lambda d: d.due, "事项": lambda d: d.what, "报送单位": lambda d: d.obligated,
          "报送至": lambda d: d.submit_to, "文号": lambda d: d.document})


@main.command()
@DOC_OPTION
@format_option
@pass_ctx
def conditions(obj: Context, document, fmt) -> None:
    """Conditions (条件) such as those for 户口迁移: alternatives and owning measure."""
    emit(obj.kg.conditions(document=document), fmt,
         {"事项": lambda c: c.governs, "条件(任一)": lambda c: " 或 ".join(c.any_of),
          "措施": lambda c: c.measure, "责任单位": lambda c: c.owners, "文号": lambda c: c.document})


@main.command()
@click.argument("query")
@format_option
@pass_ctx
def sparql(obj: Context, query: str, fmt) -> None:
    """Run a SPARQL query (prefixes pkg: eli: org: skos: schema: time: prov: are predefined)."""
    result = obj.kg.sparql(query)
    if isinstance(result, bool):
        click.echo("true" if result else "false")
    elif isinstance(result, str):
        click.echo(result, nl=False)
    else:
        columns: list[str] = list(result[0]) if result else []
        emit(result, fmt, {c: _column(c) for c in columns})


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "json-ld", "nt", "nquads", "graphml", "gexf",
                                                    "matrix-csv", "matrix-xlsx", "matrix-md", "ics"]),
              default="turtle", show_default=True,
              help="RDF serialisation; graphml/gexf (Gephi, yEd); matrix-*: the 任务分工表; ics: deadlines.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@click.option("--doc", "document", metavar="DOC",
              help="Only this document (文号 or title); without it, every document (matrix-*: one table each).")
@pass_ctx
def export(obj: Context, fmt: str, output: str | None, document: str | None) -> None:
    """Export the whole graph (RDF, GraphML/GEXF), the task-division table or the deadlines calendar."""
    data = obj.kg.export(fmt, document=document)
    if isinstance(data, bytes) and not output and sys.stdout.isatty():
        fail(f"{fmt} is binary: give -o FILE or redirect standard output")
    if output:
        try:
            with open(output, "wb") as fh:
                fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        except OSError as err:
            fail(f"{output}: cannot write ({err.strerror or err})")
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        click.echo(data, nl=False)


@main.command()
@pass_ctx
def validate(obj: Context) -> None:
    """Validate the stored graph against the SHACL shapes; print the report."""
    report = obj.kg.validate()
    click.echo(report.text.rstrip())
    click.echo(f"{report.triples} triples; {'conforms' if report.conforms else 'DOES NOT CONFORM'}")
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=False))
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@wide_option
def parse(file: str, fmt: str) -> None:
    """Parse FILE and print what was extracted (nothing is stored).

    Annotation-like text that gave no party (a bracket or line naming 牵头/责任/配合 units that was not
    understood) is listed on stderr with its line number.
    """
    import json
    from pathlib import Path

    import policykg
    from .output import report_unread, table
    doc = policykg.parse(Path(file))  # always the file: a missing one is an error, never read as text
    report_unread(file, [(u.line, u.text) for u in doc.unread])
    if fmt == "json":
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
        return
    number = {m.id: m.number for m in doc.measures}  # measures by their printed number, not their id
    click.echo(f"{doc.doc_number or '(无文号)'}  {doc.title}  {doc.date or ''}")
    click.echo("发文机关: " + "、".join(p.name for p in doc.issuers))
    sections: list[tuple[str, list[str], list[list[Any]]]] = [
        ("措施", ["序号", "措施", "责任单位"],
         [[m.number, m.title, "、".join(f"{r.party.name}({ROLE_ZH[r.role]})" for r in m.responsibilities)]
          for m in doc.measures]),
        ("目标", ["指标", "比较", "数值", "单位", "措施"],
         [[t.indicator, t.comparator, t.value, t.unit, number.get(t.measure or "", t.measure)] for t in doc.targets]),
        ("时限", ["日期", "事项", "报送单位", "报送至"],
         [[d.date, d.what, [p.name for p in d.obligated], d.submit_to.name if d.submit_to else ""]
          for d in doc.deadlines]),
        ("条件", ["事项", "条件(任一)", "措施"], [[c.governs, " 或 ".join(c.any_of), number.get(c.measure or "", c.measure)]
                                              for c in doc.conditions]),
        ("引用", ["文号", "标题"], [[c.doc_number, c.title] for c in doc.citations]),
    ]
    for name, headers, rows in sections:
        click.echo(f"\n{name} ({len(rows)})")
        if rows:
            click.echo(table(rows, headers))


def _column(name: str) -> Callable[[dict[str, Any]], Any]:
    """The getter of one column of SPARQL result rows."""
    return lambda row: row[name]


# Commands contributed by feature modules register themselves on `main` when imported here.
from . import commands  # noqa: E402,F401
