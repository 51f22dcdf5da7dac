"""The statistical model of feelings: a mood that drifts, runs that lift it, rest days that don't.

Pre-run Feeling Scale values follow an AR(1) process around a slowly varying mean with a harder
season. The lift after a run shows regression to the mean (a low start gains more), is a little
bigger for longer and outdoor runs, smaller for hard efforts, and fades with the delay before the
after check-in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from innerpace.demo.timeline import DAYS, Year
from innerpace.domain import Setting

PHI = 0.4  # lag-1 autocorrelation of the day-to-day wobble
WOBBLE_SD = 1.8  # FS points


@dataclass(frozen=True, slots=True)
class Feelings:
    """Feeling Scale and Felt Arousal around one run (None when the check-in was skipped)."""

    pre: int | None
    post: int | None
    pre_arousal: int | None
    post_arousal: int | None
    before_min: float  # minutes before the start
    delay_s: float  # seconds after the end


def baseline(year: Year, day: date) -> float:
    """The slowly varying mean mood on ``day`` (Feeling Scale points)."""
    i = year.day_index(day)
    seasonal = 0.45 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 200) / 365)
    hard_mid = year.day_index(year.hard.first) + (year.hard.last - year.hard.first).days / 2
    half = (year.hard.last - year.hard.first).days / 2
    dip = 0.0
    distance = abs(i - hard_mid)
    if distance <= half:
        dip = 2.5
    elif distance <= half + 10:
        dip = 2.5 * 0.5 * (1 + math.cos(math.pi * (distance - half) / 10))
    return 1.1 + seasonal - dip


def _clip(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def _delay_s(rng: np.random.Generator) -> float:
    minutes = 2 + rng.exponential(5.0) if rng.random() < 0.8 else rng.uniform(15, 90)
    return round(min(minutes, 90.0) * 60)


def _before_min(rng: np.random.Generator) -> float:
    if rng.random() < 0.85:
        return round(min(60.0, 5 + rng.exponential(10.0)), 1)
    return round(rng.uniform(20, 60), 1)


def run_feelings(
    rng: np.random.Generator,
    year: Year,
    runs: list[tuple[date, float, Setting, str, bool]],
) -> list[Feelings]:
    """Feelings for each run in order: ``(day, duration_s, setting, effort, morning)``."""
    out: list[Feelings] = []
    wobble = rng.normal(0, WOBBLE_SD)
    for day, duration_s, setting, effort, morning in runs:
        wobble = PHI * wobble + math.sqrt(1 - PHI**2) * rng.normal(0, WOBBLE_SD)
        mean = baseline(year, day)
        pre_c = mean + wobble
        delay = _delay_s(rng)
        lift = (
            0.95
            + 0.3 * (mean - pre_c)
            + 0.35 * math.log(duration_s / 2700)
            + (0.2 if setting in (Setting.ROAD, Setting.TRAIL, Setting.TRACK) else -0.2)
            - (0.6 if effort == "hard" else 0.0)
            + rng.normal(0, 0.85)
        )
        lift *= 0.65 + 0.35 * math.exp(-delay / 1800)
        pre, post = _clip(pre_c, -5, 5), _clip(pre_c + lift, -5, 5)
        a_pre = _clip(2.9 - (0.5 if morning else 0.0) + rng.normal(0, 0.8), 1, 6)
        a_post = _clip(a_pre + 0.9 + (0.8 if effort == "hard" else 0.0) + rng.normal(0, 0.7), 1, 6)
        skip_before, skip_after = rng.random() < 0.15, rng.random() < 0.10
        out.append(
            Feelings(
                pre=None if skip_before else pre,
                post=None if skip_after else post,
                pre_arousal=None if skip_before else a_pre,
                post_arousal=None if skip_after else a_post,
                before_min=_before_min(rng),
                delay_s=delay,
            )
        )
    return out


def rest_feelings(
    rng: np.random.Generator, year: Year, days: list[date]
) -> list[tuple[int, int, int, int]]:
    """(first FS, second FS, first arousal, second arousal) for each rest-day pair."""
    out = []
    for day in days:
        mean = baseline(year, day)
        first_c = mean + rng.normal(0, WOBBLE_SD)
        change = -0.15 + 0.1 * (mean - first_c) + rng.normal(0, 0.75)
        a1 = _clip(2.8 + rng.normal(0, 0.8), 1, 6)
        a2 = _clip(a1 + rng.normal(-0.1, 0.6), 1, 6)
        out.append((_clip(first_c, -5, 5), _clip(first_c + change, -5, 5), a1, a2))
    return out


def who5_weeks(rng: np.random.Generator, year: Year) -> list[tuple[date, dict[str, int]]]:
    """Weekly WHO-5 answers (Sundays, about 45 of 52 weeks) tracking the two weeks' mean mood."""
    sundays = [
        year.first + timedelta(days=i)
        for i in range(DAYS)
        if (year.first + timedelta(days=i)).weekday() == 6
    ]
    sundays = [d for d in sundays if (d - year.first).days >= 13]
    skip_p = np.array([0.6 if d in year.holiday or d in year.sick else 0.05 for d in sundays])
    answered = [d for d, p in zip(sundays, skip_p, strict=True) if rng.random() >= p]
    bias = {"cheerful": 0.0, "calm": -0.1, "active": 0.35, "rested": -0.45, "interested": 0.15}
    weeks = []
    for day in answered:
        mood = float(np.mean([baseline(year, day - timedelta(days=k)) for k in range(14)]))
        if day - timedelta(days=10) in year.sick or day in year.sick:
            mood -= 0.6
        level = 3.2 + 0.45 * (mood - 1.1) + rng.normal(0, 0.2)
        items = {item: _clip(level + b + rng.normal(0, 0.45), 0, 5) for item, b in bias.items()}
        weeks.append((day, items))
    return weeks
