from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innerpace.guide import (
    BreathPattern,
    Segment,
    Session,
    get_session,
    list_sessions,
    plan_session,
)
from innerpace.guide.plan import FINAL_BELL_LEAD_S

SR = 44100


def breath_session(
    pattern: BreathPattern, minutes: float = 8, cue_minutes: float = 2, blocks: int = 1
) -> Session:
    segment = Segment("breath", minutes, pattern=pattern, cue_minutes=cue_minutes, blocks=blocks)
    return Session(
        id="breath-test",
        title="Breath test",
        minutes=minutes,
        description="Only breath cues.",
        segments=(segment,),
    )


patterns = st.builds(BreathPattern, st.integers(1, 6), st.integers(1, 6))
cadences = st.floats(120, 230, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(cadence=cadences, pattern=patterns, blocks=st.integers(1, 4))
def test_breath_onsets_are_integer_increasing_and_never_drift(cadence, pattern, blocks):
    plan = plan_session(breath_session(pattern, minutes=8 * blocks, blocks=blocks), cadence)
    inhales = plan.onsets("inhale")
    exhales = plan.onsets("exhale")
    assert len(inhales) == len(exhales) >= 2 * blocks
    assert all(isinstance(x, int) for x in inhales + exhales)
    both = sorted(inhales + exhales)
    assert all(b > a for a, b in zip(both, both[1:], strict=False))
    assert both == [x for pair in zip(inhales, exhales, strict=True) for x in pair]
    period = Fraction(pattern.steps * 60 * SR) / Fraction(cadence)
    step = Fraction(60 * SR) / Fraction(cadence)
    spans = plan.segments[0].blocks
    assert len(spans) == blocks
    for block_start, block_end in spans:
        block = [
            (i, e) for i, e in zip(inhales, exhales, strict=True) if block_start <= i < block_end
        ]
        assert block[0][0] == block_start
        for k, (i, e) in enumerate(block):
            assert abs(i - block_start - k * period) <= 0.5
            assert abs(e - block_start - k * period - pattern.inhale * step) <= 0.5
            assert abs((e - i) - pattern.inhale * step) <= 1
        assert 60 * SR - period <= block_end - block_start <= 2 * 60 * SR


@settings(max_examples=25, deadline=None)
@given(cadence=cadences, minutes=st.floats(1, 90, allow_nan=False))
def test_any_built_in_session_scales_to_any_length(cadence, minutes):
    for session in list_sessions():
        plan = plan_session(session, cadence, minutes)
        assert plan.total_samples == round(Fraction(minutes) * 60 * SR)
        assert plan.segments[0].start == 0
        assert plan.segments[-1].end == plan.total_samples
        for seg, nxt in zip(plan.segments, plan.segments[1:], strict=False):
            assert seg.end == nxt.start
        onsets = [c.onset for c in plan.cues]
        assert onsets == sorted(onsets)
        assert all(0 <= x < plan.total_samples for x in onsets)


@pytest.mark.parametrize("cadence", [100, 119.9, 230.1, 240, float("nan"), "fast"])
def test_a_cadence_outside_120_to_230_is_refused_plainly(cadence):
    with pytest.raises(ValueError, match="steps per minute"):
        plan_session(get_session("hard-day"), cadence)


@pytest.mark.parametrize("minutes", [0, 0.5, -3, 1000, float("inf")])
def test_minutes_out_of_range_are_refused(minutes):
    with pytest.raises(ValueError, match="Minutes"):
        plan_session(get_session("hard-day"), 170, minutes)


def test_scaling_keeps_segment_proportions_and_bells_at_segment_starts():
    session = get_session("body-scan")
    plan = plan_session(session, 170, minutes=10)
    assert plan.total_samples == 10 * 60 * SR
    for seg, planned in zip(session.segments, plan.segments, strict=True):
        share = (planned.end - planned.start) / plan.total_samples
        assert share == pytest.approx(seg.minutes / session.minutes, abs=1e-6)
    bells = plan.onsets("bell")
    assert bells[:-1] == [s.start for s in plan.segments]
    assert bells[-1] == plan.total_samples - FINAL_BELL_LEAD_S * SR


def test_breath_cues_come_in_a_short_block_that_fades():
    plan = plan_session(get_session("breathe-3-2"), 170)
    breath = [s for s in plan.segments if s.kind == "breath"]
    for seg in breath:
        for start, end in seg.blocks:
            assert 60 * SR <= end - start <= 2 * 60 * SR
            gains = [c.gain for c in plan.cues if c.kind == "inhale" and start <= c.onset < end]
            assert gains[0] == 1.0
            assert gains[-1] < 0.2
            assert all(b <= a for a, b in zip(gains, gains[1:], strict=False))
            assert sum(g == 1.0 for g in gains) >= len(gains) // 2


def test_most_of_every_session_has_no_breath_cues():
    for session in list_sessions():
        plan = plan_session(session, 175)
        cued = sum(end - start for s in plan.segments for start, end in s.blocks)
        assert cued <= 0.25 * plan.total_samples, session.id


def test_at_170_steps_per_minute_3_2_is_about_1_06_s_in_and_0_71_s_out():
    plan = plan_session(breath_session(BreathPattern(3, 2)), 170)
    inhale, exhale = plan.onsets("inhale"), plan.onsets("exhale")
    assert (exhale[0] - inhale[0]) / SR == pytest.approx(1.0588, abs=1e-3)
    assert (inhale[1] - exhale[0]) / SR == pytest.approx(0.7059, abs=1e-3)
    assert plan.step_s == pytest.approx(60 / 170)


def test_step_ticks_fall_on_every_step():
    plan = plan_session(get_session("breathe-3-2"), 180)
    ticks = plan.onsets("tick")
    assert ticks
    step = 60 * SR / 180
    gaps = {b - a for a, b in zip(ticks, ticks[1:], strict=False) if b - a < 2 * step}
    assert gaps <= {int(step), int(step) + 1}
    assert set(plan.onsets("inhale")) & set(ticks)


def test_planning_is_pure_and_repeatable():
    session = get_session("noting")
    assert plan_session(session, 172.5, 12) == plan_session(session, 172.5, 12)
