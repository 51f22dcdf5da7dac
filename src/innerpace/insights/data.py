"""From plain domain objects to the pairs the statistics use: one per run, one per rest day."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from innerpace.domain import CheckIn, CheckInKind, Company, Run, Setting

DEFAULT_HR_REST = 60.0
OUTDOORS = (Setting.ROAD, Setting.TRAIL, Setting.TRACK)
INDOORS = (Setting.TREADMILL, Setting.INDOOR)
REST_GAP_MIN = timedelta(minutes=15)
REST_GAP_MAX = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class RunPair:
    """A run with both Feeling Scale check-ins, and what is known about it."""

    run_id: int
    index: int
    start: datetime
    local_day: date
    pre: float
    post: float
    delay_s: float | None
    duration_s: float
    pct_hrr: float | None
    time_of_day: str
    company: str | None
    setting: str | None
    gap_s: float = 0.0  # from the before check-in to the after one

    @property
    def d(self) -> float:
        return self.post - self.pre


@dataclass(frozen=True, slots=True)
class RestPair:
    """Two check-ins on a rest day, spaced like a run: the control."""

    at: datetime
    first: float
    second: float

    @property
    def d(self) -> float:
        return self.second - self.first


@dataclass(frozen=True, slots=True)
class Assembled:
    pairs: tuple[RunPair, ...]
    rest: tuple[RestPair, ...]
    missing_after: int  # runs with a before check-in and no after one
    with_before: int
    hr_rest: float
    hr_max: float | None
    runs_by_id: dict[int, Run]


def feeling(checkin: CheckIn) -> float | None:
    """The Feeling Scale value of a check-in, or None when it has none."""
    response = checkin.response("fs")
    if response is None:
        return None
    value = response.value("feeling")
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def time_of_day(local: datetime) -> str:
    """``morning`` before 11:00, ``afternoon`` before 17:00, else ``evening`` (local clock)."""
    if local.hour < 11:
        return "morning"
    return "afternoon" if local.hour < 17 else "evening"


def estimate_hr_max(runs: Iterable[Run]) -> float | None:
    """The 99th percentile of the runs' maximum heart rates, or None without any."""
    values = [r.max_hr for r in runs if r.max_hr is not None and r.max_hr > 0]
    if not values:
        return None
    return float(np.percentile(values, 99))


def pct_hrr(avg_hr: float | None, hr_rest: float, hr_max: float | None) -> float | None:
    """Heart-rate reserve used: ``(HR − HRrest) / (HRmax − HRrest)``."""
    if avg_hr is None or hr_max is None or hr_max <= hr_rest or avg_hr <= 0:
        return None
    return (avg_hr - hr_rest) / (hr_max - hr_rest)


def _company(run: Run) -> str | None:
    return None if run.company == Company.UNKNOWN else str(run.company)


def _setting(run: Run) -> str | None:
    if run.setting in OUTDOORS:
        return "outdoors"
    if run.setting in INDOORS:
        return "indoors"
    return None


def _befores_afters(checkins: Iterable[CheckIn]) -> tuple[dict[int, CheckIn], dict[int, CheckIn]]:
    befores: dict[int, CheckIn] = {}
    afters: dict[int, CheckIn] = {}
    for c in sorted(checkins, key=lambda c: c.at):
        if c.run_id is None or feeling(c) is None:
            continue
        if c.kind == CheckInKind.BEFORE:
            befores[c.run_id] = c
        elif c.kind == CheckInKind.AFTER:
            afters.setdefault(c.run_id, c)
    return befores, afters


def run_pairs(
    runs: Sequence[Run],
    checkins: Iterable[CheckIn],
    hr_rest: float,
    hr_max: float | None,
) -> tuple[RunPair, ...]:
    """One pair per run with a check-in before and after (the last before, the first after)."""
    befores, afters = _befores_afters(checkins)
    found = []
    for run in sorted((r for r in runs if r.id is not None), key=lambda r: r.start):
        rid = int(run.id)  # type: ignore[arg-type]
        if rid not in befores or rid not in afters:
            continue
        after = afters[rid]
        delay = after.delay_s
        if delay is None:
            delay = max(0.0, (after.at - run.end).total_seconds())
        local = run.local_start
        found.append(
            RunPair(
                run_id=rid,
                index=len(found),
                start=run.start,
                local_day=local.date(),
                pre=feeling(befores[rid]),  # type: ignore[arg-type]
                post=feeling(after),  # type: ignore[arg-type]
                delay_s=delay,
                duration_s=run.duration_s,
                pct_hrr=pct_hrr(run.avg_hr, hr_rest, hr_max),
                time_of_day=time_of_day(local),
                company=_company(run),
                setting=_setting(run),
                gap_s=max(0.0, (after.at - befores[rid].at).total_seconds()),
            )
        )
    return tuple(found)


def rest_pairs(
    checkins: Iterable[CheckIn],
    runs: Sequence[Run] = (),
    run_gaps_s: Sequence[float] = (),
) -> tuple[RestPair, ...]:
    """Each rest-day first check-in with the next second one, kept only when it is a fair
    control: on a day without a run (the runner's local day), and spaced like the runs' own
    check-ins (within half to twice their median spacing; 15 minutes to 6 hours without runs).
    """
    rest = sorted(
        (
            c
            for c in checkins
            if c.kind in (CheckInKind.REST_FIRST, CheckInKind.REST_SECOND)
            and feeling(c) is not None
        ),
        key=lambda c: c.at,
    )
    offsets = [r.utc_offset_min for r in runs if r.utc_offset_min is not None]
    offset = timedelta(minutes=float(np.median(offsets)) if offsets else 0.0)
    run_days = {r.local_start.date() for r in runs}
    low, high = REST_GAP_MIN, REST_GAP_MAX
    if run_gaps_s:
        typical = float(np.median(run_gaps_s))
        low = max(low, timedelta(seconds=typical / 2))
        high = min(high, max(low, timedelta(seconds=typical * 2)))
    found = []
    for i, c in enumerate(rest):
        if c.kind != CheckInKind.REST_FIRST or i + 1 >= len(rest):
            continue
        nxt = rest[i + 1]
        if nxt.kind != CheckInKind.REST_SECOND or not low <= nxt.at - c.at <= high:
            continue
        if (c.at + offset).date() in run_days or (nxt.at + offset).date() in run_days:
            continue
        found.append(RestPair(at=c.at, first=feeling(c), second=feeling(nxt)))  # type: ignore[arg-type]
    return tuple(found)


def assemble(
    runs: Sequence[Run],
    checkins: Sequence[CheckIn],
    *,
    hr_rest: float | None = None,
    hr_max: float | None = None,
) -> Assembled:
    """Pairs for runs and rest days; HRmax is estimated from the runs when not given."""
    rest_hr = DEFAULT_HR_REST if hr_rest is None else float(hr_rest)
    max_hr = estimate_hr_max(runs) if hr_max is None else float(hr_max)
    pairs = run_pairs(runs, checkins, rest_hr, max_hr)
    run_ids = {r.id for r in runs if r.id is not None}
    befores, afters = _befores_afters(checkins)
    with_before = [rid for rid in befores if rid in run_ids]
    return Assembled(
        pairs=pairs,
        rest=rest_pairs(checkins, runs, [p.gap_s for p in pairs]),
        missing_after=sum(rid not in afters for rid in with_before),
        with_before=len(with_before),
        hr_rest=rest_hr,
        hr_max=max_hr,
        runs_by_id={int(r.id): r for r in runs if r.id is not None},
    )
