"""``policykg push``: copy the graph of the data directory to a SPARQL server."""
from __future__ import annotations

import click

from . import Context, main, pass_ctx


@main.command()
@click.argument("url")
@pass_ctx
def push(obj: Context, url: str) -> None:
    """Copy the embedded graph (of --home) to the SPARQL 1.1 server at URL.

    \b
    Every named graph (one per document, the registry, the ontology) replaces the graph of the
    same name on the server, in batches of whole documents. Then use the server with
      policykg --store URL measures
    """
    from pathlib import Path

    from policykg.home import resolve_home
    from policykg.remote import push as push_graphs
    if obj.store:
        raise click.UsageError("push copies the embedded graph of --home: do not give --store too")
    count = push_graphs(obj.kg, url, Path(resolve_home(obj.home)))
    click.echo(f"pushed {count} graphs to {url}", err=True)
