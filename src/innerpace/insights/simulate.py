"""The insight methods on simulated journals with a known truth: do they hold what they promise?

Run ``python -m innerpace.insights.simulate`` (or ``make simulate``) for the full tables; the
tests run a seeded subset. The worlds are described in ``insights/worlds.py``. NumPy only;
nothing here is used by the app itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from innerpace.insights import simulate_hunches
from innerpace.insights.interval import intervals_many
from innerpace.insights.noise import ar1, fs
from innerpace.insights.worlds import WORLDS, journals, truth

SIZES = (10, 20, 40, 120, 300)


def coverage(
    world: str, n: int, reps: int, seed: int = 0, *, these_runs: bool = False
) -> tuple[float, float]:
    """Share of 95% intervals holding the truth, and their median width.

    The truth is the population mean change, or with ``these_runs`` the expected change over
    this person's own runs (their drift as it happened, check-in noise averaged out).
    """
    rng = np.random.default_rng(seed)
    j = journals(world, rng, reps, n, expected=these_runs)
    target: float | np.ndarray = truth(world)
    if these_runs:
        target = j.expected.mean(axis=1)
    if j.observed.all():
        low, high = intervals_many(j.d)
        low, high = np.maximum(low, -10), np.minimum(high, 10)
    else:
        low, high = np.empty(reps), np.empty(reps)
        for i in range(reps):
            kept = j.d[i][j.observed[i]]
            if kept.size < 3:
                low[i], high[i] = -10.0, 10.0
                continue
            lo, hi = intervals_many(kept[None, :])
            low[i], high[i] = max(-10.0, lo[0]), min(10.0, hi[0])
    hit = (low <= target) & (target <= high)
    return float(hit.mean()), float(np.median(high - low))


def coverage_table(
    reps: int,
    worlds: tuple[str, ...] = WORLDS,
    sizes: tuple[int, ...] = SIZES,
    seed: int = 0,
    *,
    these_runs: bool = False,
) -> dict[tuple[str, int], tuple[float, float]]:
    return {
        (w, n): coverage(w, n, reps, seed + 7 * n, these_runs=these_runs)
        for w in worlds
        for n in sizes
    }


REST_SIZES = (5, 10, 20, 40)


def rest_coverage(n_rest: int, reps: int, seed: int = 0, n_runs: int = 40) -> tuple[float, float]:
    """Coverage of the rest-day comparison: runs and rest days each with serially correlated
    changes (AR 0.3 in the runs' lift, AR 0.3 in the rest days' drift), on whole points."""
    from innerpace.insights.lift import rest_contrast

    rng = np.random.default_rng(seed)
    runs = journals("ar03", rng, reps, n_runs).d
    mood = ar1(rng, reps, n_rest, 0.3, 1.5)
    drift = ar1(rng, reps, n_rest, 0.3, 0.8)
    first = fs(mood + rng.normal(0, 0.8, mood.shape))
    rest = fs(mood + drift + rng.normal(0, 0.8, mood.shape)) - first
    big_mood = ar1(rng, 20_000, 20, 0.3, 1.5)
    big_first = fs(big_mood + rng.normal(0, 0.8, big_mood.shape))
    big_rest = fs(big_mood + ar1(rng, 20_000, 20, 0.3, 0.8) + rng.normal(0, 0.8, big_mood.shape))
    target = truth("ar03") - float((big_rest - big_first).mean())
    hits, widths = 0, []
    for i in range(reps):
        found = rest_contrast(runs[i], rest[i])
        if found is None or found.interval is None:
            continue
        hits += found.interval.low <= target <= found.interval.high
        widths.append(found.interval.high - found.interval.low)
    return hits / reps, float(np.median(widths)) if widths else float("nan")


def _print_table(title: str, rows: dict, fmt: Callable[[tuple], str], cols) -> None:
    print(title)
    print("| world | " + " | ".join(f"n = {c}" for c in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for w in dict.fromkeys(k[0] for k in rows):
        print(f"| {w} | " + " | ".join(fmt(rows[(w, c)]) for c in cols) + " |")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000, help="people per cell (hunches)")
    parser.add_argument(
        "--lift-reps", type=int, default=10_000, help="people per cell (the lift's range)"
    )
    parser.add_argument("--only", choices=("lift", "hunches", "bad-days"), default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.only in (None, "lift"):
        table = coverage_table(args.lift_reps)
        _print_table(
            f"Headline lift: coverage of the likely range (median width), "
            f"{args.lift_reps} people per cell",
            table,
            lambda cw: f"{100 * cw[0]:.1f}% ({cw[1]:.2f})",
            SIZES,
        )
        table = coverage_table(args.lift_reps, ("ar03", "ar06", "drift"), these_runs=True)
        _print_table(
            "The same, holding the expected change over each person's own runs",
            table,
            lambda cw: f"{100 * cw[0]:.1f}% ({cw[1]:.2f})",
            SIZES,
        )
        print("Rest-day comparison: coverage (median width), 40 runs, rest days as given")
        print("| rest days | " + " | ".join(str(k) for k in REST_SIZES) + " |")
        print("|---|" + "---|" * len(REST_SIZES))
        cells = [rest_coverage(k, args.reps, seed=k) for k in REST_SIZES]
        print("| coverage | " + " | ".join(f"{100 * c:.1f}% ({w:.2f})" for c, w in cells) + " |")
        print()
    if args.only in (None, "hunches"):
        simulate_hunches.main(args.reps)
    if args.only in (None, "bad-days"):
        simulate_hunches.main_bad_days(args.reps)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
