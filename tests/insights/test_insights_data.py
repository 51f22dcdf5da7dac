"""Assembling pairs from plain domain objects."""

from datetime import UTC, datetime, timedelta

import pytest

from innerpace.domain import CheckInKind, Company, Run, Setting
from innerpace.insights.data import assemble, estimate_hr_max, pct_hrr, rest_pairs, time_of_day


def test_each_run_with_both_check_ins_becomes_a_pair(sim):
    runs, checkins = sim.journal([-1, 2, 0], [2, 3, 1], minutes=[30, 60, 45])
    data = assemble(runs, checkins)
    assert [(p.pre, p.post, p.d) for p in data.pairs] == [(-1, 2, 3), (2, 3, 1), (0, 1, 1)]
    assert [p.index for p in data.pairs] == [0, 1, 2]
    assert [p.duration_s for p in data.pairs] == [1800, 3600, 2700]
    assert data.pairs[0].delay_s == 480
    assert data.pairs[0].time_of_day == "morning"  # 07:00 UTC is 08:00 on the runner's clock
    assert (data.pairs[0].company, data.pairs[0].setting) == ("alone", "outdoors")


def test_a_run_missing_a_check_in_is_left_out(sim):
    runs, checkins = sim.journal([0, 1], [1, 2])
    without_after = [c for c in checkins if not (c.run_id == runs[1].id and c.kind == "after")]
    assert [p.run_id for p in assemble(runs, without_after).pairs] == [runs[0].id]


def test_the_delay_is_taken_from_the_clock_when_not_stored(sim):
    runs, _ = sim.journal([0], [1])
    before = sim.checkin(runs[0].start - timedelta(minutes=3), CheckInKind.BEFORE, 0, runs[0].id)
    after = sim.checkin(runs[0].end + timedelta(minutes=12), CheckInKind.AFTER, 2, runs[0].id)
    assert assemble(runs, [before, after]).pairs[0].delay_s == 720


def test_hr_max_is_estimated_from_the_runs_and_hr_rest_defaults_to_sixty(sim):
    runs, checkins = sim.journal([0] * 5, [1] * 5)
    data = assemble(runs, checkins)
    assert data.hr_rest == 60
    assert data.hr_max == pytest.approx(estimate_hr_max(runs))
    assert 170 <= data.hr_max <= 178
    given = assemble(runs, checkins, hr_rest=50, hr_max=190)
    assert given.pairs[0].pct_hrr == pytest.approx((140 - 50) / (190 - 50))


def test_intensity_needs_a_heart_rate():
    assert pct_hrr(None, 60, 190) is None
    assert pct_hrr(150, 60, None) is None
    assert pct_hrr(125, 60, 190) == pytest.approx(0.5)
    assert estimate_hr_max([Run(start=datetime(2026, 1, 1, tzinfo=UTC), duration_s=60)]) is None


def test_unknown_company_and_setting_stay_unknown(sim):
    runs, checkins = sim.journal(
        [0, 0],
        [1, 1],
        company=[Company.UNKNOWN, Company.WITH_OTHERS],
        setting=[Setting.UNKNOWN, Setting.TREADMILL],
    )
    pairs = assemble(runs, checkins).pairs
    assert (pairs[0].company, pairs[0].setting) == (None, None)
    assert (pairs[1].company, pairs[1].setting) == ("with-others", "indoors")


def test_rest_day_check_ins_pair_up_in_order(sim):
    day = sim.start
    checkins = [
        sim.checkin(day, CheckInKind.REST_FIRST, -1),
        sim.checkin(day + timedelta(hours=1), CheckInKind.REST_SECOND, 0),
        sim.checkin(day + timedelta(days=1), CheckInKind.REST_FIRST, 2),  # never followed up
        sim.checkin(day + timedelta(days=2), CheckInKind.REST_FIRST, 1),
        sim.checkin(day + timedelta(days=2, hours=2), CheckInKind.REST_SECOND, 1),
    ]
    assert [(r.first, r.second, r.d) for r in rest_pairs(checkins)] == [(-1, 0, 1), (1, 1, 0)]


def test_times_of_day_follow_the_local_clock(sim):
    assert time_of_day(sim.start.replace(hour=6)) == "morning"
    assert time_of_day(sim.start.replace(hour=13)) == "afternoon"
    assert time_of_day(sim.start.replace(hour=19)) == "evening"


def _rest_day(sim, day, first, second, gap=timedelta(hours=1)):
    return [
        sim.checkin(day, CheckInKind.REST_FIRST, first),
        sim.checkin(day + gap, CheckInKind.REST_SECOND, second),
    ]


def test_a_rest_day_counts_only_without_a_run_that_day(sim):
    runs, checkins = sim.journal([0, 1, 0], [1, 2, 1])  # runs on days 0, 2 and 4
    on_run_day = _rest_day(sim, sim.start + timedelta(hours=5), 0, 1)
    off_day = _rest_day(sim, sim.start + timedelta(days=1, hours=5), -1, 1)
    found = assemble(runs, checkins + on_run_day + off_day).rest
    assert [(r.first, r.second) for r in found] == [(-1, 1)]


def test_a_rest_day_is_spaced_like_the_runs_check_ins(sim):
    runs, checkins = sim.journal([0, 1, 0], [1, 2, 1])  # before and after 53 minutes apart
    day = sim.start + timedelta(days=1, hours=3)
    too_close = _rest_day(sim, day, 0, 1, timedelta(minutes=10))
    like_a_run = _rest_day(sim, day + timedelta(days=2), 0, 2, timedelta(minutes=50))
    too_far = _rest_day(sim, day + timedelta(days=4), 0, 3, timedelta(hours=5))
    found = assemble(runs, checkins + too_close + like_a_run + too_far).rest
    assert [r.second for r in found] == [2]


def test_runs_without_an_after_check_in_are_counted_as_missing(sim):
    runs, checkins = sim.journal([0, 1, 0, 2], [1, 2, 1, 2])
    dropped = {runs[1].id, runs[3].id}
    kept = [c for c in checkins if not (c.run_id in dropped and c.kind == CheckInKind.AFTER)]
    data = assemble(runs, kept)
    assert (data.with_before, data.missing_after, len(data.pairs)) == (4, 2, 2)
