"""Responsibility graph page and exports: time and size, on the bundled notice and on shared/corpus/govcn/.

    python benchmarks/render.py

Prints milliseconds (median of 3 runs) for the networkx graph, the HTML page and each export format, and
the page size. The page must stay one self-contained file (it embeds vis-network, ≈ 700 KB on its own).
The machine is shared by several engineers: numbers are pessimistic.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOVCN = ROOT.parent / "shared" / "corpus" / "govcn"


def ms(fn, runs: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def report(label: str, kg) -> None:
    from policykg.exports import FORMATS
    from policykg.render import responsibility_graph
    t, g = ms(lambda: responsibility_graph(kg))
    print(f"[{label}] {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    print(f"  graph            {t:8.0f} ms")
    t, page = ms(lambda: kg.render())
    print(f"  page             {t:8.0f} ms   {len(page.encode('utf-8')) / 1024:.0f} KB")
    top = kg.departments()[0].name
    t, _ = ms(lambda: kg.render(owner=top))
    print(f"  page --owner     {t:8.0f} ms   ({top})")
    for name in FORMATS:
        t, out = ms(lambda name=name: kg.export(name))
        print(f"  {name:<16} {t:8.0f} ms   {len(out) / 1024:.0f} KB")


def main() -> None:
    import policykg
    from policykg.knowledge import KnowledgeGraph
    with tempfile.TemporaryDirectory() as home:
        kg = policykg.open(home)
        report("bundled notice", kg)
        kg.close()
    files = sorted(GOVCN.glob("*.txt"))
    if not files:
        print(f"(no {GOVCN}: skipping the govcn corpus)", file=sys.stderr)
        return
    kg = KnowledgeGraph.in_memory()
    stored = 0
    for f in files:
        try:
            kg.add_documents([policykg.parse(f)])
            stored += 1
        except Exception as err:  # noqa: BLE001 - a benchmark reports and goes on
            print(f"  skipped {f.name}: {str(err)[:80]}", file=sys.stderr)
    report(f"govcn, {stored} documents", kg)


if __name__ == "__main__":
    main()
