"""What every activity parser (FIT, GPX, TCX) must do, tested once for all three.

* every real file in the corpus (and its copies in ``tests/data``) gives exactly what
  ``outcomes`` says: runs with their figures, or a refusal in plain words;
* an empty file is refused as empty, and anything that is not bytes is refused;
* hostile input (random bytes, truncations, flipped bytes, junk spliced in) only ever
  raises :class:`ParseError`, naming the file;
* for the XML formats, a byte-order mark, junk before the document and UTF-16 read the same.

Tests of one format's own rules stay with that format (``fit/``, ``xml/``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outcomes import TABLES, NotActivity, Outcome, Reads, Refused

from innerpace.domain import Run, Sport
from innerpace.domain.activity import SERIES_CHANNELS, LapTrigger, Setting
from innerpace.formats.errors import NotAnActivity, ParseError
from innerpace.formats.fit import parse_fit
from innerpace.formats.gpx import parse_gpx
from innerpace.formats.tcx import parse_tcx

DATA = Path(__file__).resolve().parents[1] / "data"


def _track_series(run: Run) -> None:
    """GPX and TCX runs are built from their points: the series spans the whole run."""
    assert run.moving_s is not None and run.moving_s <= run.duration_s
    assert run.series is not None
    assert min(run.series.t_s) == 0 and max(run.series.t_s) == run.duration_s
    assert run.distance_m is not None and run.distance_m >= 0


def _tcx_run(run: Run) -> None:
    _track_series(run)
    assert run.setting is Setting.UNKNOWN  # every TCX file here has positions
    assert run.distance_m is not None and run.distance_m > 0
    assert all(lap.trigger is not LapTrigger.SESSION_END for lap in run.laps)


@dataclass(frozen=True)
class Format:
    name: str
    parse: Callable[..., Any]
    good: str  # a small shipped file that reads
    xml: bool
    check_run: Callable[[Run], None] = field(default=lambda run: None)

    @property
    def table(self) -> dict[str, Outcome]:
        return TABLES[self.name]

    @property
    def shipped(self) -> list[Path]:
        return sorted(p for p in (DATA / self.name).iterdir() if p.name != "SOURCES.md")

    def __str__(self) -> str:
        return self.name


FIT = Format("fit", parse_fit, "fitparse--garmin-fenix-5-run.fit", xml=False)
GPX = Format("gpx", parse_gpx, "togeojson--missing_hr.gpx", xml=True, check_run=_track_series)
TCX = Format("tcx", parse_tcx, "togeojson--pr178-sample.tcx", xml=True, check_run=_tcx_run)
FORMATS = [FIT, GPX, TCX]
XML_FORMATS = [f for f in FORMATS if f.xml]

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_outcome(fmt: Format, data: bytes, name: str) -> None:
    expected = fmt.table[name]
    if isinstance(expected, NotActivity):
        with pytest.raises(NotAnActivity) as not_one:
            fmt.parse(data, name)
        assert not_one.value.file_type == expected.file_type
        assert not_one.value.source == name
        return
    if isinstance(expected, Refused):
        with pytest.raises(ParseError) as refused:
            fmt.parse(data, name)
        assert not isinstance(refused.value, NotAnActivity)
        assert refused.value.reason == expected.reason
        assert refused.value.source == name
        return
    parsed = fmt.parse(data, name)
    runs = parsed.runs
    assert len(runs) == expected.runs
    if expected.sport is not None:
        assert {run.sport for run in runs} == {expected.sport}
    if expected.points is not None:
        assert tuple(len(run.series) for run in runs) == expected.points
    if expected.start is not None:
        assert runs[0].start == datetime.fromisoformat(expected.start).replace(tzinfo=UTC)
    if expected.laps is not None:
        assert sum(len(run.laps) for run in runs) == expected.laps
    if expected.warning is not None:
        assert any(expected.warning in w.message for w in parsed.warnings), parsed.warnings
    for run in runs:
        assert run.source == fmt.name
        assert isinstance(run.sport, Sport)
        assert run.duration_s > 0
        assert run.distance_m is None or run.distance_m >= 0
        assert run.moving_s is None or run.moving_s >= 0
        fmt.check_run(run)


SHIPPED = [
    pytest.param(fmt, path, id=f"{fmt}-{path.name}") for fmt in FORMATS for path in fmt.shipped
]
CORPUS_FILES = [
    pytest.param(fmt, name, id=f"{fmt}-{name}") for fmt in FORMATS for name in sorted(fmt.table)
]


@pytest.mark.parametrize(("fmt", "path"), SHIPPED)
def test_shipped_file_outcome(fmt: Format, path: Path) -> None:
    check_outcome(fmt, path.read_bytes(), path.name)


@pytest.mark.parametrize(("fmt", "name"), CORPUS_FILES)
def test_corpus_file_outcome(fmt: Format, name: str, corpus: Path) -> None:
    check_outcome(fmt, (corpus / fmt.name / name).read_bytes(), name)


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_the_table_covers_the_corpus(fmt: Format, corpus: Path) -> None:
    files = sorted(p.name for p in (corpus / fmt.name).iterdir() if p.is_file())
    assert files == sorted(fmt.table)


# A FIT file is binary: only no bytes at all is empty. Text files may hold blanks and a BOM.
EMPTY = [
    pytest.param(fmt, data, id=f"{fmt}-{data!r}")
    for fmt in FORMATS
    for data in ([b"", b"\n", b"\xef\xbb\xbf", b"  \r\n\t"] if fmt.xml else [b""])
]


@pytest.mark.parametrize(("fmt", "data"), EMPTY)
def test_an_empty_file_is_refused_as_empty(fmt: Format, data: bytes) -> None:
    with pytest.raises(ParseError) as refused:
        fmt.parse(data, "empty")
    assert refused.value.reason == "the file is empty"
    assert refused.value.source == "empty"


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@pytest.mark.parametrize("value", ["<gpx/>", None, 12, ["bytes"]], ids=repr)
def test_what_is_not_bytes_is_refused(fmt: Format, value: object) -> None:
    with pytest.raises(ParseError) as refused:
        fmt.parse(value, "odd")
    assert refused.value.source == "odd"


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_a_file_of_another_format_is_refused(fmt: Format) -> None:
    for other in FORMATS:
        if other is fmt:
            continue
        data = (DATA / other.name / other.good).read_bytes()
        with pytest.raises(ParseError) as refused:
            fmt.parse(data, other.good)
        assert not isinstance(refused.value, NotAnActivity)
        assert refused.value.source == other.good
        assert refused.value.reason


# -- hostile input -------------------------------------------------------------------------------


def only_parse_errors(fmt: Format, data: bytes) -> None:
    """Parsing ``data`` gives runs or a ParseError naming the file, never anything else."""
    try:
        result = fmt.parse(data, "fuzz")
    except ParseError as error:
        assert error.source == "fuzz"
        assert error.reason
        if fmt.xml:
            # Each failure has its own reason; the catch-all for unexpected errors stays unused.
            assert "could not be read (" not in error.reason, error.reason
        return
    for run in result.runs:
        assert isinstance(run, Run)
        if fmt.xml:
            assert run.duration_s > 0
            assert run.series is None or len(run.series) >= 2


def good(fmt: Format) -> bytes:
    return (DATA / fmt.name / fmt.good).read_bytes()


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_give_only_parse_errors(fmt: Format, data: bytes) -> None:
    only_parse_errors(fmt, data)


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(cut=st.integers(0, 2000), tail=st.binary(max_size=300))
def test_random_bytes_after_a_real_start_give_only_parse_errors(
    fmt: Format, cut: int, tail: bytes
) -> None:
    only_parse_errors(fmt, good(fmt)[:cut] + tail)


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(draw=st.data())
def test_truncated_real_files_give_only_parse_errors(fmt: Format, draw: st.DataObject) -> None:
    raw = draw.draw(st.sampled_from(fmt.shipped)).read_bytes()
    only_parse_errors(fmt, raw[: draw.draw(st.integers(0, len(raw)))])


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(draw=st.data())
def test_flipped_bytes_in_real_files_give_only_parse_errors(
    fmt: Format, draw: st.DataObject
) -> None:
    raw = bytearray(draw.draw(st.sampled_from(fmt.shipped)).read_bytes())
    for _ in range(draw.draw(st.integers(1, 8))):
        raw[draw.draw(st.integers(0, len(raw) - 1))] = draw.draw(st.integers(0, 255))
    only_parse_errors(fmt, bytes(raw))


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(where=st.integers(0, 10**6), junk=st.binary(min_size=1, max_size=40))
def test_junk_spliced_into_a_real_file_gives_only_parse_errors(
    fmt: Format, where: int, junk: bytes
) -> None:
    raw = good(fmt)
    at = where % len(raw)
    only_parse_errors(fmt, raw[:at] + junk + raw[at:])
    only_parse_errors(fmt, raw[:at] + raw[at + len(junk) :])


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_every_truncation_of_a_real_file_gives_runs_or_a_parse_error(fmt: Format) -> None:
    raw = good(fmt)
    for cut in range(0, len(raw), max(1, len(raw) // 300)):
        only_parse_errors(fmt, raw[:cut])


# -- what comes before an XML document ----------------------------------------------------------

BEFORE = {
    "byte-order mark": lambda raw: b"\xef\xbb\xbf" + raw,
    "white space": lambda raw: b"\r\n \t\n" + raw,
    "junk text": lambda raw: b"\xef\xbb\xbf\n  exported by a tool that talks > " + raw,
    "utf-16": lambda raw: raw.decode("utf-8").encode("utf-16"),
}
READABLE_XML = [
    pytest.param(fmt, path, id=f"{fmt}-{path.name}")
    for fmt in XML_FORMATS
    for path in fmt.shipped
    if isinstance(fmt.table[path.name], Reads)
]


@pytest.mark.parametrize("before", BEFORE, ids=str)
@pytest.mark.parametrize(("fmt", "path"), READABLE_XML)
def test_what_comes_before_an_xml_document_changes_nothing(
    fmt: Format, path: Path, before: str
) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    plain = fmt.parse(raw).runs
    padded = fmt.parse(BEFORE[before](raw)).runs
    assert len(padded) == len(plain)
    for ours, theirs in zip(padded, plain, strict=True):
        assert same_run(ours, theirs)


def same_run(a: Run, b: Run) -> bool:
    """Equal runs; series compared by their bytes, as NaN is not equal to itself."""
    if replace(a, series=None) != replace(b, series=None):
        return False
    if (a.series is None) != (b.series is None):
        return False
    return a.series is None or all(
        getattr(a.series, c).tobytes() == getattr(b.series, c).tobytes() for c in SERIES_CHANNELS
    )


def test_same_run_tells_runs_apart() -> None:
    (run,) = parse_gpx(good(GPX)).runs
    assert same_run(run, run)
    assert not same_run(run, replace(run, name="another"))
    moved = replace(
        run, series=replace(run.series, hr=run.series.hr[:-1] + type(run.series.hr)("d", [math.pi]))
    )
    assert not same_run(run, moved)
