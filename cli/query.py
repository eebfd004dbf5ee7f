"""``policykg query``, ``policykg trace`` and ``policykg path``: questions, threads and chains."""
from __future__ import annotations

import json

import click

from policykg.roles import ROLE_ZH

from . import main, pass_ctx
from .output import table, wide_option


def _check_date(ctx, param, value):
    import datetime
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


@main.command()
@click.argument("question")
@click.option("--explain", is_flag=True, help="Also show the structured query and the SPARQL that answered it.")
@click.option("--today", metavar="DATE", callback=_check_date,
              help="The date 'next deadline' is counted from (YYYY-MM-DD; default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@wide_option
@pass_ctx
def query(obj, question: str, explain: bool, today: str | None, fmt: str) -> None:
    """Answer a QUESTION in plain Chinese or English.

    \b
    Examples:
      policykg query 教育厅负责哪些措施
      policykg query "measures owned by the Department of Education"
      policykg query "which departments are responsible for measure 4"
      policykg query 落户条件是什么
      policykg query 下一个截止日期 --today 2023-08-01
    """
    answer = obj.kg.query(question, today=today)
    if fmt == "json":
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Understood as: {answer.query.summary()}" if answer.understood
               else "Not understood as a structured question.")
    if explain:
        click.echo("Structured query: " + json.dumps(answer.query.to_dict(), ensure_ascii=False))
        click.echo("SPARQL:" if answer.sparql else "SPARQL: (none: answered by the full-text index)")
        if answer.sparql:
            click.echo("\n".join("  " + line for line in answer.sparql.splitlines()))
    click.echo(answer.headline)
    if answer.note:
        click.echo(f"Note: {answer.note}")
    rows, headers = _rows(answer)
    if rows:
        click.echo(table(rows, headers))


def _rows(answer) -> tuple[list[list], list[str]]:
    kind = answer.query.intent if answer.kind == "count" else answer.kind
    items = answer.items
    if kind == "measures":
        return ([[m["number"], m["title"], "、".join(_dept(d) for d in m["departments"]), m["document"]]
                 for m in items], ["序号", "措施", "责任单位", "文号"])
    if kind == "departments":
        if items and "measure" in items[0]:
            return ([[d["department"], d["en"], ROLE_ZH.get(d["role"], d["role"]), d["measure"], d.get("document")]
                     for d in items], ["部门", "English", "角色", "措施", "文号"])
        return [[d["department"], d["en"], d.get("measures")] for d in items], ["部门", "English", "措施数"]
    if kind == "co_departments":
        return ([[d["department"], d["en"], d["shared_measures"], "".join(d["measures"])] for d in items],
                ["部门", "English", "共同措施数", "共同措施"])
    if kind == "targets":
        return ([[t["indicator"], t["comparator"], t["value"], t["unit"], t["period"],
                  t["measure"] or "、".join(f"≈{n}" for n in t["related_measures"])] for t in items],
                ["指标", "比较", "数值", "单位", "期限", "措施"])
    if kind == "deadlines":
        return ([[d["date"], d["what"], d["obligated"], d["submit_to"], d["document"]] for d in items],
                ["日期", "事项", "报送单位", "报送至", "文号"])
    if kind == "issuers":
        return ([[d["document"], d["title"], "、".join(d["issuers"])] for d in items], ["文号", "标题", "发文机关"])
    if kind == "conditions":
        return ([[c["governs"], " 或 ".join(c["any_of"]), c["measure"], c["owners"], c["document"]] for c in items],
                ["事项", "条件(任一)", "措施", "责任单位", "文号"])
    # search hits (full-text index or text match)
    return ([[i.get("kind"), i.get("number") or "", i.get("snippet") or i.get("text", ""),
              i.get("owners") or ""] for i in items], ["类型", "序号", "内容", "责任单位"])


def _dept(d: dict) -> str:
    from policykg.ontology import load_registry
    short = load_registry().split_prefix(d["name"])[1]
    return short if d["role"] == "responsible" else f"{short}({ROLE_ZH.get(d['role'], d['role'])})"


@main.command()
@click.argument("ref", metavar="TERM|ID")
@click.option("--depth", type=click.IntRange(1, 10), default=4, show_default=True, help="How many relations deep.")
@click.option("--doc", "document", metavar="DOC", help="Start in this document (文号 or title): m2.4 is in every notice.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: an indented tree, the relation on every edge; json: nodes and labelled edges.")
@pass_ctx
def trace(obj, ref: str, depth: int, document: str | None, fmt: str) -> None:
    """Follow the facts connected to TERM|ID: a term (落户), a measure (（四）), a department, a 文号,
    an IRI or a short id (m2.4, t7, c1)."""
    result = obj.kg.trace(ref, depth=depth, document=document)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.tree())


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="At most this many chains.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@pass_ctx
def path(obj, a: str, b: str, limit: int, fmt: str) -> None:
    """The shortest chains of relations between A and B (e.g. 公安厅 落户)."""
    chains = obj.kg.path(a, b, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in chains], ensure_ascii=False, indent=2))
        return
    if not chains:
        click.echo(f"no chain of relations links '{a}' and '{b}'")
        return
    for i, c in enumerate(chains, 1):
        click.echo(f"{i}. ({len(c.steps)} step{'s' if len(c.steps) != 1 else ''}) {c.text()}")
