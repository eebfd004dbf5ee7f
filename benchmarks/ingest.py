"""Ingest throughput, end to end (read + parse + graph + validate + store + search index), in documents/s.

Times ``policykg.ingest.ingest`` in this process (``benchmarks/scale.py`` times the ``policykg ingest``
command) and prints where the time went: parse, graph, validate and index entries are summed over the
worker processes, store and index are the parent's wall time.

    python benchmarks/ingest.py                 # shared/corpus/govcn/, then 10 000 synthetic documents
    python benchmarks/ingest.py --synthetic 2000 --chunk 500

The synthetic corpus is built from the govcn texts: each copy gets a 文号 of its own (国发〔2040〕17号 …),
printed wherever the original's 文号 was, so every copy is a distinct document with its own graph.
Each run uses a fresh temporary data directory (the bundled seed notice is built before timing starts).
Target: ≥ 100 documents/s.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOVCN = ROOT.parent / "shared" / "corpus" / "govcn"


def run(label: str, folder: Path, chunk: int) -> dict:
    import policykg
    from policykg.ingest import IngestStats, ingest
    home = Path(tempfile.mkdtemp(prefix="pkg-bench-home-"))
    try:
        kg = policykg.open(home)
        stats = IngestStats()
        start = time.perf_counter()
        results = ingest(kg, [folder], chunk=chunk, stats=stats, progress=_progress(start))
        elapsed = time.perf_counter() - start
        print(f"  ingested in {elapsed:.1f} s", flush=True)
        t = time.perf_counter()
        stored = [d for d in kg.documents() if not d.stub]
        print(f"  (listing the {len(stored)} stored documents took {time.perf_counter() - t:.1f} s)")
        kg.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    failed = [r for r in results if not r.ok]
    chars = sum(r.characters for r in results if r.ok)
    print(f"\n{label}: {len(results)} files, {len(results) - len(failed)} stored "
          f"({len(stored) - 1} distinct documents besides the seed), {len(failed)} failed")
    for r in failed[:5]:
        print(f"  failed: {r.path}: {r.problem}")
    print(f"  {elapsed:.1f} s  →  {len(results) / elapsed:.1f} documents/s, {chars / elapsed / 1000:.0f} k characters/s, "
          f"{stats.triples / elapsed:.0f} triples/s ({stats.triples} triples)")
    parts = ", ".join(f"{k} {v:.1f} s ({1000 * v / max(len(results), 1):.1f} ms/doc)" for k, v in stats.seconds.items())
    print(f"  time: {parts}")
    return {"documents": len(results), "seconds": elapsed}


def _progress(start: float):
    count = [0]

    def report(result) -> None:
        count[0] += 1
        if count[0] % 1000 == 0:
            print(f"  {count[0]} files after {time.perf_counter() - start:.1f} s", flush=True)
    return report


def synthesise(n: int, into: Path, first: int = 0) -> int:
    """Write ``n`` distinct documents built from the govcn texts; return their total characters.
    ``first``: the number of the first (documents numbered apart from earlier ones are new)."""
    import policykg
    from policykg.citations import canonical_doc_number
    from policykg.corpus.segment import DOC_NUMBER
    pool = []
    for path in sorted(GOVCN.glob("*.txt")):
        doc = policykg.parse(path)
        printed = {m.group(0) for m in DOC_NUMBER.finditer(doc.text)
                   if doc.doc_number and not m.group("decree") and canonical_doc_number(m) == doc.doc_number}
        prefix = doc.doc_number.split("〔", 1)[0] if doc.doc_number and "〔" in doc.doc_number else None
        if printed and prefix:
            pool.append((doc.text, printed, prefix))
    chars = 0
    for i in range(first, first + n):
        text, printed, prefix = pool[i % len(pool)]
        number = f"{prefix}〔{2040 + i // 5000}〕{i % 5000 + 1}号"
        for p in printed:
            text = text.replace(p, number)
        (into / f"synthetic-{i:05d}.txt").write_text(text, "utf-8")
        chars += len(text)
    return chars


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic documents (0: skip)")
    parser.add_argument("--chunk", type=int, default=None, help="documents per store transaction")
    args = parser.parse_args()
    from policykg.ingest import CHUNK
    chunk = args.chunk or CHUNK
    if not GOVCN.is_dir():
        print(f"{GOVCN} not found", file=sys.stderr)
        return 1
    print(f"policykg ingest benchmark (chunk {chunk}); a shared 2-core machine: numbers are pessimistic")
    import policykg
    policykg.parse(next(GOVCN.glob("*.txt")))  # imports and registry loaded before timing
    run(f"govcn ({GOVCN})", GOVCN, chunk)
    if args.synthetic:
        folder = Path(tempfile.mkdtemp(prefix="pkg-bench-corpus-"))
        try:
            t = time.perf_counter()
            synthesise(args.synthetic, folder)
            print(f"\n(synthetic corpus of {args.synthetic} documents written in {time.perf_counter() - t:.1f} s)")
            run(f"synthetic ({args.synthetic} documents)", folder, chunk)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
