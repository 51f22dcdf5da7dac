"""Every real TCX file that gives runs, read by tcxreader as well: the two must agree.

What each file must give is in ``outcomes.py`` and checked in ``test_parsers.py``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest
from outcomes import TCX, readable
from tcxreader.tcxreader import TCXReader

from innerpace.domain.activity import SERIES_CHANNELS
from innerpace.formats.tcx import parse_tcx


@pytest.mark.parametrize("name", readable(TCX))
def test_agrees_with_tcxreader(name: str, corpus: Path, tmp_path: Path) -> None:
    path = corpus / "tcx" / name
    # tcxreader refuses whitespace before the XML declaration: give it a trimmed copy.
    trimmed = tmp_path / name
    trimmed.write_bytes(path.read_bytes().lstrip())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = TCXReader().read(str(trimmed), only_gps=False)
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


def test_leading_whitespace_file_matches_the_same_file_trimmed(corpus: Path) -> None:
    raw = (corpus / "tcx" / "sportslib--runs-6281425038.tcx").read_bytes()
    assert raw[:1].isspace()
    (padded,) = parse_tcx(raw).runs
    (trimmed,) = parse_tcx(raw.lstrip()).runs
    assert replace(padded, series=None) == replace(trimmed, series=None)
    for channel in SERIES_CHANNELS:  # NaN != NaN, so compare the bytes
        assert (
            getattr(padded.series, channel).tobytes() == getattr(trimmed.series, channel).tobytes()
        )
