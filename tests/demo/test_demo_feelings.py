"""The feelings in the demo year behave like a real runner's: a lift, a harder season, gaps."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from innerpace.demo import DemoJournal, generate
from innerpace.demo.timeline import HOME
from innerpace.domain import CheckInKind, Sport
from innerpace.instruments import score

END = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo() -> DemoJournal:
    return generate(7, end=END)


def _lag1(values: np.ndarray) -> float:
    return float(np.corrcoef(values[:-1], values[1:])[0, 1])


@pytest.mark.parametrize("seed", [7, 11, 2024])
def test_the_lift_is_like_published_ones(seed: int) -> None:
    journal = generate(seed, end=END)
    pairs = np.array(journal.feeling_pairs(), dtype=float)
    pre, d = pairs[:, 1], pairs[:, 2] - pairs[:, 1]
    g = d.mean() / pre.std(ddof=1)
    assert 0.8 <= d.mean() <= 1.6
    assert 0.3 <= g <= 0.8
    assert 0.55 <= (d > 0).mean() <= 0.85
    assert np.polyfit(pre, d, 1)[0] < 0  # regression to the mean: low starts gain more
    befores = [
        c.item.response("fs").answers[0][1]  # type: ignore[union-attr]
        for c in journal.checkins
        if c.item.kind == CheckInKind.BEFORE
    ]
    assert _lag1(np.array(befores)) > 0.1


def test_some_check_ins_are_missing(demo: DemoJournal) -> None:
    runs = [i for i, r in enumerate(demo.runs) if r.sport == Sport.RUNNING]
    before = {c.run_index for c in demo.checkins if c.item.kind == CheckInKind.BEFORE}
    after = {c.run_index for c in demo.checkins if c.item.kind == CheckInKind.AFTER}
    assert 0.08 <= 1 - len(before) / len(runs) <= 0.22
    assert 0.04 <= 1 - len(after) / len(runs) <= 0.16
    assert (before | after) <= set(runs)


def test_after_check_ins_mostly_come_within_a_quarter_hour(demo: DemoJournal) -> None:
    delays = [c.item.delay_s for c in demo.checkins if c.item.kind == CheckInKind.AFTER]
    assert all(d is not None and 120 <= d <= 5400 for d in delays)
    assert 0.6 <= sum(d <= 900 for d in delays if d is not None) / len(delays) <= 0.9
    assert all(c.item.delay_s is None for c in demo.checkins if c.item.kind == CheckInKind.BEFORE)


def test_arousal_rises_after_runs(demo: DemoJournal) -> None:
    by_run: dict[int, dict[CheckInKind, float]] = {}
    for c in demo.checkins:
        fas = c.item.response("fas")
        assert fas is not None
        by_run.setdefault(c.run_index, {})[c.item.kind] = fas.answers[0][1]
    rises = [k[CheckInKind.AFTER] - k[CheckInKind.BEFORE] for k in by_run.values() if len(k) == 2]
    assert np.mean(rises) > 0.5


def test_rest_day_pairs_barely_change(demo: DemoJournal) -> None:
    rest = demo.rest_checkins
    firsts = [c for c in rest if c.kind == CheckInKind.REST_FIRST]
    seconds = [c for c in rest if c.kind == CheckInKind.REST_SECOND]
    assert 35 <= len(firsts) == len(seconds) <= 45
    run_days = {r.local_start.date() for r in demo.runs}
    d_rest = []
    for first, second in zip(firsts, seconds, strict=True):
        assert timedelta(minutes=30) <= second.at - first.at <= timedelta(hours=2)
        assert first.at.astimezone(HOME).date() not in run_days
        d_rest.append(second.responses[0].answers[0][1] - first.responses[0].answers[0][1])
    assert -0.6 <= np.mean(d_rest) <= 0.2


def test_the_harder_season_shows_in_mood_and_well_being(demo: DemoJournal) -> None:
    first, last = demo.hard_season
    assert 42 <= (last - first).days + 1 <= 56
    inside, outside = [], []
    for c in demo.checkins:
        if c.item.kind == CheckInKind.BEFORE:
            day = demo.runs[c.run_index].local_start.date()
            (inside if first <= day <= last else outside).append(c.item.responses[0].answers[0][1])
    assert np.mean(inside) < np.mean(outside) - 1
    scores = {w.at.date(): score(w.response) for w in demo.wellbeing}
    assert 42 <= len(scores) <= 50
    assert min(scores.values()) <= 50
    hard = [s for d, s in scores.items() if first <= d <= last + timedelta(days=7)]
    assert np.mean(hard) < np.mean(list(scores.values())) - 5
