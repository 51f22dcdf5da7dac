"""When things happen in the demo year: run days, rest days, gaps, time of day, kit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from innerpace.domain import Company, Setting, Sport

HOME = ZoneInfo("Europe/Berlin")
DAYS = 365

GARMIN = ("garmin forerunner 255", "fit")
COROS = ("coros pace 3", "fit")
APPLE = ("apple watch", "gpx")
MANUAL = (None, "manual")

# How much the runner likes each weekday for a run (Monday first).
_WEEKDAY_WEIGHT = (0.8, 1.3, 0.9, 1.3, 0.6, 0.7, 0.5)


@dataclass(frozen=True, slots=True)
class Span:
    """Whole days ``first`` to ``last`` inclusive."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned activity: its local start, what it is, and how it is recorded."""

    local_start: datetime
    sport: Sport
    effort: str  # easy, steady, hard, long (or "easy" for other sports)
    setting: Setting
    company: Company
    device: str | None
    source: str

    @property
    def start(self) -> datetime:
        return self.local_start.astimezone(UTC)

    @property
    def utc_offset_min(self) -> int:
        offset = self.local_start.utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0


@dataclass(frozen=True, slots=True)
class Year:
    """The shape of the demo year."""

    first: date
    last: date
    sick: Span
    holiday: Span
    hard: Span
    new_watch: date
    slots: tuple[Slot, ...]
    rest_days: tuple[datetime, ...]  # local start of each rest-day pair

    def day_index(self, day: date) -> int:
        return (day - self.first).days


def local(day: date, hour: float) -> datetime:
    """``day`` at ``hour`` (fractional) on the runner's clock, with the right offset."""
    minutes = int(round(hour * 60))
    clock = time(minutes // 60 % 24, minutes % 60)
    return datetime.combine(day, clock, tzinfo=HOME)


def _span(first: date, start: int, length: int) -> Span:
    return Span(first + timedelta(days=start), first + timedelta(days=start + length - 1))


def _weekly_quotas(rng: np.random.Generator, weeks: list[list[date]], runs: int) -> list[int]:
    quotas = [min(2, len(days) // 2) for days in weeks]
    caps = [min(5, len(days)) for days in weeks]
    remaining = runs - sum(quotas)
    while remaining > 0:
        open_weeks = [i for i, q in enumerate(quotas) if q < caps[i]]
        if not open_weeks:
            break
        weights = np.array([1.0 / (1 + quotas[i]) ** 1.5 for i in open_weeks])
        quotas[open_weeks[rng.choice(len(open_weeks), p=weights / weights.sum())]] += 1
        remaining -= 1
    while remaining < 0:
        busy = [i for i, q in enumerate(quotas) if q > 0]
        quotas[busy[rng.integers(len(busy))]] -= 1
        remaining += 1
    return quotas


def _pick_days(rng: np.random.Generator, days: list[date], quota: int) -> list[tuple[date, bool]]:
    """Choose ``quota`` run days in one week; the first weekend pick is the long run."""
    chosen: list[tuple[date, bool]] = []
    weekend = [d for d in days if d.weekday() >= 5]
    if quota >= 2 and weekend:
        sunday = [d for d in weekend if d.weekday() == 6]
        long_day = sunday[0] if sunday and rng.random() < 0.7 else weekend[0]
        chosen.append((long_day, True))
    while len(chosen) < quota:
        taken = {d for d, _ in chosen}
        free = [d for d in days if d not in taken]
        weights = np.array(
            [
                _WEEKDAY_WEIGHT[d.weekday()]
                * (0.25 if any(abs((d - t).days) == 1 for t in taken) else 1.0)
                for d in free
            ]
        )
        chosen.append((free[rng.choice(len(free), p=weights / weights.sum())], False))
    return sorted(chosen)


def _run_slot(rng: np.random.Generator, day: date, long_run: bool, year: Year) -> Slot:
    winter = day.month in (12, 1, 2)
    in_hard = day in year.hard
    if long_run:
        effort = "long"
        hour = rng.uniform(7.5, 10.0)
    else:
        effort = str(
            rng.choice(
                ["easy", "steady", "hard"], p=[0.75, 0.2, 0.05] if in_hard else [0.6, 0.25, 0.15]
            )
        )
        part = rng.choice(3, p=[0.55, 0.35, 0.10])
        hour = (rng.uniform(6.0, 7.5), rng.uniform(17.5, 20.0), rng.uniform(12.0, 13.0))[part]
    evening = hour >= 17
    if effort == "long":
        setting = Setting.TRAIL if rng.random() < 0.55 else Setting.ROAD
    elif effort == "hard":
        setting = Setting.TRACK if rng.random() < 0.6 else Setting.ROAD
    else:
        p_treadmill = (0.35 if winter else 0.03) * (1.4 if evening else 1.0)
        u = rng.random()
        if u < p_treadmill:
            setting = Setting.TREADMILL
        elif u < p_treadmill + 0.13:
            setting = Setting.TRAIL
        else:
            setting = Setting.ROAD
    together = 0.6 if (day.weekday() == 3 and evening) else 0.4 if effort == "hard" else 0.1
    if setting == Setting.TREADMILL:
        together = 0.0
    company = Company.WITH_OTHERS if rng.random() < together else Company.ALONE
    if setting == Setting.TREADMILL:
        device, source = MANUAL if rng.random() < 0.5 else GARMIN if day < year.new_watch else COROS
    elif rng.random() < 0.12:
        device, source = APPLE
    else:
        device, source = GARMIN if day < year.new_watch else COROS
    return Slot(local(day, hour), Sport.RUNNING, effort, setting, company, device, source)


def _other_slots(rng: np.random.Generator, year: Year, taken: set[date], runs: int) -> list[Slot]:
    """Walks, rides and a swim: enough that filtering by sport matters."""
    scale = runs / 150
    all_days = [year.first + timedelta(days=i) for i in range(DAYS)]
    free = [d for d in all_days if d not in taken and d not in year.sick]
    slots: list[Slot] = []
    holiday = [d for d in free if d in year.holiday]
    summer = [
        d for d in free if d.month in (5, 6, 7, 8, 9) and d.weekday() >= 5 and d not in holiday
    ]
    n_walks, n_rides = max(1, round(8 * scale)), max(1, round(5 * scale))
    walk_days = list(rng.choice(holiday, size=min(3, len(holiday), n_walks), replace=False))
    rest = [d for d in free if d not in holiday]
    walk_days += list(rng.choice(rest, size=n_walks - len(walk_days), replace=False))
    for day in walk_days:
        slots.append(
            Slot(
                local(day, rng.uniform(16.0, 19.0)),
                Sport.WALKING,
                "easy",
                Setting.TRAIL,
                Company.WITH_OTHERS if rng.random() < 0.5 else Company.ALONE,
                *APPLE,
            )
        )
    ride_pool = [d for d in (summer or rest) if d not in walk_days]
    for day in rng.choice(ride_pool, size=min(len(ride_pool), n_rides), replace=False):
        device = GARMIN if day < year.new_watch else COROS
        slots.append(
            Slot(
                local(day, rng.uniform(9.0, 11.0)),
                Sport.CYCLING,
                "easy",
                Setting.ROAD,
                Company.ALONE,
                *device,
            )
        )
    swim_pool = [d for d in holiday if d not in walk_days] or rest
    day = swim_pool[rng.integers(len(swim_pool))]
    device = GARMIN if day < year.new_watch else COROS
    slots.append(
        Slot(
            local(day, rng.uniform(10.0, 12.0)),
            Sport.SWIMMING,
            "easy",
            Setting.INDOOR,
            Company.ALONE,
            *device,
        )
    )
    return slots


def plan_year(rng: np.random.Generator, end: date, runs: int) -> Year:
    """Lay out the year ending on ``end``: gaps, a harder season, and every planned activity."""
    first = end - timedelta(days=DAYS - 1)
    sick = _span(first, int(rng.integers(40, 80)), int(rng.integers(12, 17)))
    hard_start = int(rng.integers(150, 176))
    hard_len = int(rng.integers(42, 57))
    hard = _span(first, hard_start, hard_len)
    holiday = _span(
        first,
        min(330, hard_start + hard_len + int(rng.integers(14, 30))),
        int(rng.integers(11, 16)),
    )
    new_watch = first + timedelta(days=int(rng.integers(190, 230)))
    skeleton = Year(first, end, sick, holiday, hard, new_watch, (), ())

    weeks: list[list[date]] = []
    for i in range(DAYS):
        day = first + timedelta(days=i)
        if not weeks or day.weekday() == 0:
            weeks.append([])
        if day not in sick and day not in holiday:
            weeks[-1].append(day)
    quotas = _weekly_quotas(rng, weeks, runs)
    run_days = [
        pick for days, q in zip(weeks, quotas, strict=True) for pick in _pick_days(rng, days, q)
    ]
    slots = [_run_slot(rng, day, long_run, skeleton) for day, long_run in run_days]
    taken = {day for day, _ in run_days}
    slots += _other_slots(rng, skeleton, taken, runs)
    slots.sort(key=lambda s: s.local_start)

    busy = {s.local_start.date() for s in slots} | {d for d in taken}
    candidates = [
        first + timedelta(days=i)
        for i in range(DAYS)
        if first + timedelta(days=i) not in busy and first + timedelta(days=i) not in sick
    ]
    n_rest = min(len(candidates), max(2, round(40 * runs / 150)))
    rest_picks = sorted(rng.choice(len(candidates), size=n_rest, replace=False))
    rest_days = tuple(
        local(
            candidates[i], rng.uniform(6.0, 7.5) if rng.random() < 0.55 else rng.uniform(17.5, 20.0)
        )
        for i in rest_picks
    )
    return Year(first, end, sick, holiday, hard, new_watch, tuple(slots), rest_days)
