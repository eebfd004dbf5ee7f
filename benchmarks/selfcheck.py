"""Corpus-wide self-check: annotation-like spans vs what the parser read, over real texts.

For every file: how many spans look like responsibility annotations, how many measures got
parties, and which annotation-like spans gave no party ("not understood"), with line numbers.

    python benchmarks/selfcheck.py                 # the bundled notice, tests/fixtures, ../shared/corpus
    python benchmarks/selfcheck.py DIR_OR_FILE ... # any texts
    python benchmarks/selfcheck.py -q ...          # totals only

Exit status 0 always: this script reports, it does not judge.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "corpus", ROOT / "tests" / "fixtures" / "realworld", ROOT / "tests" / "fixtures" / "layouts",
           ROOT / "tests" / "fixtures" / "ingest", ROOT.parent / "shared" / "corpus" / "govcn"]
SUFFIXES = {".txt", ".html", ".htm"}


def files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args or map(str, DEFAULT):
        p = Path(arg)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES)
        elif p.is_file():
            out.append(p)
    return out


def main(argv: list[str]) -> None:
    import policykg
    from policykg.corpus import normalise
    from policykg.diagnostics import annotation_like

    quiet = "-q" in argv
    paths = files([a for a in argv if a != "-q"])
    totals = {"files": 0, "annotation-like": 0, "measures": 0, "with parties": 0, "not understood": 0}
    for path in paths:
        try:
            doc = policykg.parse(path)
        except Exception as exc:  # noqa: BLE001 - a report, one line per unreadable file
            print(f"{path}: cannot parse: {exc}")
            continue
        marks = len(annotation_like(normalise(doc.text).text))
        with_parties = sum(1 for m in doc.measures if m.responsibilities)
        totals["files"] += 1
        totals["annotation-like"] += marks
        totals["measures"] += len(doc.measures)
        totals["with parties"] += with_parties
        totals["not understood"] += len(doc.unread)
        if doc.unread and not quiet:
            print(f"{path.name}: {marks} annotation-like, {with_parties}/{len(doc.measures)} measures with parties, "
                  f"{len(doc.unread)} not understood")
            for u in doc.unread:
                print(f"  line {u.line}: {u.text[:120]}")
    print("  ".join(f"{k}: {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
