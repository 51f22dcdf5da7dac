from array import array
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innerpace.domain import CheckIn, CheckInKind, Moment, Response, Run, Series, Setting
from innerpace.domain.times import ensure_utc, iso_utc, parse_instant

T0 = datetime(2026, 5, 1, 6, 30, tzinfo=UTC)


def test_a_run_keeps_its_start_in_utc_whatever_offset_it_was_given():
    local = datetime(2026, 5, 1, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    run = Run(start=local, duration_s=1800, utc_offset_min=120)
    assert run.start == T0
    assert run.start.tzinfo is UTC
    assert run.local_start.hour == 8


def test_a_naive_start_time_is_refused_not_guessed():
    with pytest.raises(ValueError, match="no UTC offset"):
        Run(start=datetime(2026, 5, 1, 6, 30), duration_s=60)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration_s": 0}, "longer than zero"),
        ({"duration_s": 60, "distance_m": -1}, "distance"),
        ({"duration_s": 60, "utc_offset_min": 24 * 60}, "offset"),
    ],
)
def test_impossible_runs_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Run(start=T0, **kwargs)


def test_pace_uses_moving_time():
    run = Run(start=T0, duration_s=2000, moving_s=1800, distance_m=6000, setting=Setting.TREADMILL)
    assert run.pace_s_per_km == pytest.approx(300)
    assert run.end == T0 + timedelta(seconds=2000)


def test_series_channels_must_line_up():
    with pytest.raises(ValueError, match="distance_m"):
        Series(t_s=array("d", [0, 1]), distance_m=array("d", [0]))


def test_series_can_drop_its_coordinates():
    nan = float("nan")
    series = Series(
        t_s=array("d", [0, 1]),
        distance_m=array("d", [0, 3]),
        hr=array("d", [nan, nan]),
        cadence_spm=array("d", [nan, nan]),
        altitude_m=array("d", [nan, nan]),
        lat=array("d", [52.1, 52.2]),
        lon=array("d", [13.1, 13.2]),
    )
    assert series.has_coordinates
    assert not series.without_coordinates().has_coordinates


def test_a_checkin_needs_an_answer_and_names_its_instrument():
    with pytest.raises(ValueError, match="at least one answer"):
        CheckIn(at=T0, kind=CheckInKind.BEFORE, responses=())
    checkin = CheckIn(
        at=T0, kind=CheckInKind.BEFORE, responses=(Response("fs", "1", (("feeling", 2.0),)),)
    )
    assert checkin.response("fs").value("feeling") == 2.0
    assert checkin.response("fas") is None


def test_a_moment_needs_a_place_in_the_run():
    with pytest.raises(ValueError, match="time or a distance"):
        Moment(run_id=1)
    with pytest.raises(ValueError, match="before the run"):
        Moment(run_id=1, at_s=-5)


@given(st.datetimes(timezones=st.timezones()))
def test_iso_utc_round_trips_through_parse_instant(moment):
    try:
        moment.utcoffset()
    except Exception:  # an impossible local time for that zone
        return
    text = iso_utc(moment)
    assert text.endswith("Z")
    assert parse_instant(text) == ensure_utc(moment).replace(microsecond=0)


def test_parse_instant_explains_bad_text():
    with pytest.raises(ValueError, match="not an ISO-8601 time"):
        parse_instant("yesterday morning")
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_instant("2026-05-01T07:30")
    assert parse_instant("2026-05-01T07:30", default_offset_min=60) == datetime(
        2026, 5, 1, 6, 30, tzinfo=UTC
    )
