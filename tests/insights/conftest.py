"""Simulated runners with a known truth, as domain objects or as ready-made pairs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from innerpace.domain import CheckIn, CheckInKind, Company, Run, Setting, WellbeingCheck
from innerpace.insights.data import RestPair, RunPair
from innerpace.insights.noise import ar1 as ar1_noise
from innerpace.insights.noise import fs
from innerpace.instruments import get_instrument

T0 = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def simulate_pairs(
    rng: np.random.Generator,
    n: int,
    *,
    lift: float = 1.2,
    duration_effect: float = 0.0,
    bad_day_extra: float = 0.0,
    phi: float = 0.3,
) -> list[RunPair]:
    """Runs whose post feeling is mood + lift (+ an optional real effect) + AR(1) noise."""
    minutes = np.exp(rng.uniform(np.log(20), np.log(90), n))
    hrr = rng.uniform(0.5, 0.85, n)
    tod = rng.choice(["morning", "afternoon", "evening"], n)
    company = rng.choice(["alone", "with-others"], n, p=[0.7, 0.3])
    setting = rng.choice(["outdoors", "indoors"], n, p=[0.75, 0.25])
    delay = rng.uniform(60, 1800, n)
    mood = rng.normal(0, 1.5, n)
    noise = ar1_noise(rng, 1, n, phi, 1.0)[0]
    pre = fs(mood + rng.normal(0, 0.8, n))
    post = fs(mood + lift + duration_effect * np.log2(minutes / 40) - bad_day_extra * mood + noise)
    return [
        RunPair(
            run_id=i,
            index=i,
            start=T0 + timedelta(days=i),
            local_day=(T0 + timedelta(days=i)).date(),
            pre=float(pre[i]),
            post=float(post[i]),
            delay_s=float(delay[i]),
            duration_s=float(minutes[i] * 60),
            pct_hrr=float(hrr[i]),
            time_of_day=str(tod[i]),
            company=str(company[i]),
            setting=str(setting[i]),
        )
        for i in range(n)
    ]


def simulate_rest(rng: np.random.Generator, n: int) -> list[RestPair]:
    """Rest days measured exactly like runs, without the run: only time passes."""
    mood = rng.normal(0, 1.5, n)
    first = fs(mood + rng.normal(0, 0.8, n))
    second = fs(mood + ar1_noise(rng, 1, n, 0.3, 1.0)[0])
    return [
        RestPair(at=T0 + timedelta(days=i, hours=12), first=float(a), second=float(b))
        for i, (a, b) in enumerate(zip(first, second, strict=True))
    ]


def feeling_checkin(
    at: datetime, kind: CheckInKind, value: float, run_id: int | None = None, **kw
) -> CheckIn:
    response = get_instrument("fs").response({"feeling": int(value)})
    return CheckIn(at, kind, (response,), run_id=run_id, **kw)


def journal_of(
    pre: Sequence[float],
    post: Sequence[float],
    *,
    minutes: Sequence[float] | None = None,
    company: Sequence[Company] | None = None,
    setting: Sequence[Setting] | None = None,
) -> tuple[list[Run], list[CheckIn]]:
    """Runs every other day, each with a check-in before and after."""
    runs, checkins = [], []
    for i, (a, b) in enumerate(zip(pre, post, strict=True)):
        start = T0 + timedelta(days=2 * i)
        run = Run(
            start=start,
            duration_s=60 * (minutes[i] if minutes is not None else 40),
            utc_offset_min=60,
            avg_hr=140 + (i % 7),
            max_hr=170 + (i % 9),
            company=company[i] if company is not None else Company.ALONE,
            setting=setting[i] if setting is not None else Setting.ROAD,
            id=100 + i,
        )
        runs.append(run)
        checkins.append(
            feeling_checkin(start - timedelta(minutes=5), CheckInKind.BEFORE, a, run.id)
        )
        checkins.append(
            feeling_checkin(
                run.end + timedelta(minutes=8), CheckInKind.AFTER, b, run.id, delay_s=480
            )
        )
    return runs, checkins


def who5_check(at: datetime, *items: int) -> WellbeingCheck:
    names = ("cheerful", "calm", "active", "rested", "interested")
    response = get_instrument("who5").response(dict(zip(names, items, strict=True)))
    return WellbeingCheck(at=at, response=response)


@pytest.fixture
def sim() -> type:
    """The simulation helpers, as a namespace."""

    class Sim:
        ar1 = staticmethod(ar1_noise)
        pairs = staticmethod(simulate_pairs)
        rest = staticmethod(simulate_rest)
        journal = staticmethod(journal_of)
        checkin = staticmethod(feeling_checkin)
        who5 = staticmethod(who5_check)
        start = T0

    return Sim
