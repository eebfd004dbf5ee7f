"""Recall and precision of the parser on the real-notice fixtures (tests/fixtures/realworld).

    python benchmarks/realworld.py        # totals, then every miss and every unexpected party
    python benchmarks/realworld.py -q     # totals only
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from realworld import fixtures, total  # noqa: E402


def main(argv: list[str]) -> None:
    s = total()
    c = s.counts
    print(f"{len(fixtures())} real notices, {c['measures']} annotated measures, {c['parties']} parties, "
          f"{c['targets']} targets, {c['deadlines']} deadlines")
    print(f"measures found      {s.ratio('measures found', 'measures'):.2f}")
    print(f"party recall        {s.ratio('parties found', 'parties'):.2f}")
    print(f"role recall         {s.ratio('roles right', 'parties'):.2f}")
    print(f"lead recall         {s.ratio('leads found', 'leads'):.2f}")
    print(f"party precision     {s.ratio('parties said right', 'parties said'):.2f}")
    print(f"target recall       {s.ratio('targets found', 'targets'):.2f}")
    print(f"deadline recall     {s.ratio('deadlines found', 'deadlines'):.2f}")
    print(f"not understood      {c['not understood']}")
    if "-q" not in argv:
        for line in s.misses:
            print("  miss  " + line)
        for line in s.wrong:
            print("  wrong " + line)


if __name__ == "__main__":
    main(sys.argv[1:])
