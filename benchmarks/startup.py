"""Cold start-up of the CLI against a bare interpreter (issue 2 targets: --help ≤ 100 ms,
`measures --owner 教育厅` ≤ 300 ms after the first build).

    python benchmarks/startup.py [--runs 10]

Runs the installed console script directly (not through a pyenv shim) in fresh processes and
prints the median and best wall time of each command.
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


def timed(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("policykg")
    if not script.exists():
        script = Path(shutil.which("policykg") or "policykg")
    home = tempfile.mkdtemp(prefix="policykg-bench-")
    env = dict(os.environ, POLICYKG_HOME=home)
    subprocess.run([str(script), "measures"], env=env, stdout=subprocess.DEVNULL, check=True)  # first build
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("policykg --help", [str(script), "--help"], 100),
        ("policykg measures --owner 教育厅", [str(script), "measures", "--owner", "教育厅"], 300),
    ]
    print(f"{'command':40} {'median ms':>10} {'best ms':>8} {'target':>8}")
    for name, cmd, target in rows:
        t = timed(cmd, env, args.runs)
        print(f"{name:40} {statistics.median(t):10.0f} {min(t):8.0f} {('≤ %d' % target) if target else '':>8}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
