"""CPU per document of each ingest stage, in one process: parse, graph, validate, store, segment.

    python benchmarks/cpu.py               # shared/corpus/govcn/, best of 5 rounds
    python benchmarks/cpu.py --rounds 9

Each stage runs over the whole corpus once per round; the round with the least CPU counts (the
machine is shared, so the best round is the one least disturbed). Stages, as ingest runs them:

* parse — ``extract.parse`` of each file (reading included);
* graph — ``ingest.document_ntriples`` of each parsed document;
* validate — ``validate.check_graphs`` over batches of ``ingest.TASK`` graphs;
* store — ``OxigraphStore.replace_graphs`` of all graphs, in chunks of ``ingest.CHUNK``, into a fresh
  on-disk store that already holds the registry and the ontology;
* segment — ``Segmenter.cut`` of every search-index text (the entries' titles and texts, folded), with
  jieba's dictionary and the user words; its cache of cut blocks is emptied before each round, what it
  remembers of the dictionary is not (as in an index run over many documents).

``python -c pass`` is timed in the same run: its wall time is the unit the ratios are given in, so
runs on a busier or quieter machine can be compared.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
GOVCN = ROOT.parent / "shared" / "corpus" / "govcn"


def python_pass_ms(runs: int = 7) -> float:
    """Median wall time of ``python -c pass`` in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def best_cpu(stage: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(least CPU seconds, wall seconds of that round) of ``stage`` over ``rounds`` runs."""
    best = (float("inf"), 0.0)
    for _ in range(rounds):
        c, w = time.process_time(), time.perf_counter()
        stage()
        best = min(best, (time.process_time() - c, time.perf_counter() - w))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("folder", nargs="?", type=Path, default=GOVCN)
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"{args.folder} not found", file=sys.stderr)
        return 1
    from policykg.extract import parse
    from policykg.graph import reference_ntriples
    from policykg.ingest import CHUNK, TASK, document_ntriples
    from policykg.iris import ONTOLOGY_GRAPH, REGISTRY_GRAPH, document_iri
    from policykg.ontology import load_registry
    from policykg.entries import entries_of_graphs
    from policykg.store import OxigraphStore
    from policykg.tokenize import fold, jieba_segmenter
    from policykg.userdict import policy_terms, programme_names
    from policykg.validate import check_graphs

    paths = sorted(args.folder.glob("*.txt"))
    docs = [parse(p) for p in paths]  # warm-up: imports, the registry, compiled patterns
    graphs = {document_iri(d.key): document_ntriples(d) for d in docs}
    check_graphs(list(graphs.values())[:TASK])
    texts = [fold(x) for e in (e for es in entries_of_graphs(graphs).values() for e in es) for x in (e["title"], e["text"])]
    registry = load_registry()
    user = set(policy_terms()) | programme_names(texts)
    user |= {n for o in registry.organisations for n in (o.name, *o.short)}
    cache = Path(tempfile.mkdtemp(prefix="pkg-bench-cpu-"))
    seg = jieba_segmenter(cache, sorted(user))
    reference = dict(zip((REGISTRY_GRAPH, ONTOLOGY_GRAPH), reference_ntriples()))
    nts = list(graphs.values())
    items = list(graphs.items())

    def store() -> tuple[float, float]:
        """CPU and wall seconds of the writes alone (not making and removing the store's folder)."""
        folder = Path(tempfile.mkdtemp(prefix="pkg-bench-store-", dir=cache))
        s = OxigraphStore(folder)
        s.replace_graphs(reference)
        c, w = time.process_time(), time.perf_counter()
        for i in range(0, len(items), CHUNK):
            s.replace_graphs(dict(items[i:i + CHUNK]))
        s.close()
        spent = time.process_time() - c, time.perf_counter() - w
        shutil.rmtree(folder)
        return spent

    def segment() -> None:
        seg._cache.clear()  # noqa: SLF001 - cold blocks, as for documents never seen before
        for t in texts:
            for _ in seg.cut(t):
                pass

    stages: dict[str, Callable[[], object]] = {
        "parse": lambda: [parse(p) for p in paths],
        "graph": lambda: [document_ntriples(d) for d in docs],
        "validate": lambda: [check_graphs(nts[i:i + TASK]) for i in range(0, len(nts), TASK)],
        "segment": segment,
    }
    unit = python_pass_ms()
    load = os.getloadavg()
    n = len(paths)
    print(f"{n} documents from {args.folder}, best of {args.rounds} rounds; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; python -c pass {unit:.1f} ms")
    print(f"{'stage':10} {'CPU ms/doc':>10} {'wall ms/doc':>11} {'× python -c pass':>17}")
    total = 0.0
    for name, stage in stages.items():
        cpu, wall = best_cpu(stage, args.rounds)
        total += cpu
        print(f"{name:10} {1000 * cpu / n:10.2f} {1000 * wall / n:11.2f} {1000 * cpu / n / unit:17.3f}")
    best = min(store() for _ in range(args.rounds))
    total += best[0]
    print(f"{'store':10} {1000 * best[0] / n:10.2f} {1000 * best[1] / n:11.2f} {1000 * best[0] / n / unit:17.3f}")
    print(f"{'total':10} {1000 * total / n:10.2f} {'':11} {1000 * total / n / unit:17.3f}")
    print(f"(python -c pass after the stages: {python_pass_ms():.1f} ms; load average {os.getloadavg()[0]:.2f})")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
