"""``policykg graph``: the interactive responsibility graph as one self-contained HTML file."""
from __future__ import annotations

from pathlib import Path

import click

from . import fail, main, pass_ctx


@main.command()
@click.option("--owner", metavar="NAME", help="Only this department's neighbourhood (教育厅, education, …).")
@click.option("--doc", "document", metavar="DOC", help="Only this document (文号 or title).")
@click.option("--measure", metavar="ID", help="Only this measure's neighbourhood (2.4, （四）, 四 or 4).")
@click.option("--depth", type=click.IntRange(min=0), metavar="N",
              help="Hops shown around --owner / --measure  [default: 2].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="policykg-graph.html",
              show_default=True, help="HTML file to write ('-': standard output).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@pass_ctx
def graph(obj, owner, document, measure, depth, output, open_browser) -> None:
    """Interactive responsibility graph: departments, measures, targets, deadlines, conditions.

    Writes one UTF-8 HTML file that needs no network (open it on any computer). Hover a node for
    its source sentence; type in the search box to find a department or measure.
    """
    if output == "-":
        click.echo(obj.kg.render(owner=owner, document=document, measure=measure, depth=depth), nl=False)
        return
    path = Path(output)
    if not path.parent.is_dir():
        fail(f"{output}: directory {path.parent} does not exist")
    page = obj.kg.render(owner=owner, document=document, measure=measure, depth=depth)
    try:
        page.save(path)
    except OSError as err:
        fail(f"{output}: cannot write ({err.strerror or err})")
    click.echo(f"wrote {path} ({len(page.encode('utf-8')) // 1024} KB)", err=True)
    if open_browser:
        import webbrowser
        if not webbrowser.open(path.resolve().as_uri()):  # False: no browser could be started
            fail(f"no web browser found to open it; open {path.resolve()} in a browser yourself")
