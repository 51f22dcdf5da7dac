"""Every real GPX file that gives runs, read by gpxpy as well: the two must agree.

What each file must give is in ``outcomes.py`` and checked in ``test_parsers.py``.
"""

from __future__ import annotations

import math
from datetime import UTC
from pathlib import Path

import gpxpy
import pytest
from outcomes import GPX, readable

from innerpace.domain import Sport
from innerpace.formats.gpx import parse_gpx


@pytest.mark.parametrize("name", readable(GPX))
def test_agrees_with_gpxpy(name: str, corpus: Path) -> None:
    data = (corpus / "gpx" / name).read_bytes()
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
        if track.name:
            assert run.name == " ".join(track.name.split())
        elif theirs.name:
            assert run.name == " ".join(theirs.name.split())
    assert compared == len(ours)


def heart_rate(point) -> float | None:
    """gpxpy keeps extensions as raw elements: find <hr> or <heartrate> inside them."""
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rpartition("}")[2] in ("hr", "heartrate") and element.text:
                value = float(element.text)
                return value if 0 < value <= 300 else None
    return None


def test_a_real_strava_file_names_its_sport_by_stravas_word_not_its_number(corpus: Path) -> None:
    data = (corpus / "gpx" / "sportslib--swim-4623204522-1.gpx").read_bytes()
    assert b"<type>16</type>" in data and b'creator="StravaGPX"' in data
    (run,) = parse_gpx(data).runs
    assert (run.sport, run.sport_name) == (Sport.SWIMMING, "Swim")


def test_a_real_file_without_track_names_takes_the_files_name(corpus: Path) -> None:
    data = (corpus / "gpx" / "sportslib--samples-sports-tracker.gpx").read_bytes()
    assert b"<metadata>" in data
    (run,) = parse_gpx(data).runs
    assert run.name == gpxpy.parse(data.decode("utf-8-sig")).name == "5/13/18 4:11 PM"
