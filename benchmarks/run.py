"""Run every ``benchmarks/bench_*.py`` in turn; each compares innerpace with its peers.

Usage: ``python benchmarks/run.py [NAME ...]`` (names without ``bench_``/``.py``; default: all).
Nothing here is timed in the unit tests: speed is measured only by these scripts.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        wanted = {f"bench_{name}.py" for name in argv}
        scripts = [s for s in scripts if s.name in wanted]
    failures = 0
    for script in scripts:
        print(f"== {script.stem[len('bench_') :]} ==", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], check=False)
        print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
        failures += done.returncode != 0
    if not scripts:
        print("no benchmarks found")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
