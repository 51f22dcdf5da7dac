"""Hostile archives: how long ``innerpace import`` takes to refuse them and how much memory it
uses, each in a fresh process, as a person would run it.

Usage: ``python benchmarks/bench_archive_budget.py``

- a 1.3 MB zip whose twenty directory entries all point at one 256 MB member (each entry passes
  a ratio check of 200; Python's zipfile does not refuse overlapping entries);
- a 0.6 MB innerpace export whose ``journal.json`` unpacks to 600 MB.

Printed: refusal time of the importer itself (in-process, after a warm start), the whole
command's wall time, and the command's peak resident memory beside a plain ``innerpace info``
run in the same way (the baseline every command pays). Goal: refused in under a second, with the
peak no higher than the baseline's by more than a few MB.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "hostile_archives", HERE.parent / "tests" / "safety" / "hostile_archives.py"
)
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

CHILD = """
import json, resource, sys, time
from pathlib import Path
args = sys.argv[1:]
started = time.perf_counter()
from innerpace.cli import main
code = main(args)
wall = time.perf_counter() - started
print(json.dumps({"code": code, "wall": wall,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
      file=sys.stderr)
"""

REFUSAL = """
import json, resource, sys, time
from pathlib import Path
from innerpace.importer.pipeline import Importer
from innerpace.services import Journal
from innerpace.errors import UserError
with Journal.open(Path(sys.argv[1])) as journal:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        if sys.argv[3] == "export":
            journal.restore_export(Path(sys.argv[2]))
        else:
            Importer(journal.store).run([Path(sys.argv[2])])
    except UserError:
        pass
    took = time.perf_counter() - started
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"refusal_s": took, "grew_mb": grew}))
"""


def _command(args: list[str], home: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


def _refusal(path: Path, kind: str, home: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", REFUSAL, str(home), str(path), kind],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="innerpace-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        overlap = hostile.overlapping_zip(folder / "overlap.zip")
        export = hostile.oversized_export(folder / "oversized-export.zip")
        print(f"built the archives in {time.perf_counter() - started:.1f} s")
        baseline = _command(["info"], folder / "baseline")
        print(f"baseline `innerpace info`: {baseline['wall']:.2f} s, {baseline['rss_mb']:.0f} MB")
        for path, kind in ((overlap, "zip"), (export, "export")):
            inner = _refusal(path, kind, folder / f"inner-{kind}")
            whole = _command(["import", str(path)], folder / f"cli-{kind}")
            print(
                f"{path.name} ({path.stat().st_size / 2**20:.2f} MB): importer refused it in "
                f"{inner['refusal_s'] * 1000:.0f} ms (+{inner['grew_mb']:.1f} MB peak); "
                f"`innerpace import` exit {whole['code']} in {whole['wall']:.2f} s, "
                f"peak {whole['rss_mb']:.0f} MB ({whole['rss_mb'] / baseline['rss_mb']:.2f}x "
                "the baseline)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
