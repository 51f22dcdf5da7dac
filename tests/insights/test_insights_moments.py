"""Resilience on low days, and where release comes along a run."""

from datetime import UTC, datetime

import numpy as np

from innerpace.domain import Moment, MomentStatus, Run
from innerpace.insights.phrasing import release_sentences, resilience_sentences
from innerpace.insights.release import km_span, release
from innerpace.insights.resilience import resilience

START = datetime(2026, 3, 1, 7, tzinfo=UTC)


def test_low_starts_are_counted_with_how_they_ended(sim):
    pairs = sim.pairs(np.random.default_rng(1), 40)
    result = resilience(pairs)
    lows = [p for p in pairs if p.pre <= -1]
    assert result.n_low == len(lows) > 3
    assert result.n_better == sum(p.post > p.pre for p in lows)
    assert result.typical_end == float(np.median([p.post for p in lows]))
    text = " ".join(resilience_sentences(result))
    assert f"{result.n_low} times you went out for a run feeling low" in text
    assert "streak" not in text and "in a row" not in text


def test_no_low_starts_is_said_plainly():
    result = resilience([])
    assert result.n_low == 0 and result.share_better is None
    assert resilience_sentences(result) == (
        "None of your runs with check-ins began below neutral.",
    )


def runs_by_id() -> dict[int, Run]:
    minutes = [30, 35, 40, 70, 75, 80, 85, 90]
    return {i: Run(start=START, duration_s=60 * m, id=i) for i, m in enumerate(minutes)}


def test_release_comes_at_a_typical_place_and_longer_runs_are_not_singled_out():
    moments = [
        Moment(run_id=3, at_s=40 * 60, at_m=6200, tags=("release",)),
        Moment(run_id=4, at_s=44 * 60, at_m=6900, tags=("release", "tears")),
        Moment(run_id=5, at_s=47 * 60, at_m=7400, tags=("release",)),
        Moment(run_id=6, at_s=50 * 60, at_m=7900, tags=("release",)),
        Moment(run_id=7, at_s=42 * 60, at_m=6600, tags=("release",)),
        Moment(run_id=0, at_s=5 * 60, at_m=900, tags=("struggle",)),
        Moment(run_id=1, at_s=10 * 60, at_m=1500, tags=("release",), status=MomentStatus.SUGGESTED),
    ]
    result = release(moments, runs_by_id())
    assert result.enough and result.n == 5
    assert km_span(result) == (6, 8)
    assert result.km_peak in (6, 7)
    (sentence,) = release_sentences(result)
    assert sentence.startswith("Release tends to come around km 6–8, about")
    assert "longer" not in sentence  # a longer run only has more minutes to mark one in


def test_release_needs_five_moments():
    moments = [Moment(run_id=3, at_s=600 * i, tags=("release",)) for i in range(1, 5)]
    result = release(moments, runs_by_id())
    assert not result.enough
    assert "(4 so far)" in release_sentences(result)[0]


def test_release_by_minute_only_when_no_distance_was_recorded():
    moments = [Moment(run_id=3, at_s=60 * m, tags=("release",)) for m in (30, 32, 35, 38, 40)]
    result = release(moments, runs_by_id())
    assert km_span(result) is None and result.minute_mid == 35
    assert "about 32–38 minutes in" in release_sentences(result)[0]
