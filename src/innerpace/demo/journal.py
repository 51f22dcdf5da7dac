"""The demo year as pure domain objects: :func:`generate`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Generic, TypeVar

import numpy as np

from innerpace.demo import moments as moment_model
from innerpace.demo import mood, words
from innerpace.demo.timeline import HOME, Year, local, plan_year
from innerpace.demo.tracks import Recording, record
from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Moment,
    Reflection,
    Run,
    Setting,
    Sport,
    WellbeingCheck,
)
from innerpace.instruments import get_instrument

T = TypeVar("T")
HONEST_TITLE = "Hills & headwind <3"


@dataclass(frozen=True, slots=True)
class OnRun(Generic[T]):
    """Something that belongs to ``runs[run_index]`` of a :class:`DemoJournal`."""

    run_index: int
    item: T


@dataclass(frozen=True, slots=True)
class DemoJournal:
    """A year of one runner's journal. Nothing has an id yet; runs are referred to by index.

    A moment's ``run_id`` holds the same index as its wrapper until it is stored.
    """

    first: date
    last: date
    hard_season: tuple[date, date]
    runs: tuple[Run, ...]
    checkins: tuple[OnRun[CheckIn], ...]
    rest_checkins: tuple[CheckIn, ...]
    moments: tuple[OnRun[Moment], ...]
    run_reflections: tuple[OnRun[Reflection], ...]
    day_reflections: tuple[Reflection, ...]
    wellbeing: tuple[WellbeingCheck, ...]

    def feeling_pairs(self) -> list[tuple[int, int, int]]:
        """``(run_index, pre, post)`` on the Feeling Scale for runs with both check-ins."""
        found: dict[int, dict[CheckInKind, int]] = {}
        for entry in self.checkins:
            fs = entry.item.response("fs")
            if fs is not None:
                found.setdefault(entry.run_index, {})[entry.item.kind] = int(fs.answers[0][1])
        return [
            (i, kinds[CheckInKind.BEFORE], kinds[CheckInKind.AFTER])
            for i, kinds in sorted(found.items())
            if CheckInKind.BEFORE in kinds and CheckInKind.AFTER in kinds
        ]


def _phase(year: Year, day: date) -> str:
    if day < year.hard.first:
        return "before"
    return "hard" if day in year.hard else "after"


def _answers(fs: int, arousal: int) -> tuple:
    return (
        get_instrument("fs").response({"feeling": fs}),
        get_instrument("fas").response({"arousal": arousal}),
    )


def _checkins(rng: np.random.Generator, year: Year, recs: list[Recording], run_idx: list[int]):
    facts = [
        (
            recs[i].run.local_start.date(),
            recs[i].run.duration_s,
            recs[i].run.setting,
            year.slots[i].effort,
            recs[i].run.local_start.hour < 11,
        )
        for i in run_idx
    ]
    found: list[OnRun[CheckIn]] = []
    for i, felt in zip(run_idx, mood.run_feelings(rng, year, facts), strict=True):
        run = recs[i].run
        phase = _phase(year, run.local_start.date())
        if felt.pre is not None and felt.pre_arousal is not None:
            note = words.carrying_note(rng, phase) if rng.random() < 0.2 else None
            at = run.start - timedelta(minutes=felt.before_min)
            found.append(
                OnRun(
                    i,
                    CheckIn(
                        at, CheckInKind.BEFORE, _answers(felt.pre, felt.pre_arousal), note=note
                    ),
                )
            )
        if felt.post is not None and felt.post_arousal is not None:
            at = run.end + timedelta(seconds=felt.delay_s)
            answers = _answers(felt.post, felt.post_arousal)
            found.append(OnRun(i, CheckIn(at, CheckInKind.AFTER, answers, delay_s=felt.delay_s)))
    return found


def _rest_checkins(rng: np.random.Generator, year: Year) -> list[CheckIn]:
    found = []
    answers = mood.rest_feelings(rng, year, [d.date() for d in year.rest_days])
    for start, (first, second, a1, a2) in zip(year.rest_days, answers, strict=True):
        gap = timedelta(minutes=float(rng.uniform(50, 100)))
        found.append(CheckIn(start, CheckInKind.REST_FIRST, _answers(first, a1)))
        found.append(CheckIn(start + gap, CheckInKind.REST_SECOND, _answers(second, a2)))
    return found


def _fresh(seen: set[str], write: Callable[[], str]) -> str:
    """A text not written before (people rarely repeat themselves word for word)."""
    text = write()
    for _ in range(20):
        if text not in seen:
            break
        text = write()
    seen.add(text)
    return text


def _reflections(
    rng: np.random.Generator,
    year: Year,
    recs: list[Recording],
    run_idx: list[int],
    weights: np.ndarray,
    total: int,
):
    n_day = max(1, round(total * 0.2))
    n_run = min(len(run_idx), total - n_day)
    chosen = sorted(rng.choice(len(run_idx), size=n_run, replace=False, p=weights / weights.sum()))
    seen: set[str] = set()
    on_runs = []
    for k in chosen:
        i = run_idx[k]
        run = recs[i].run
        day = run.local_start.date()
        phase = _phase(year, day)
        prompt = None
        if rng.random() < 0.3:
            pool = words.PROMPTS_HARD if phase == "hard" else words.PROMPTS_AFTER
            prompt = pool[rng.integers(len(pool))]
        created = run.end + timedelta(minutes=float(rng.uniform(10, 180)))
        text = _fresh(seen, partial(words.reflection_text, rng, phase, day, on_run=True))
        on_runs.append(OnRun(i, Reflection(text=text, created=created, prompt_id=prompt)))
    days = [d.date() for d in year.rest_days]
    day_picks = sorted(rng.choice(len(days), size=min(n_day, len(days)), replace=False))
    on_days = []
    for k in day_picks:
        day = days[k]
        created = local(day, float(rng.uniform(21.0, 22.5))).astimezone(UTC)
        prompt = words.PROMPT_REST if rng.random() < 0.4 else None
        text = _fresh(
            seen, partial(words.reflection_text, rng, _phase(year, day), day, on_run=False)
        )
        on_days.append(Reflection(text=text, created=created, day=day, prompt_id=prompt))
    return on_runs, on_days


def _wellbeing(rng: np.random.Generator, year: Year) -> list[WellbeingCheck]:
    who5 = get_instrument("who5")
    return [
        WellbeingCheck(at=local(day, float(rng.uniform(19.5, 21.5))), response=who5.response(items))
        for day, items in mood.who5_weeks(rng, year)
    ]


def _with_honest_title(recs: list[Recording]) -> list[Recording]:
    hills = [
        i
        for i, r in enumerate(recs)
        if r.run.sport == Sport.RUNNING
        and r.run.setting == Setting.TRAIL
        and r.run.elevation_gain_m
    ]
    if not hills:
        return recs
    best = max(hills, key=lambda i: recs[i].run.elevation_gain_m or 0.0)
    recs = list(recs)
    recs[best] = replace(recs[best], run=replace(recs[best].run, name=HONEST_TITLE))
    return recs


def generate(seed: int = 7, *, end: date | None = None, runs: int = 150) -> DemoJournal:
    """The demo year ending on ``end`` (default: today, UTC): same seed and end, same journal."""
    if not 1 <= runs <= 220:
        raise ValueError(f"the demo year holds 1 to 220 runs, not {runs}")
    last = end or datetime.now(UTC).date()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    plan, tracks, feel, places, text, weekly = streams
    year = plan_year(plan, last, runs)
    recs = _with_honest_title([record(tracks, slot) for slot in year.slots])
    run_idx = [i for i, r in enumerate(recs) if r.run.sport == Sport.RUNNING]

    checkins = _checkins(feel, year, recs, run_idx)
    rest = _rest_checkins(feel, year)

    moments: list[OnRun[Moment]] = []
    for i, rec in enumerate(recs):
        day = rec.run.local_start.date()
        phase = _phase(year, day)
        for m in moment_model.run_moments(places, i, rec, phase == "hard", phase == "after"):
            moments.append(OnRun(i, m))

    with_moments = {m.run_index for m in moments if m.item.tags}
    weights = np.array([3.0 if i in with_moments else 1.0 for i in run_idx])
    on_runs, on_days = _reflections(
        text, year, recs, run_idx, weights, max(2, round(60 * runs / 150))
    )

    return DemoJournal(
        first=year.first,
        last=year.last,
        hard_season=(year.hard.first, year.hard.last),
        runs=tuple(r.run for r in recs),
        checkins=tuple(checkins),
        rest_checkins=tuple(rest),
        moments=tuple(moments),
        run_reflections=tuple(on_runs),
        day_reflections=tuple(on_days),
        wellbeing=tuple(_wellbeing(weekly, year)),
    )


__all__ = ["HOME", "DemoJournal", "OnRun", "generate"]
