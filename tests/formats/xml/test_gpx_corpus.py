"""Every real GPX file: what it must give, and agreement with gpxpy on the same bytes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innerpace.domain import Sport
from innerpace.formats.errors import ParseError
from innerpace.formats.gpx import parse_gpx

REPO = Path(__file__).resolve().parents[3]
CORPUS = (REPO / ".." / "shared" / "corpus" / "gpx").resolve()
SHIPPED = REPO / "tests" / "data" / "gpx"


@dataclass(frozen=True)
class Reads:
    runs: int
    sport: Sport
    points: tuple[int, ...]
    start: str


@dataclass(frozen=True)
class Refused:
    reason: str


EXPECTED = {
    "gpxpy--Mojstrovka.gpx": Refused(
        "track point 1: time '1901-12-13T20:45:52.2073437Z' is before 1990"
    ),
    "gpxpy--around-visnjan-with-car.gpx": Reads(1, Sport.RUNNING, (104,), "2020-12-18T06:15:50"),
    # GPSBabel split the day into tracks; the first is empty.
    "gpxpy--cerknicko-jezero.gpx": Reads(
        7, Sport.RUNNING, (173, 52, 2, 44, 2, 2, 21), "2010-08-05T14:23:59"
    ),
    # Only the last track has times, and only on 5 of its 21 points.
    "gpxpy--cerknicko-without-times.gpx": Reads(1, Sport.RUNNING, (5,), "2010-08-05T16:22:52"),
    "gpxpy--gpx-with-node-with-comments.gpx": Refused(
        "the track lasts no time: an activity needs two timed points"
    ),
    "gpxpy--gpx1.0_with_all_fields.gpx": Refused(
        "the track lasts no time: an activity needs two timed points"
    ),
    "gpxpy--gpx1.1_with_all_fields.gpx": Refused(
        "the track lasts no time: an activity needs two timed points"
    ),
    "gpxpy--gpx_with_garmin_extension.gpx": Refused("no track points"),
    "gpxpy--korita-zbevnica.gpx": Reads(2, Sport.RUNNING, (176, 337), "2010-10-03T09:36:30"),
    "gpxpy--route.gpx": Refused("this is a route, not a recorded activity"),
    "gpxpy--track-with-empty-segment.gpx": Reads(1, Sport.RUNNING, (9,), "2013-07-06T17:26:26"),
    "gpxpy--track-with-extremes.gpx": Refused("track points have no times"),
    "gpxpy--track_with_speed.gpx": Reads(1, Sport.RUNNING, (3,), "2009-03-02T14:05:52"),
    "gpxpy--unicode_with_bom.gpx": Refused("no track points"),
    "sportslib--runs-2067489619.gpx": Reads(1, Sport.RUNNING, (502,), "2017-10-08T14:54:11"),
    "sportslib--runs-6909258631.gpx": Reads(1, Sport.RUNNING, (2665,), "2014-09-07T08:03:31"),
    "sportslib--samples-amazfit.gpx": Reads(1, Sport.RUNNING, (1216,), "2018-05-14T09:54:12"),
    "sportslib--samples-garmin.gpx": Reads(1, Sport.RUNNING, (217,), "2018-04-23T15:54:34"),
    "sportslib--samples-movescount.gpx": Reads(1, Sport.RUNNING, (1592,), "2018-05-13T14:11:03"),
    "sportslib--samples-sports-tracker.gpx": Reads(
        1, Sport.RUNNING, (7785,), "2018-05-13T14:10:59"
    ),
    "sportslib--samples-strava.gpx": Reads(1, Sport.RUNNING, (7264,), "2018-05-14T14:54:21"),
    "sportslib--swim-4623204522-1.gpx": Reads(1, Sport.SWIMMING, (88,), "2018-10-13T17:05:01"),
    "togeojson--blue_hills.gpx": Reads(3, Sport.RUNNING, (309, 498, 436), "2001-06-24T15:09:09"),
    "togeojson--empty_trk.gpx": Refused("no track points"),
    "togeojson--missing_hr.gpx": Reads(1, Sport.RUNNING, (16,), "2017-05-27T04:00:00"),
    "togeojson--multitrackgpx.gpx": Reads(
        3, Sport.RUNNING, (1966, 1685, 1584), "2008-07-12T09:58:23"
    ),
    # The third track has no times.
    "togeojson--osm.gpx": Reads(2, Sport.RUNNING, (2280, 115), "2007-05-11T15:22:06"),
    "togeojson--pr178-bad.gpx": Refused(
        "track point 1: latitude 'undefined' is not a valid latitude"
    ),
    "togeojson--run.gpx": Reads(1, Sport.RUNNING, (206,), "2012-10-24T23:29:40"),
    "togeojson--run_gpxtpx.gpx": Reads(1, Sport.RUNNING, (1118,), "2015-01-19T21:24:20"),
    "togeojson--trek.gpx": Refused("this is a route, not a recorded activity"),
}

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared device-file corpus is not present at {CORPUS}"
)


def check_expectation(path: Path) -> None:
    expected = EXPECTED[path.name]
    if isinstance(expected, Refused):
        with pytest.raises(ParseError) as caught:
            parse_gpx(path.read_bytes(), path.name)
        assert caught.value.reason == expected.reason
        assert caught.value.source == path.name
        return
    parsed = parse_gpx(path.read_bytes(), path.name)
    assert len(parsed.runs) == expected.runs
    assert {run.sport for run in parsed.runs} == {expected.sport}
    assert tuple(len(run.series) for run in parsed.runs) == expected.points
    assert parsed.runs[0].start == datetime.fromisoformat(expected.start).replace(tzinfo=UTC)
    for run in parsed.runs:
        assert run.source == "gpx" and run.duration_s > 0
        assert run.distance_m is not None and run.distance_m >= 0
        assert 0 <= run.moving_s <= run.duration_s
        assert min(run.series.t_s) == 0 and max(run.series.t_s) == run.duration_s


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.gpx")), ids=lambda p: p.name)
def test_shipped_files_meet_their_expectation(path):
    check_expectation(path)


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_files_meet_their_expectation(name):
    check_expectation(CORPUS / name)


@pytest.mark.corpus
@needs_corpus
def test_the_expectation_table_covers_the_whole_corpus():
    assert sorted(p.name for p in CORPUS.glob("*.gpx")) == sorted(EXPECTED)


def readable_by_gpxpy() -> list[str]:
    return [name for name, expected in sorted(EXPECTED.items()) if isinstance(expected, Reads)]


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize("name", readable_by_gpxpy())
def test_agrees_with_gpxpy(name):
    gpxpy = pytest.importorskip("gpxpy")
    data = (CORPUS / name).read_bytes()
    theirs = gpxpy.parse(data.decode("utf-8-sig"))
    ours = {run.start: run for run in parse_gpx(data, name).runs}
    compared = 0
    for track in theirs.tracks:
        points = [p for segment in track.segments for p in segment.points]
        timed = [p for p in points if p.time is not None]
        if len({p.time for p in timed}) < 2:
            continue
        start = min(p.time for p in timed)
        run = ours[start.replace(tzinfo=start.tzinfo or UTC)]
        compared += 1
        assert len(run.series) == len(timed)
        for i in (0, len(timed) // 2, len(timed) - 1):
            assert run.series.lat[i] == pytest.approx(timed[i].latitude)
            assert run.series.lon[i] == pytest.approx(timed[i].longitude)
        if len(timed) == len(points):
            assert run.distance_m == pytest.approx(track.length_2d(), rel=0.01, abs=1.0)
        hr = [heart_rate(p) for p in timed]
        if any(v is not None for v in hr):
            ours_hr = [None if math.isnan(v) else v for v in run.series.hr]
            assert ours_hr == hr
    assert compared == len(ours)


def heart_rate(point) -> float | None:
    """gpxpy keeps extensions as raw elements: find <hr> or <heartrate> inside them."""
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rpartition("}")[2] in ("hr", "heartrate") and element.text:
                value = float(element.text)
                return value if 0 < value <= 300 else None
    return None


@pytest.mark.corpus
@needs_corpus
def test_a_real_strava_file_names_its_sport_by_stravas_word_not_its_number():
    data = (CORPUS / "sportslib--swim-4623204522-1.gpx").read_bytes()
    assert b"<type>16</type>" in data and b'creator="StravaGPX"' in data
    (run,) = parse_gpx(data).runs
    assert (run.sport, run.sport_name) == (Sport.SWIMMING, "Swim")
