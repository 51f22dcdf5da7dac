"""The demo year: deterministic, realistic in shape, built only from valid domain objects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.demo import DemoJournal, generate
from innerpace.demo.journal import HONEST_TITLE
from innerpace.demo.timeline import HOME
from innerpace.demo.words import THEMES
from innerpace.domain import CheckInKind, LapTrigger, MomentStatus, Setting, Sport
from innerpace.domain.feelings import MOMENT_TAGS
from innerpace.instruments import get_instrument

END = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo() -> DemoJournal:
    return generate(7, end=END)


def _plain(journal: DemoJournal) -> tuple:
    """The journal with each series as bytes (NaN never equals itself, bytes do)."""
    from dataclasses import replace

    series = tuple(
        None
        if r.series is None
        else tuple(getattr(r.series, c).tobytes() for c in r.series.__slots__)
        for r in journal.runs
    )
    return replace(journal, runs=tuple(replace(r, series=None) for r in journal.runs)), series


def test_the_same_seed_and_end_give_the_same_journal(demo: DemoJournal) -> None:
    assert _plain(generate(7, end=END)) == _plain(demo)


def test_another_seed_gives_another_journal(demo: DemoJournal) -> None:
    assert _plain(generate(8, end=END)) != _plain(demo)


def test_the_year_ends_on_the_given_day_and_spans_a_year(demo: DemoJournal) -> None:
    days = [r.local_start.date() for r in demo.runs]
    assert demo.last == END
    assert demo.first == END - timedelta(days=364)
    assert min(days) >= demo.first and max(days) <= END
    assert days == sorted(days)


def test_about_150_runs_two_to_five_a_week_with_natural_gaps(demo: DemoJournal) -> None:
    runs = [r for r in demo.runs if r.sport == Sport.RUNNING]
    assert len(runs) == 150
    per_week: dict[tuple[int, int], int] = {}
    for run in runs:
        per_week[run.local_start.isocalendar()[:2]] = (
            per_week.get(run.local_start.isocalendar()[:2], 0) + 1
        )
    assert max(per_week.values()) <= 5
    starts = sorted(r.local_start.date() for r in runs)
    gaps = sorted((b - a).days for a, b in zip(starts, starts[1:], strict=False))
    assert gaps[-1] >= 12 and gaps[-2] >= 10  # a sick fortnight and a holiday


def test_other_sports_are_there_so_filtering_matters(demo: DemoJournal) -> None:
    sports = [r.sport for r in demo.runs]
    assert sports.count(Sport.WALKING) >= 3
    assert 4 <= sports.count(Sport.CYCLING) <= 6
    assert sports.count(Sport.SWIMMING) == 1


def test_runs_look_like_runs(demo: DemoJournal) -> None:
    for run in (r for r in demo.runs if r.sport == Sport.RUNNING):
        assert 20 * 60 <= run.duration_s <= 100 * 60
        assert run.pace_s_per_km is not None and 5 * 60 <= run.pace_s_per_km <= 7.5 * 60
        if run.avg_hr is not None:
            assert 125 <= run.avg_hr <= 170 and run.max_hr is not None and run.max_hr <= 188
        if run.avg_cadence_spm is not None:
            assert 158 <= run.avg_cadence_spm <= 182
        if run.series is not None:
            assert len(run.series) > 0 and run.series.t_s[-1] == pytest.approx(
                run.duration_s, abs=3
            )
    trails = [r for r in demo.runs if r.setting == Setting.TRAIL and r.sport == Sport.RUNNING]
    assert trails and sum(r.elevation_gain_m or 0 for r in trails) / len(trails) > 40


def test_mostly_early_morning_or_evening_in_the_home_time_zone(demo: DemoJournal) -> None:
    runs = [r for r in demo.runs if r.sport == Sport.RUNNING]
    hours = [r.local_start.hour for r in runs]
    assert sum(h < 10 or h >= 17 for h in hours) / len(hours) > 0.8
    for run in demo.runs:
        assert run.utc_offset_min == run.start.astimezone(HOME).utcoffset().total_seconds() // 60
    assert {r.utc_offset_min for r in demo.runs} == {60, 120}  # winter and summer time


def test_devices_settings_and_company_vary(demo: DemoJournal) -> None:
    runs = [r for r in demo.runs if r.sport == Sport.RUNNING]
    assert {r.device for r in runs} >= {
        "garmin forerunner 255",
        "coros pace 3",
        "apple watch",
        None,
    }
    assert {r.source for r in runs} == {"fit", "gpx", "manual"}
    assert {r.setting for r in runs} == {
        Setting.ROAD,
        Setting.TRAIL,
        Setting.TRACK,
        Setting.TREADMILL,
    }
    alone = sum(r.company.value == "alone" for r in runs) / len(runs)
    assert 0.7 <= alone <= 0.95


def test_treadmill_runs_have_no_coordinates(demo: DemoJournal) -> None:
    treadmill = [r for r in demo.runs if r.setting == Setting.TREADMILL]
    assert treadmill
    assert all(r.series is None or not r.series.has_coordinates for r in treadmill)
    assert all(r.series is None for r in treadmill if r.source == "manual")
    outdoor = [r for r in demo.runs if r.source == "fit" and r.setting == Setting.ROAD]
    assert all(r.series is not None and r.series.has_coordinates for r in outdoor)


def test_auto_laps_and_manual_presses_become_suggested_moments(demo: DemoJournal) -> None:
    fit_runs = [r for r in demo.runs if r.source == "fit" and r.sport == Sport.RUNNING]
    assert all(any(lap.trigger == LapTrigger.DISTANCE for lap in r.laps) for r in fit_runs)
    for run in fit_runs:
        assert sum(lap.elapsed_s for lap in run.laps) == pytest.approx(run.duration_s, abs=2)
    pressed = [
        i
        for i, r in enumerate(demo.runs)
        if any(lap.trigger == LapTrigger.MANUAL for lap in r.laps)
    ]
    assert 0.2 <= len(pressed) / len(fit_runs) <= 0.45
    suggested = {m.run_index for m in demo.moments if m.item.status == MomentStatus.SUGGESTED}
    assert suggested == set(pressed)
    assert all(
        m.item.source == "lap" for m in demo.moments if m.item.status == MomentStatus.SUGGESTED
    )


def test_confirmed_moments_use_the_vocabulary_and_release_comes_late(demo: DemoJournal) -> None:
    confirmed = [m for m in demo.moments if m.item.status == MomentStatus.CONFIRMED]
    runs = [r for r in demo.runs if r.sport == Sport.RUNNING]
    assert 0.3 <= len({m.run_index for m in confirmed}) / len(runs) <= 0.5
    assert all(set(m.item.tags) <= set(MOMENT_TAGS) and m.item.tags for m in confirmed)
    assert all(m.item.run_id == m.run_index for m in demo.moments)
    release = [
        m.item.at_s for m in confirmed if "release" in m.item.tags or "clarity" in m.item.tags
    ]
    struggle = [m.item.at_s for m in confirmed if "struggle" in m.item.tags]
    assert release and struggle
    assert sorted(release)[len(release) // 2] > 30 * 60 > sorted(struggle)[len(struggle) // 2]
    assert any(m.item.note for m in confirmed)


def test_every_answer_is_valid_for_the_instrument_it_names(demo: DemoJournal) -> None:
    responses = [r for c in demo.checkins for r in c.item.responses]
    responses += [r for c in demo.rest_checkins for r in c.responses]
    responses += [w.response for w in demo.wellbeing]
    assert {r.instrument_id for r in responses} == {"fs", "fas", "who5"}
    for response in responses:
        instrument = get_instrument(response.instrument_id, response.instrument_version)
        assert instrument.response(dict(response.answers)) == response


def test_reflections_are_short_first_person_and_varied(demo: DemoJournal) -> None:
    reflections = [r.item for r in demo.run_reflections] + list(demo.day_reflections)
    assert 50 <= len(reflections) <= 70
    texts = [r.text for r in reflections]
    assert len(set(texts)) == len(texts)
    assert sum(" I " in f" {t} " or t.startswith(("I ", "My ")) for t in texts) / len(texts) > 0.6
    assert any(r.prompt_id == "after-what-surfaced" for r in reflections)
    assert all(r.day is not None and r.run_id is None for r in demo.day_reflections)
    for entry in demo.run_reflections:
        assert entry.item.created > demo.runs[entry.run_index].end
    for theme, sentences in THEMES.items():
        openings = [s.split("{")[0][:30] for s in sentences]
        assert sum(any(o in t for o in openings) for t in texts) >= 3, theme


def test_one_run_has_a_title_that_needs_escaping(demo: DemoJournal) -> None:
    names = [r.name for r in demo.runs]
    assert names.count(HONEST_TITLE) == 1
    assert not any("<script" in (n or "").lower() for n in names)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), runs=st.integers(30, 160))
def test_invariants_hold_for_any_seed(seed: int, runs: int) -> None:
    journal = generate(seed, end=END, runs=runs)
    assert sum(r.sport == Sport.RUNNING for r in journal.runs) == runs
    for entry in journal.checkins:
        run = journal.runs[entry.run_index]
        if entry.item.kind == CheckInKind.BEFORE:
            assert timedelta(minutes=5) <= run.start - entry.item.at <= timedelta(minutes=60)
        else:
            assert entry.item.delay_s is not None and 120 <= entry.item.delay_s <= 90 * 60
            assert entry.item.at == run.end + timedelta(seconds=entry.item.delay_s)
    for run in journal.runs:
        assert run.utc_offset_min in (60, 120)


@pytest.mark.parametrize("runs", [0, 500])
def test_an_impossible_number_of_runs_is_refused(runs: int) -> None:
    with pytest.raises(ValueError, match="runs"):
        generate(7, end=END, runs=runs)
