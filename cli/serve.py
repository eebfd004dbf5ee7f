"""``policykg serve``: the knowledge graph in a browser (argument parsing only; see policykg.web)."""
from __future__ import annotations

import click

from . import Context, main, pass_ctx


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default lets only this computer in.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Stop any page or SPARQL query that takes longer.")
@pass_ctx
def serve(obj: Context, host: str, port: int, timeout: float) -> None:
    """A local, read-only web application over the graph: search, departments, measures with their
    source text, documents with the 任务分工表 (xlsx/csv) and deadlines (ics), questions, and a
    SPARQL endpoint at /sparql. Works offline; stop it with Ctrl-C.
    """
    from policykg.web import serve as run
    kg = obj.kg
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"policykg: warning: listening on {host}: other computers can read the graph", err=True)
    click.echo(f"policykg: serving on http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl-C stops)", err=True)
    run(kg, host=host, port=port, timeout=timeout)
