"""Every real TCX file: what it must give, and agreement with tcxreader on the same file."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innerpace.domain import LapTrigger, Setting, Sport
from innerpace.domain.activity import SERIES_CHANNELS
from innerpace.formats.errors import ParseError
from innerpace.formats.tcx import parse_tcx

REPO = Path(__file__).resolve().parents[3]
CORPUS = (REPO / ".." / "shared" / "corpus" / "tcx").resolve()
SHIPPED = REPO / "tests" / "data" / "tcx"


@dataclass(frozen=True)
class Reads:
    runs: int
    sport: Sport
    points: tuple[int, ...]
    start: str
    laps: int


@dataclass(frozen=True)
class Refused:
    reason: str


EXPECTED = {
    "gpsbabel--course.tcx": Refused("this is a course, not an activity"),
    "gpsbabel--kona2013.tcx": Reads(1, Sport.CYCLING, (5,), "2013-10-12T18:17:26", 1),
    "sportslib--runs-1604524853.tcx": Reads(1, Sport.RUNNING, (1495,), "2016-09-11T15:57:36", 1),
    # Whitespace before the XML declaration.
    "sportslib--runs-6281425038.tcx": Reads(1, Sport.RUNNING, (1545,), "2016-09-12T11:19:56", 5),
    "sportslib--samples-garmin.tcx": Reads(1, Sport.RUNNING, (5070,), "2017-08-29T15:23:18", 12),
    "sportslib--samples-movescount.tcx": Reads(1, Sport.RUNNING, (903,), "2018-02-23T16:55:43", 2),
    "sportslib--samples-polar.tcx": Reads(1, Sport.RUNNING, (6313,), "2018-01-21T10:10:59", 2),
    "sportslib--samples-unknown_example.tcx": Reads(
        1, Sport.RUNNING, (752,), "2017-05-09T18:14:32", 32
    ),
    "tcxreader--cross-country-skiing_activity_1.tcx": Reads(
        1, Sport.OTHER, (486,), "2020-12-26T15:14:21", 2
    ),
    "tcxreader--mapmyride_biking.tcx": Reads(
        1, Sport.CYCLING, (3112,), "2022-11-12T15:58:25.849800", 1
    ),
    "tcxreader--sup_activity_1.tcx": Reads(1, Sport.OTHER, (111,), "2022-07-16T16:08:25", 2),
    "togeojson--pr178-bad.tcx": Refused("trackpoint 3: latitude 'no' is not a valid latitude"),
    "togeojson--pr178-garmin_connect.tcx": Reads(
        1, Sport.CYCLING, (317,), "2020-03-06T00:23:46", 1
    ),
    "togeojson--pr178-sample.tcx": Reads(1, Sport.RUNNING, (19,), "2007-08-07T02:42:41", 1),
    "togeojson--pr178-tcx-courses.tcx": Refused("this is a course, not an activity"),
    "togeojson--pr178-tour_hr.tcx": Reads(1, Sport.CYCLING, (465,), "2020-12-27T14:59:36", 1),
}

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared device-file corpus is not present at {CORPUS}"
)


def check_expectation(path: Path) -> None:
    expected = EXPECTED[path.name]
    if isinstance(expected, Refused):
        with pytest.raises(ParseError) as caught:
            parse_tcx(path.read_bytes(), path.name)
        assert caught.value.reason == expected.reason
        assert caught.value.source == path.name
        return
    parsed = parse_tcx(path.read_bytes(), path.name)
    assert len(parsed.runs) == expected.runs
    assert {run.sport for run in parsed.runs} == {expected.sport}
    assert tuple(len(run.series) for run in parsed.runs) == expected.points
    assert parsed.runs[0].start == datetime.fromisoformat(expected.start).replace(tzinfo=UTC)
    assert sum(len(run.laps) for run in parsed.runs) == expected.laps
    for run in parsed.runs:
        assert run.source == "tcx" and run.duration_s > 0
        assert run.setting is Setting.UNKNOWN  # every file here has positions
        assert run.distance_m is not None and run.distance_m > 0
        assert 0 <= run.moving_s <= run.duration_s
        assert min(run.series.t_s) == 0 and max(run.series.t_s) == run.duration_s
        assert all(lap.trigger is not LapTrigger.SESSION_END for lap in run.laps)


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.tcx")), ids=lambda p: p.name)
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
    assert sorted(p.name for p in CORPUS.glob("*.tcx")) == sorted(EXPECTED)


def readable() -> list[str]:
    return [name for name, expected in sorted(EXPECTED.items()) if isinstance(expected, Reads)]


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize("name", readable())
def test_agrees_with_tcxreader(name, tmp_path):
    tcxreader = pytest.importorskip("tcxreader.tcxreader")
    path = CORPUS / name
    # tcxreader refuses whitespace before the XML declaration: give it a trimmed copy.
    trimmed = tmp_path / name
    trimmed.write_bytes(path.read_bytes().lstrip())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tcxreader.TCXReader().read(str(trimmed), only_gps=False)
    (run,) = parse_tcx(path.read_bytes(), name).runs
    points = theirs.trackpoints
    assert len(run.series) == len(points)
    first = points[0].time
    assert run.start == (first if first.tzinfo else first.replace(tzinfo=UTC))
    assert run.distance_m == pytest.approx(theirs.distance, rel=0.01)
    hr = [p.hr_value for p in points]
    if any(v is not None for v in hr):
        ours = [None if math.isnan(v) else v for v in run.series.hr]
        assert ours == hr
    for i in (0, len(points) // 2, len(points) - 1):
        if points[i].latitude is not None:
            assert run.series.lat[i] == pytest.approx(points[i].latitude)
            assert run.series.lon[i] == pytest.approx(points[i].longitude)


@pytest.mark.corpus
@needs_corpus
def test_leading_whitespace_file_matches_the_same_file_trimmed():
    raw = (CORPUS / "sportslib--runs-6281425038.tcx").read_bytes()
    assert raw[:1].isspace()
    (padded,) = parse_tcx(raw).runs
    (trimmed,) = parse_tcx(raw.lstrip()).runs
    assert replace(padded, series=None) == replace(trimmed, series=None)
    for channel in SERIES_CHANNELS:  # NaN != NaN, so compare the bytes
        assert (
            getattr(padded.series, channel).tobytes() == getattr(trimmed.series, channel).tobytes()
        )
