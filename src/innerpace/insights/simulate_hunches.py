"""Null worlds for hunches and for "more on bad days": how often would either be claimed when
nothing is there? Part of ``python -m innerpace.insights.simulate`` (``make simulate``).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from innerpace.insights.noise import ar1, fs
from innerpace.insights.predictors import (
    CONFIRM_AFTER,
    bad_days,
    replicates_arrays,
    screen,
    track_hunches,
)

FIRST, LAST = 60, 200
HUNCH_WORLDS = ("ar03", "ar06")
DAY = date(2026, 1, 1)


def _person(rng: np.random.Generator, n: int, phi: float) -> tuple[np.ndarray, np.ndarray, dict]:
    """A null person: six predictors (some changing slowly), none related to how runs end."""
    mood = ar1(rng, 1, n, 0.3, 1.5)[0]
    noise = ar1(rng, 1, n, phi, 1.0)[0]
    pre = fs(mood + rng.normal(0, 0.8, n))
    post = fs(mood + 1.2 + noise)
    slow = ar1(rng, 1, n, 0.95, 0.4)[0]
    raw = {
        "duration": list(np.log(40) + slow + rng.normal(0, 0.2, n)),
        "intensity": list(0.65 + 0.1 * ar1(rng, 1, n, 0.9, 1.0)[0]),
        "morning": list((ar1(rng, 1, n, 0.8, 1.0)[0] > 0.3).astype(float)),
        "company": list((rng.random(n) < 0.3).astype(float)),
        "setting": list((ar1(rng, 1, n, 0.9, 1.0)[0] > -0.7).astype(float)),
        "delay": list(rng.uniform(1, 30, n)),
    }
    return pre, post, raw


def _checker(post: np.ndarray, pre: np.ndarray, raw: dict):
    def check(name: str, direction: int, start: int) -> bool:
        return replicates_arrays(post[start:], pre[start:], raw[name][start:], direction)

    return check


def false_confirmed(world: str, people: int, seed: int = 0) -> tuple[float, float]:
    """Share of null people who are ever shown a hunch, and who end with a confirmed one,
    refitted after every run from 60 to 200."""
    ever, confirmed, _ = hunch_rates(world, people, seed)
    return ever, confirmed


def hunch_rates(world: str, people: int, seed: int = 0) -> tuple[float, float, float]:
    """As :func:`false_confirmed`, with the share of single looks (one person, one run count)
    at which some predictor passes the false-discovery screen."""
    phi = 0.6 if world == "ar06" else 0.3
    rng = np.random.default_rng(seed)
    shown = confirmed = looks = passing = 0
    for _ in range(people):
        pre, post, raw = _person(rng, LAST, phi)
        records: tuple = ()
        ever = False
        for n in range(FIRST, LAST + 1):
            fit = screen(post[:n], pre[:n], {k: v[:n] for k, v in raw.items()})
            looks += 1
            passing += bool(fit.passing)
            records = track_hunches(
                records,
                fit.passing,
                (),
                DAY,
                check=_checker(post[:n], pre[:n], {k: v[:n] for k, v in raw.items()}),
                run_count=n,
            )
            ever = ever or any(r.status in ("new", "confirmed") for r in records)
        shown += ever
        confirmed += any(r.status == "confirmed" for r in records)
    return shown / people, confirmed / people, passing / looks


def main(reps: int) -> None:
    people = max(50, reps // 2)
    print(
        f"Hunches with no true effect, refitted after every run from {FIRST} to {LAST} "
        f"({people} people per world; checked once on the next {CONFIRM_AFTER}+ runs)"
    )
    print("| world | passes at a single look | shown a hunch at some point | false confirmed |")
    print("|---|---|---|---|")
    for world in HUNCH_WORLDS:
        ever, conf, look = hunch_rates(world, people)
        print(
            f"| noise AR {world[2]}.{world[3]} | {100 * look:.1f}% | {100 * ever:.1f}% | "
            f"{100 * conf:.1f}% |"
        )
    print()


# --- "more on bad days" --------------------------------------------------------------------

BAD_DAY_WORLDS = ("plain", "ceiling", "wide-rest", "ceiling-wide-rest", "true-effect")


def bad_day_world(world: str, rng: np.random.Generator, n_runs: int = 80, n_rest: int = 30):
    """Run and rest pairs with no effect modification: a run adds the same lift at any start."""
    from datetime import UTC, datetime, timedelta

    from innerpace.insights.data import RestPair, RunPair

    mean = 2.0 if "ceiling" in world else 0.0
    rest_sd = 2.4 if "wide-rest" in world else 1.2
    t0 = datetime(2026, 1, 1, 7, tzinfo=UTC)

    extra = 0.4 if world == "true-effect" else 0.0  # runs lift low starts more, for power

    def days(n: int, sd: float, lift: float, more: float):
        mood = mean + rng.normal(0, sd, n)
        first = fs(mood + rng.normal(0, 0.8, n))
        second = fs(mood + lift - more * (mood - mean) + rng.normal(0, 0.8, n))
        return first, second

    pre, post = days(n_runs, 1.2, 1.5, extra)
    a, b = days(n_rest, rest_sd, 0.0, 0.0)
    pairs = [
        RunPair(
            run_id=i,
            index=i,
            start=t0 + timedelta(days=i),
            local_day=(t0 + timedelta(days=i)).date(),
            pre=float(pre[i]),
            post=float(post[i]),
            delay_s=600.0,
            duration_s=2400.0,
            pct_hrr=None,
            time_of_day="morning",
            company=None,
            setting=None,
        )
        for i in range(n_runs)
    ]
    rest = [
        RestPair(at=t0 + timedelta(days=i * n_runs / n_rest, hours=5), first=a[i], second=b[i])
        for i in range(n_rest)
    ]
    return pairs, rest


def false_bad_days(world: str, people: int, seed: int = 0) -> tuple[float, float]:
    """Share of null people told "more on bad days", and share where the slopes alone (without
    the overlap rule) would have said it."""
    rng = np.random.default_rng(seed)
    claimed = slope_only = 0
    for _ in range(people):
        result = bad_days(*bad_day_world(world, rng))
        claimed += result.more_on_bad_days
        slope_only += bool(result.high is not None and result.high < 0)
    return claimed / people, slope_only / people


def main_bad_days(reps: int) -> None:
    print(f'"More on bad days" with no true difference ({reps} people per world, 80 runs, 30 rest)')
    print("| world | claimed | slope alone would claim |")
    print("|---|---|---|")
    for world in BAD_DAY_WORLDS:
        claimed, slope = false_bad_days(world, reps)
        print(f"| {world} | {100 * claimed:.1f}% | {100 * slope:.1f}% |")
    print()
