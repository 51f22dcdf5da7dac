"""Whole-account exports: memory and time of importing a big Apple Health export and a
big Strava bulk export into a fresh journal.

Usage: ``python benchmarks/bench_exports.py [--apple-gb 1.0] [--strava 2000] [--workers 2]``

A synthetic ``export.xml`` of about the given size (heart-rate and step records, State of
Mind entries, workouts at the end) and a Strava zip of the given number of activities are
written to a temporary folder, then each is imported into its own temporary journal in a
separate process. Printed: file sizes, import time, and the importing process's peak
resident memory (goals: Apple ≤ 300 MB peak, Strava 2,000 activities ≤ 90 s).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fixtures_exports as fx  # noqa: E402

IMPORT = """
import json, resource, sys, time
from pathlib import Path
from innerpace.services import Journal
started = time.perf_counter()
with Journal.open(Path(sys.argv[1])) as journal:
    report = journal.import_paths([Path(sys.argv[2])], workers=int(sys.argv[3]))
    summary = report.as_json()
peak = max(
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "imported": summary["imported"],
    "duplicates": summary["duplicates"],
    "skipped": summary["skipped"],
    "failed": len(summary["failed"]),
    "peak_mb": peak / 1024,
}))
"""


def import_in_child(journal: Path, target: Path, workers: int) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(journal), str(target), str(workers)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    result["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def bench_apple(folder: Path, gigabytes: float, workers: int) -> None:
    hr = int(gigabytes * 1_500_000)
    other = int(gigabytes * 1_800_000)
    started = time.perf_counter()
    export, facts = fx.apple_export(
        folder, workouts=3000, hr_records=hr, moods=50, routes=20, other_records=other,
        as_zip=False,
    )  # fmt: skip
    size = (export / "export.xml").stat().st_size
    print(
        f"apple: export.xml {size / 1e9:.2f} GB, {facts.workouts} workouts, {hr:,} heart-rate "
        f"and {other:,} other records (written in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    result = import_in_child(folder / "journal", export, workers)
    print(
        f"apple: imported {result['imported']} workouts in {result['seconds']:.1f} s "
        f"({result['wall_seconds']:.1f} s with start-up); peak RSS {result['peak_mb']:.0f} MB "
        f"(RUSAGE_CHILDREN {result['children_peak_mb']:.0f} MB; goal ≤ 300 MB); "
        f"skipped {result['skipped']}, failed {result['failed']}",
        flush=True,
    )


def bench_strava(folder: Path, count: int, workers: int) -> None:
    started = time.perf_counter()
    path = fx.write_zip(folder / "strava_export.zip", fx.strava_bulk(count))
    print(
        f"strava: {count} activities, zip {path.stat().st_size / 1e6:.1f} MB "
        f"(written in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    result = import_in_child(folder / "journal", path, workers)
    print(
        f"strava: imported {result['imported']} activities in {result['seconds']:.1f} s "
        f"({result['wall_seconds']:.1f} s with start-up; goal ≤ 90 s); "
        f"peak RSS {result['peak_mb']:.0f} MB; failed {result['failed']}",
        flush=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apple-gb", type=float, default=1.0)
    parser.add_argument("--strava", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="innerpace-bench-") as temp:
        root = Path(temp)
        if args.apple_gb > 0:
            (root / "apple").mkdir()
            bench_apple(root / "apple", args.apple_gb, args.workers)
        if args.strava > 0:
            (root / "strava").mkdir()
            bench_strava(root / "strava", args.strava, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
