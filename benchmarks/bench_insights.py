"""How fast insight is: ``innerpace insights`` cold on the demo journal, and the Insights page
warm on a 10-year journal.

- Cold: a fresh process each time (``innerpace insights`` on the demo journal), median and worst
  of 5, beside ``innerpace info`` on the same journal, the floor any command pays to start.
- Warm: the 10-year journal (ten demo years from ``innerpace.demo``, about 2,000 runs, as in
  ``bench_encryption.py``), the app in-process; the first page after a start, then 60 more
  requests (served from the cache keyed by the journal's version): median and p95.

    python benchmarks/bench_insights.py [--years 10] [--runs-per-year 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

from innerpace.demo import seed_store
from innerpace.services import Journal
from innerpace.store import Store

TOKEN = "bench-token-0123456789abcdefghijklmnopqrstuv"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CLI = Path(sys.executable).with_name("innerpace")


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def cold(folder: Path) -> tuple[list[float], list[float]]:
    insights = [_run([str(CLI), "--data-dir", str(folder), "insights"]) for _ in range(5)]
    info = [_run([str(CLI), "--data-dir", str(folder), "info"]) for _ in range(5)]
    return insights, info


def build(folder: Path, years: int, runs: int) -> dict[str, int]:
    with Store.open(folder) as store:
        for year in range(years):
            seed_store(store, seed=year + 1, end=date(2026 - year, 10, 31), runs=runs)
        return store.counts()


def warm(folder: Path, requests: int = 60) -> tuple[float, list[float]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from innerpace.web import create_app

    journal = Journal.open(folder)
    try:
        client = TestClient(create_app(journal, token=TOKEN, port=PORT), base_url=BASE)
        client.get(f"/auth?token={TOKEN}")
        started = time.perf_counter()
        page = client.get("/insights")
        first = time.perf_counter() - started
        assert page.status_code == 200 and "<svg" in page.text, page.status_code
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get("/insights")
            times.append(time.perf_counter() - started)
    finally:
        journal.close()
    return first, times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs-per-year", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        Journal.open(demo, demo=True).close()
        insights, info = cold(demo)
        ms = [1000 * v for v in insights]
        floor = statistics.median(info)
        print(
            f"innerpace insights, cold, demo journal: median {statistics.median(ms):.0f} ms, "
            f"worst {max(ms):.0f} ms (goal ≤ 1000 ms); innerpace info {1000 * floor:.0f} ms; "
            f"ratio {statistics.median(insights) / floor:.2f}×"
        )
        big = Path(tmp) / "ten-years"
        counts = build(big, args.years, args.runs_per_year)
        first, times = warm(big)
        print(
            f"Insights page, {args.years}-year journal ({counts['runs']} runs, "
            f"{counts['checkins']} check-ins): first after a start {1000 * first:.0f} ms; warm "
            f"median {1000 * statistics.median(times):.1f} ms, p95 {1000 * p95(times):.1f} ms "
            f"(goal ≤ 150 ms); first/warm {first / statistics.median(times):.0f}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
