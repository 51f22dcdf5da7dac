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
from innerpace.insights.worlds import after_kept, journals

FIRST, LAST = 60, 200
HUNCH_WORLDS = ("clipped", "ar03", "ar06", "drift", "t3", "ceiling", "mar", "mnar")
DAY = date(2026, 1, 1)


def _noise(world: str, rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """What moves the feeling after a run apart from the feeling before: the run's own lift
    wandering (AR(1)) and check-in noise, as in the lift's worlds (``worlds.py``)."""
    if world == "clipped":
        return rng.normal(0, 1.0, n)
    if world == "drift":
        return ar1(rng, 1, n, 0.9, 0.6)[0] + rng.normal(0, 0.8, n)
    if world == "t3":
        return ar1(rng, 1, n, 0.3, 0.8)[0] + rng.standard_t(3, n) * 0.6
    return ar1(rng, 1, n, phi, 1.0)[0]


def _person(
    rng: np.random.Generator, n: int, phi: float, world: str = "ar03"
) -> tuple[np.ndarray, np.ndarray, dict]:
    """A null person: six predictors (some changing slowly), none related to how runs end.

    ``n`` runs are drawn; in the worlds with missing after check-ins fewer reach the journal.
    """
    mood = (2.5 if world == "ceiling" else 0.0) + ar1(rng, 1, n, 0.3, 1.5)[0]
    noise = _noise(world, rng, n, phi)
    pre = fs(mood + rng.normal(0, 0.8, n))
    post = fs(mood + 1.2 + noise)
    slow = ar1(rng, 1, n, 0.95, 0.4)[0]
    raw = {
        "duration": np.log(40) + slow + rng.normal(0, 0.2, n),
        "intensity": 0.65 + 0.1 * ar1(rng, 1, n, 0.9, 1.0)[0],
        "morning": (ar1(rng, 1, n, 0.8, 1.0)[0] > 0.3).astype(float),
        "company": (rng.random(n) < 0.3).astype(float),
        "setting": (ar1(rng, 1, n, 0.9, 1.0)[0] > -0.7).astype(float),
        "delay": rng.uniform(1, 30, n),
    }
    kept = after_kept(world, rng, post - pre)
    return pre[kept], post[kept], {k: list(v[kept]) for k, v in raw.items()}


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
    drawn = LAST if world not in ("mar", "mnar") else round(LAST / 0.7)
    for _ in range(people):
        pre, post, raw = _person(rng, drawn, phi, world)
        last = min(LAST, pre.size)
        records: tuple = ()
        ever = False
        for n in range(FIRST, last + 1):
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
        print(f"| {world} | {100 * look:.1f}% | {100 * ever:.1f}% | {100 * conf:.1f}% |")
    print()


# --- "more on bad days" --------------------------------------------------------------------

BAD_DAY_WORLDS = ("plain", "ceiling", "wide-rest", "ceiling-wide-rest", "true-effect")


def bad_day_world(world: str, rng: np.random.Generator, n_runs: int = 80, n_rest: int = 30):
    """Run and rest pairs with no effect modification: a run adds the same lift at any start."""
    mean = 2.0 if "ceiling" in world else 0.0
    rest_sd = 2.4 if "wide-rest" in world else 1.2
    extra = 0.4 if world == "true-effect" else 0.0  # runs lift low starts more, for power

    def days(n: int, sd: float, lift: float, more: float):
        mood = mean + rng.normal(0, sd, n)
        first = fs(mood + rng.normal(0, 0.8, n))
        second = fs(mood + lift - more * (mood - mean) + rng.normal(0, 0.8, n))
        return first, second

    pre, post = days(n_runs, 1.2, 1.5, extra)
    a, b = days(n_rest, rest_sd, 0.0, 0.0)
    return _pairs(pre, post, a, b)


BAD_DAY_LIFT_WORLDS = ("clipped", "ar03", "ar06", "drift", "t3", "ceiling", "mar", "mnar")
BAD_DAY_SIZES = (20, 40, 120)


def lift_world_days(world: str, rng: np.random.Generator, n_runs: int):
    """Run and rest pairs in one of the lift's worlds (``worlds.py``), with no effect
    modification: whatever the start, a run's lift is drawn the same way. Half as many rest
    days as runs (at least 10), whose second check-in has no lift."""
    drawn = n_runs if world not in ("mar", "mnar") else round(n_runs / 0.7)
    j = journals(world, rng, 1, drawn)
    kept = j.observed[0]
    pre, d = j.pre[0][kept][:n_runs], j.d[0][kept][:n_runs]
    n_rest = max(10, n_runs // 2)
    mood = (2.5 if world == "ceiling" else 0.0) + ar1(rng, 1, n_rest, 0.3, 1.5)[0]
    first = fs(mood + rng.normal(0, 0.8, n_rest))
    second = fs(mood + rng.normal(0, 0.8, n_rest))
    return _pairs(pre, pre + d, first, second)


def _pairs(pre: np.ndarray, post: np.ndarray, first: np.ndarray, second: np.ndarray):
    """Run pairs a day apart, rest pairs spread over the same weeks."""
    from datetime import UTC, datetime, timedelta

    from innerpace.insights.data import RestPair, RunPair

    t0 = datetime(2026, 1, 1, 7, tzinfo=UTC)
    n_runs, n_rest = pre.size, first.size
    runs = [
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
        RestPair(
            at=t0 + timedelta(days=i * n_runs / n_rest, hours=5),
            first=float(first[i]),
            second=float(second[i]),
        )
        for i in range(n_rest)
    ]
    return runs, rest


def bad_days_in_lift_worlds(world: str, n_runs: int, people: int, seed: int = 0) -> float:
    """Share of null people told "more on bad days" in one of the lift's worlds."""
    rng = np.random.default_rng(seed)
    claimed = 0
    for _ in range(people):
        claimed += bad_days(*lift_world_days(world, rng, n_runs)).more_on_bad_days
    return claimed / people


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
    print(
        f'"More on bad days" with no true difference in the lift\'s worlds ({reps} people per '
        "cell; half as many rest days as runs, at least 10; under 20 runs it is never said)"
    )
    print("| world | " + " | ".join(f"n = {n}" for n in BAD_DAY_SIZES) + " |")
    print("|---|" + "---|" * len(BAD_DAY_SIZES))
    for world in BAD_DAY_LIFT_WORLDS:
        cells = [bad_days_in_lift_worlds(world, n, reps, seed=n) for n in BAD_DAY_SIZES]
        print(f"| {world} | " + " | ".join(f"{100 * c:.1f}%" for c in cells) + " |")
    print()
