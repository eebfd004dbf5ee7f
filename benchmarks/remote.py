"""The graph on a SPARQL server against the embedded store, measured in the same run.

Starts `oxigraph serve` (the PyPI package `oxigraph`) on a free localhost port with a fresh data
folder, then for both stores: ingest throughput over shared/corpus/govcn/ (store seconds apart), the
latency of a listing (`measures --owner 教育厅`) and of a question, and — for the server — the check
before each search that the index still matches the server, and `push` of a whole home.
Prints numbers and the ratio server / embedded; it does not fail.

    python benchmarks/remote.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOVCN = ROOT.parent / "shared" / "corpus" / "govcn"


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = Path(sys.executable).parent / "oxigraph"
    binary = str(binary) if binary.exists() else shutil.which("oxigraph")
    if not binary:
        sys.exit("oxigraph is not installed: pip install oxigraph")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            return process, url
        except OSError:
            time.sleep(0.05)
    sys.exit("oxigraph serve did not start")


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def measure(label: str, kg, repeat: int) -> dict:
    from policykg.ingest import IngestStats, ingest
    stats = IngestStats()
    t = time.perf_counter()
    results = ingest(kg, [GOVCN], stats=stats)
    elapsed = time.perf_counter() - t
    ok = sum(r.ok for r in results)
    out = {"docs/s": ok / elapsed, "store s": stats.seconds["store"], "triples": stats.triples,
           "measures ms": median_ms(lambda: kg.measures(owner="教育厅"), repeat),
           "query ms": median_ms(lambda: kg.query("教育厅负责哪些措施"), repeat)}
    if hasattr(kg.store, "sync_index"):
        out["names check ms"] = median_ms(kg.store.graph_names, repeat)
        out["index check ms"] = median_ms(kg.store.graph_sizes, repeat)
    print(f"{label}: {ok} documents in {elapsed:.1f} s → {out['docs/s']:.1f} documents/s; store writes "
          f"{out['store s']:.2f} s for {out['triples']} triples ({out['triples'] / max(out['store s'], 1e-9):,.0f} triples/s); "
          f"measures --owner 教育厅 {out['measures ms']:.1f} ms, query {out['query ms']:.1f} ms (medians of {repeat})"
          + (f"; before a search: graph names {out['names check ms']:.1f} ms, sizes (once a minute) "
             f"{out['index check ms']:.1f} ms" if "index check ms" in out else ""),
          flush=True)
    return out


def main() -> None:
    import policykg
    from policykg.remote import push
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not GOVCN.is_dir():
        sys.exit(f"{GOVCN} not found")
    work = Path(tempfile.mkdtemp(prefix="pkg-bench-remote-"))
    process, url = start_server(work / "server")
    try:
        embedded = policykg.open(work / "embedded")
        e = measure("embedded", embedded, args.repeat)
        remote = policykg.open(work / "client", store=url)
        r = measure(f"server {url}", remote, args.repeat)
        print("ratio server / embedded: " + ", ".join(
            f"{k} {r[k] / e[k]:.2f}×" for k in ("docs/s", "store s", "measures ms", "query ms")))
        t = time.perf_counter()
        n = push(embedded, url, work / "client")
        print(f"push of the embedded home ({n} graphs, {e['triples']}+ triples, search index rebuilt): "
              f"{time.perf_counter() - t:.1f} s")
        embedded.close()
        remote.close()
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
