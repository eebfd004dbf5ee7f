"""Latency of questions, traces, paths and networkx projections.

    python benchmarks/query.py                 # a fresh home with the bundled notice
    python benchmarks/query.py --home DIR      # an existing home (e.g. after ingesting ../shared/corpus/govcn)

Prints warm (in-process) p50 / p95 per operation and cold CLI wall times (a new process each).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

QUESTIONS = ["教育厅负责哪些措施", "measures owned by the Department of Education", "（四）由哪些部门负责",
             "which departments are responsible for measure 4", "关于住房的目标", "targets for education",
             "有哪些截止日期", "下一个截止日期", "落户条件是什么", "教育厅负责几项措施", "how many measures involve 总工会",
             "和教育厅共同负责的部门", "农民工工资拖欠怎么处理"]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{name:<34} p50 {statistics.median(ms):8.1f} ms   p95 {p95:8.1f} ms   (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", help="existing data directory (default: a fresh one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="policykg-bench-")
    import policykg
    t = time.perf_counter()
    kg = policykg.open(home)
    print(f"open{' + build' if not args.home else ''}: {(time.perf_counter() - t) * 1000:.0f} ms; home {home}")
    kg.query(QUESTIONS[0])  # warm caches (organisations, search index)
    all_q = []
    for q in QUESTIONS:
        all_q += timed(lambda q=q: kg.query(q, today="2023-08-01"), args.repeat)
    report("query (13 questions, warm)", all_q)
    report("trace 落户 (depth 4, warm)", timed(lambda: kg.trace("落户"), args.repeat))
    report("path 公安厅 落户 (warm)", timed(lambda: kg.path("公安厅", "落户"), args.repeat))
    report("to_networkx responsibility", timed(lambda: kg.to_networkx("responsibility"), args.repeat))
    report("to_networkx full", timed(lambda: kg.to_networkx("full"), args.repeat))
    kg.close()
    env = dict(os.environ, POLICYKG_HOME=home)
    exe = [sys.executable, "-m", "policykg.cli"]
    for argv in (["query", "教育厅负责哪些措施"], ["query", "下一个截止日期", "--today", "2023-08-01"],
                 ["trace", "落户"], ["path", "公安厅", "落户"]):
        report("cold CLI " + " ".join(argv[:2]),
               timed(lambda argv=argv: subprocess.run(exe + argv, env=env, check=True, capture_output=True), 3))
    print("Note: a 2-core machine shared with other jobs; numbers are pessimistic.")


if __name__ == "__main__":
    main()
