"""The cost of encryption at rest: the same 10-year journal, plain and encrypted, in one run.

The journal is ten demo years (``innerpace.demo``: runs with series and laps, check-ins,
moments, reflections, well-being), about 2,000 runs. Measured for each: opening it (plain,
raw key, and passphrase through Argon2id), 500 inserts (one transaction each, as the app
writes), 200 full-text searches, and reading every run.

    python benchmarks/bench_encryption.py [--years 10] [--runs-per-year 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from innerpace.demo import seed_store
from innerpace.domain import CheckIn, CheckInKind, Reflection
from innerpace.instruments import get_instrument
from innerpace.store import Store, backups, crypto

OUT = Path(__file__).resolve().parent / "out"
PASSPHRASE = "a long enough passphrase"
WORDS = ("hill", "calm", "tired", "breath", "rain", "light OR heavy", "quiet*")


def build(folder: Path, years: int, runs: int) -> dict[str, int]:
    with Store.open(folder) as store:
        for year in range(years):
            seed_store(store, seed=year + 1, end=date(2026 - year, 10, 31), runs=runs)
        counts = store.counts()
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _best(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def measure(folder: Path, passphrase: str | None) -> dict[str, float]:
    opens = []
    for _ in range(5):
        started = time.perf_counter()
        store = Store.open(folder, passphrase=passphrase)
        store.counts()
        opens.append(time.perf_counter() - started)
        key = store.data_key
        store.close()
    raw_opens = []
    for _ in range(5):
        started = time.perf_counter()
        store = Store.open(folder, key=key)
        store.counts()
        raw_opens.append(time.perf_counter() - started)
        store.close()
    fs = get_instrument("fs")
    now = datetime.now(UTC)
    with Store.open(folder, key=key) as store:
        started = time.perf_counter()
        for i in range(250):
            store.add_checkin(
                CheckIn(at=now - timedelta(minutes=i), kind=CheckInKind.BEFORE,
                        responses=(fs.response({"feeling": i % 11 - 5}),), note="bench")
            )  # fmt: skip
            store.add_reflection(Reflection(text=f"bench words {i} hill calm", created=now))
        insert = (time.perf_counter() - started) / 500
        started = time.perf_counter()
        hits = 0
        for i in range(200):
            hits += len(store.search_reflections(WORDS[i % len(WORDS)], limit=50))
        search = (time.perf_counter() - started) / 200
        started = time.perf_counter()
        listed = len(store.list_runs())
        list_all = time.perf_counter() - started
    return {
        "open_ms (with passphrase if any)": _best(opens),
        "open_ms (raw key)": _best(raw_opens),
        "insert_ms_each": round(insert * 1000, 3),
        "search_ms_each": round(search * 1000, 3),
        "list_all_runs_ms": round(list_all * 1000, 1),
        "runs_listed": listed,
        "search_hits": hits,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs-per-year", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="innerpace-bench-") as temp:
        plain, locked = Path(temp) / "plain", Path(temp) / "locked"
        started = time.perf_counter()
        counts = build(plain, args.years, args.runs_per_year)
        built = time.perf_counter() - started
        backups.sweep_leftovers(plain)
        with Store.open(plain) as store:
            store.backup(locked / "journal.db")
        started = time.perf_counter()
        backups.lock_files(locked, PASSPHRASE)
        lock_s = time.perf_counter() - started
        size = {
            "plain_mb": round((plain / "journal.db").stat().st_size / 2**20, 1),
            "encrypted_mb": round((locked / "journal.db").stat().st_size / 2**20, 1),
        }
        results = {
            "journal": counts,
            "build_s": round(built, 1),
            "lock_s": round(lock_s, 2),
            "size": size,
            "argon2id": {
                "memory_kib": crypto.ARGON2_MEMORY_KIB,
                "time_cost": crypto.ARGON2_TIME_COST,
                "parallelism": crypto.ARGON2_PARALLELISM,
            },
            "plain": measure(plain, None),
            "encrypted": measure(locked, PASSPHRASE),
        }
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_encryption.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
