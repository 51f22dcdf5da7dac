"""The shared track figures behind GPX and TCX: distance, climb, moving time, times, sports."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innerpace.domain import Sport
from innerpace.formats.errors import ParseError
from innerpace.formats.track_math import (
    elevation_change,
    epoch_seconds,
    moving_seconds,
    path_distance,
    sport_of,
    step_distances,
    time_reader,
)

NAN = float("nan")


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def test_one_degree_of_latitude_is_about_111_km():
    assert step_distances(arr(0, 1), arr(0, 0))[0] == pytest.approx(111_195, rel=1e-4)
    # Along the equator as well; halved at 60 degrees north.
    assert step_distances(arr(0, 0), arr(0, 1))[0] == pytest.approx(111_195, rel=1e-4)
    assert step_distances(arr(60, 60), arr(0, 1))[0] == pytest.approx(55_597, rel=1e-3)


def test_the_antimeridian_is_a_short_step():
    assert step_distances(arr(0, 0), arr(179.9995, -179.9995))[0] == pytest.approx(111.2, rel=1e-3)


def test_path_distance_skips_segment_breaks_and_carries_over_missing_positions():
    lat = arr(0, 0.001, NAN, 0.002, 1.0, 1.001)
    lon = arr(0, 0, NAN, 0, 0, 0)
    new_segment = np.array([False, False, False, False, True, False])
    along = path_distance(lat, lon, new_segment)
    step = 111.195
    assert along == pytest.approx([0, step, step, 2 * step, 2 * step, 3 * step], rel=1e-3)


def test_path_distance_without_any_position_is_missing():
    assert np.isnan(path_distance(arr(NAN, NAN), arr(NAN, NAN), np.zeros(2, bool))).all()


def test_elevation_ignores_wiggles_below_the_hysteresis():
    gain, loss = elevation_change(arr(100, 101, 100, 101, 100, 101))
    assert (gain, loss) == (0, 0)
    gain, loss = elevation_change(arr(100, 103, 106, NAN, 104, 100, 101))
    assert gain == pytest.approx(6) and loss == pytest.approx(6)


def test_elevation_without_altitude_is_unknown():
    assert elevation_change(arr(NAN, NAN)) == (None, None)


def test_moving_time_counts_only_movement_and_never_exceeds_the_span():
    t = arr(0, 10, 20, 30, 40)
    distance = arr(0, 30, 30, 30.5, 60)  # stands still from 10 s to 30 s
    assert moving_seconds(t, distance, np.zeros(5, bool)) == 20
    jumbled = arr(0, 4, 3, 1, 5)
    assert moving_seconds(jumbled, arr(0, 10, 20, 30, 40), np.zeros(5, bool)) <= 5
    assert moving_seconds(t, arr(NAN, NAN, NAN, NAN, NAN), np.zeros(5, bool)) is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-90, 90), st.floats(-180, 180), st.floats(0, 1e6), st.floats(-500, 9000)
        ),
        min_size=2,
        max_size=30,
    )
)
def test_figures_are_finite_and_bounded_for_any_track(points):
    lat, lon, t, alt = (np.array(column, dtype=np.float64) for column in zip(*points, strict=True))
    breaks = np.zeros(lat.size, dtype=bool)
    along = path_distance(lat, lon, breaks)
    assert np.isfinite(along).all() and (np.diff(along) >= 0).all()
    assert along[-1] <= (lat.size - 1) * math.pi * 6_371_008.8 + 1
    moving = moving_seconds(t, along, breaks)
    assert 0 <= moving <= t.max() - t.min() + 1e-6
    gain, loss = elevation_change(alt)
    assert gain >= 0 and loss >= 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2021-06-01T07:00:00Z", 1622530800),
        ("2021-06-01T07:00:00.5Z", 1622530800.5),
        ("2021-06-01T09:00:00+02:00", 1622530800),
        ("2021-06-01T07:00:00", 1622530800),
        (" 2021-06-01T07:00:00.1234567Z\n", 1622530800.123456),
    ],
)
def test_times_are_read_as_utc_seconds(text, seconds):
    assert epoch_seconds(text) == pytest.approx(seconds)


def test_time_reader_names_the_point():
    read = time_reader("point", None)
    assert read("2021-06-01T07:00:00Z", 0) == 1622530800
    with pytest.raises(ParseError, match=r"^point 2: time 'soon' is not a time$"):
        read("soon", 1)
    with pytest.raises(ParseError, match="point 1: time '0001-01-01T00:00:00Z' is before 1990"):
        read("0001-01-01T00:00:00Z", 0)
    assert math.isnan(read(None, 0)) and math.isnan(read("  ", 0))
    assert read(" 2021-06-01T07:00:00Z ", 0) == 1622530800


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("Running", Sport.RUNNING),
        ("trail_running", Sport.RUNNING),
        ("Biking", Sport.CYCLING),
        ("road_biking", Sport.CYCLING),
        ("Walk", Sport.WALKING),
        ("9", Sport.RUNNING),
        ("23", Sport.ROWING),
        ("Other", Sport.OTHER),
        ("", Sport.OTHER),
        (None, Sport.OTHER),
    ],
)
def test_sport_words(name, sport):
    assert sport_of(name) is sport
