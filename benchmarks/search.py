"""Search: index build time, warm query latency (p50/p95) and cold ``policykg search`` over three corpora.

    python benchmarks/search.py                    # bundled notice, shared/corpus/govcn/, 10 000 synthetic
    python benchmarks/search.py --synthetic 2000   # a smaller synthetic corpus

* bundled: the seed notice, built through the graph (KnowledgeGraph.open), index rebuilt from the store;
* govcn: ``shared/corpus/govcn/*.txt`` ingested through the graph, index rebuilt from the store;
* synthetic: N documents of one index entry each, made of 2–4 paragraphs drawn from the govcn texts
  (seeded RNG) — index entries built directly (not through the graph: ingesting N notices is not what
  is measured here), then written with the same code path (``policykg.index.build_file``).

Warm: queries in one process after a warm-up (searcher and query dictionary loaded), snippets included.
Cold: a fresh ``policykg --home H search 落户`` process, wall time, median of several runs.
Targets: warm p50 ≤ 20 ms at 10 000 documents; cold ≤ 400 ms. The machine is shared: numbers are pessimistic.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOVCN = ROOT.parent / "shared" / "corpus" / "govcn"
QUERIES = ["落户", "乡村工匠", "仲裁", '"春暖农民工"', "保障性租赁住房", "随迁子女", "就业 培训", "养老保险 OR 医疗保险",
           "农民工 NOT 工资", "数字经济", "营商环境", "乡村振兴", "职业技能培训", "社会保障", "公共服务", "住房",
           "教育", "财政 资金", '"高质量发展"', "创新", "監管", "小微企业 融资"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def warm(home: Path, repeats: int = 5) -> tuple[float, float, int]:
    from policykg.search import search_home
    for q in QUERIES:  # warm-up
        search_home(home, q)
    times, hits = [], 0
    for _ in range(repeats):
        for q in QUERIES:
            t = time.perf_counter()
            hits += len(search_home(home, q))
            times.append((time.perf_counter() - t) * 1000)
    return pct(times, 50), pct(times, 95), hits // repeats


def _run_timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) milliseconds of one process."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    wall = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def cold(home: Path, runs: int = 7) -> tuple[float, float]:
    """Median wall and CPU milliseconds of a fresh ``policykg search 落户``."""
    cmd = [sys.executable, "-m", "policykg.cli", "--home", str(home), "search", "落户", "--limit", "5"]
    if shutil.which("policykg"):
        cmd = ["policykg", "--home", str(home), "search", "落户", "--limit", "5"]
    subprocess.run(cmd, capture_output=True, check=True)  # page cache
    samples = [_run_timed(cmd) for _ in range(runs)]
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def index_docs(home: Path) -> int:
    import sqlite3

    from policykg.index import index_file, index_root
    conn = sqlite3.connect(index_file(index_root(home)))
    try:
        return conn.execute("SELECT COUNT(*) FROM entry").fetchone()[0]
    finally:
        conn.close()


def report(label: str, home: Path, build_s: float, note: str = "") -> None:
    p50, p95, hits = warm(home)
    wall, cpu = cold(home)
    print(f"{label:<10} entries {index_docs(home):>6}  build {build_s:7.2f} s  warm p50 {p50:6.1f} ms  "
          f"p95 {p95:6.1f} ms  cold CLI {wall:5.0f} ms wall / {cpu:4.0f} ms CPU  "
          f"({hits} hits/{len(QUERIES)} queries){note}", flush=True)


def through_graph(label: str, folder: Path | None) -> None:
    import policykg
    from policykg.index import rebuild_index
    home = Path(tempfile.mkdtemp(prefix="pkg-bench-search-"))
    try:
        kg = policykg.open(home)  # builds the bundled corpus (and its index)
        note = ""
        if folder is not None:
            t = time.perf_counter()
            results = kg.ingest([folder])
            note = (f"  [ingest of {sum(r.ok for r in results)} docs incl. index update: "
                    f"{time.perf_counter() - t:.1f} s]")
        t = time.perf_counter()
        rebuild_index(kg)
        build = time.perf_counter() - t
        kg.close()
        report(label, home, build, note)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def synthetic(n: int) -> None:
    from policykg.index import _lock, build_file, index_root
    from policykg.userdict import policy_terms, programme_names
    paragraphs = [p.strip() for f in sorted(GOVCN.glob("*.txt"))
                  for p in re.split(r"\n\s*\n|\n", f.read_text("utf-8")) if len(p.strip()) >= 60]
    rng = random.Random(4)
    owners = [("https://w3id.org/policykg/id/org/gx-education", "广西壮族自治区教育厅"),
              ("https://w3id.org/policykg/id/org/gx-public-security", "广西壮族自治区公安厅"),
              ("https://w3id.org/policykg/id/org/gx-finance", "广西壮族自治区财政厅")]
    entries = []
    for i in range(n):
        text = "".join(rng.sample(paragraphs, rng.randint(2, 4)))
        docno = f"合成发〔2040〕{i + 1}号"
        o = rng.sample(owners, rng.randint(1, 2))
        entries.append(dict(iri=f"https://w3id.org/policykg/id/doc/合成发-2040-{i + 1}/measure/1", kind="measure",
                            doc=f"https://w3id.org/policykg/id/doc/合成发-2040-{i + 1}", docno=docno, dtitle=docno,
                            document=docno, number="（一）", title=text.split("。", 1)[0][:30], text=text,
                            owner=" ".join(x[0] for x in o), owners=[x[1] for x in o], inferred=False))
    chars = sum(len(e["text"]) for e in entries)
    home = Path(tempfile.mkdtemp(prefix="pkg-bench-search-"))
    try:
        root = index_root(home)
        t = time.perf_counter()
        with _lock(root):
            words = sorted(set(policy_terms()) | programme_names(e["text"] for e in entries))
            build_file(root, entries, words, home / "cache")
        build = time.perf_counter() - t
        report("synthetic", home, build, f"  [{n} documents, {chars / n:.0f} chars each, entries built directly "
                                          f"from govcn paragraphs, not through the graph]")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic documents (0: skip)")
    args = parser.parse_args()
    print("search benchmark (2 shared cores: numbers are pessimistic)")
    base = [_run_timed([sys.executable, "-c", "pass"]) for _ in range(7)]
    print(f"baseline: python -c pass {statistics.median(w for w, _ in base):.0f} ms wall / "
          f"{statistics.median(c for _, c in base):.0f} ms CPU (the machine's load shows here)")
    through_graph("bundled", None)
    if GOVCN.is_dir():
        through_graph("govcn", GOVCN)
        if args.synthetic:
            synthetic(args.synthetic)
    else:
        print(f"{GOVCN} absent: govcn and synthetic corpora skipped")


if __name__ == "__main__":
    main()
