"""How fast insight is: ``innerpace insights`` cold on the demo journal, and the Insights page
warm on a 10-year journal.

- Cold: a fresh process each time (``innerpace insights`` on the demo journal), median and worst
  of 5, beside ``innerpace info`` on the same journal, the floor any command pays to start.
- Warm: the 10-year journal (ten demo years from ``innerpace.demo``, about 2,000 runs, as in
  ``bench_encryption.py``), the app in-process; the first page after a start, then 60 more
  requests (served from the cache keyed by the journal's version): median and p95.
- After a write: the same journal with the app's lifespan running, a run logged, then the first
  Insights page: with the background refresh (waiting for it to finish first; how long that
  took after the write is printed too), and with it stopped, computed on read. Median of 3.

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
from datetime import UTC, date, datetime, timedelta
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
        _sign_in(client)
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


def _sign_in(client) -> None:
    """Post the app's one-time sign-in key, as the printed sign-in file does."""
    key = client.app.state.guard.signin_key
    client.post("/auth", data={"key": key}, headers={"Origin": "null"})


def _client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient


def after_write(folder: Path, rounds: int = 3) -> tuple[list[float], list[float], list[float]]:
    """First page after a write: (with the refresh, its time to be ready, computed on read)."""
    from innerpace.web import create_app

    journal = Journal.open(folder)
    at = datetime(2026, 11, 20, 7, tzinfo=UTC)
    background, ready_after, on_read = [], [], []

    def page(client) -> float:
        started = time.perf_counter()
        answer = client.get("/insights")
        took = time.perf_counter() - started
        assert answer.status_code == 200 and "<svg" in answer.text, answer.status_code
        return took

    try:
        app = create_app(journal, token=TOKEN, port=PORT)
        with _client()(app, base_url=BASE) as client:
            _sign_in(client)
            refresher = app.state.insight_refresh
            assert refresher.wait_for(journal.changes.version, 300) is not None
            page(client)  # remembers what the first read remembers
            for i in range(rounds):
                journal.log_run(at=at + timedelta(hours=i), minutes=30)
                written = time.perf_counter()
                assert refresher.wait_for(journal.changes.version, 300) is not None
                ready_after.append(time.perf_counter() - written)
                background.append(page(client))
            refresher.stop()
            for i in range(rounds):
                journal.log_run(at=at + timedelta(days=1, hours=i), minutes=30)
                on_read.append(page(client))
    finally:
        journal.close()
    return background, ready_after, on_read


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
        background, ready_after, on_read = after_write(big)
        fresh, computed = statistics.median(background), statistics.median(on_read)
        print(
            f"Insights page, first after a write, {args.years}-year journal: with the background "
            f"refresh {1000 * fresh:.1f} ms (ready {statistics.median(ready_after):.2f} s after "
            f"the write, 2 s of it the pause for more changes); computed on read "
            f"{1000 * computed:.0f} ms; on read/refreshed {computed / fresh:.0f}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
