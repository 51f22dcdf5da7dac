"""Hostile XML for GPX and TCX alike: no entity is ever expanded, no DTD is ever read, and
documents built to break the reader only ever give a ParseError.

Random bytes, truncations and flipped bytes for every format are in ``test_parsers.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.formats.errors import ParseError
from innerpace.formats.gpx import parse_gpx
from innerpace.formats.tcx import parse_tcx

DATA = Path(__file__).resolve().parents[2] / "data"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GPX_POINTS = (
    '<trkpt lat="45.0" lon="13.0"><time>2021-06-01T07:00:00Z</time></trkpt>'
    '<trkpt lat="45.001" lon="13.0"><time>2021-06-01T07:01:00Z</time></trkpt>'
)
TCX_POINTS = (
    "<Trackpoint><Time>2021-06-01T07:00:00Z</Time><Position><LatitudeDegrees>45"
    "</LatitudeDegrees><LongitudeDegrees>13</LongitudeDegrees></Position></Trackpoint>"
    "<Trackpoint><Time>2021-06-01T07:01:00Z</Time><DistanceMeters>100</DistanceMeters>"
    "<HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint>"
)
TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def gpx_named(prolog: str, name: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}\n<gpx version="1.1" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name>'
        f"<trkseg>{GPX_POINTS}</trkseg></trk></gpx>"
    ).encode()


def tcx_named(prolog: str, name: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}\n<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities>'
        f'<Activity Sport="Running"><Lap StartTime="2021-06-01T07:00:00Z"><Track>{TCX_POINTS}'
        f"</Track></Lap><Creator><Name>{name}</Name></Creator></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


def gpx_generated(name: str, lat: float, lon: str, when: str, total: str) -> bytes:
    body = (
        f'<gpx><trk><name>{escape(name)}</name><trkseg><trkpt lat="{lat}" lon="{escape(lon)}">'
        f"<time>{escape(when)}</time><ele>{escape(total)}</ele></trkpt>{GPX_POINTS}</trkseg>"
        "</trk></gpx>"
    )
    return body.encode("utf-8", "surrogatepass")


def tcx_generated(name: str, lat: float, lon: str, when: str, total: str) -> bytes:
    point = (
        f"<Trackpoint><Time>{escape(when)}</Time><Position><LatitudeDegrees>{lat}"
        f"</LatitudeDegrees><LongitudeDegrees>{escape(lon)}</LongitudeDegrees></Position>"
        "</Trackpoint>"
    )
    body = (
        f'<TrainingCenterDatabase xmlns="{TCX_NS}"><Activities><Activity Sport="{escape(name)}">'
        f'<Lap StartTime="{escape(when)}"><TotalTimeSeconds>{escape(total)}</TotalTimeSeconds>'
        f"<Track>{point}{TCX_POINTS}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    )
    return body.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Xml:
    name: str
    root: str
    parse: Callable[..., Any]
    named: Callable[[str, str], bytes]  # a small valid document with this prolog and name
    generated: Callable[[str, float, str, str, str], bytes]
    good: str
    inserts: tuple[bytes, ...]  # fragments of the format's own elements to splice in

    def __str__(self) -> str:
        return self.name


GPX = Xml(
    "gpx",
    "gpx",
    parse_gpx,
    gpx_named,
    gpx_generated,
    "togeojson--missing_hr.gpx",
    (
        b"<trkpt lat='nan' lon='1e999'>",
        b"<time>0001-01-01T00:00:00+23:59</time>",
        b"<time>9999-12-31T23:59:59-23:59</time>",
        b"<ele>1e400</ele>",
        b"<trkseg>",
        b"</trk>",
        b"<metadata><name>x</name></metadata>",
        b"<type>53</type>",
    ),
)
TCX = Xml(
    "tcx",
    "TrainingCenterDatabase",
    parse_tcx,
    tcx_named,
    tcx_generated,
    "togeojson--pr178-sample.tcx",
    (
        b"<LatitudeDegrees>nan</LatitudeDegrees>",
        b"<Time>0001-01-01T00:00:00+23:59</Time>",
        b"<Time>9999-12-31T23:59:59-23:59</Time>",
        b"<DistanceMeters>1e400</DistanceMeters>",
        b"<TotalTimeSeconds>-1</TotalTimeSeconds>",
        b'<Lap StartTime="x">',
        b"<Course>",
        b"</Activity><Activity>",
        b"<Trackpoint>",
        b"</Lap>",
    ),
)
FORMATS = [GPX, TCX]


def hostile(fmt: Xml) -> dict[str, bytes]:
    root, named = fmt.root, fmt.named
    laughs = (
        f'<!DOCTYPE {root} [<!ENTITY a "lol">'
        + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
            for a, b in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "]>"
    )
    boom = f'<!DOCTYPE {root} [<!ENTITY x "boom">]>'
    return {
        "xxe-file": named(f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
        "xxe-network": named(
            f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "http://127.0.0.1:1/steal">]>', "&x;"
        ),
        "billion-laughs": named(laughs, "&h;"),
        "parameter-entity": named(
            f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>', "x"
        ),
        "external-dtd": named(f'<!DOCTYPE {root} SYSTEM "http://127.0.0.1:1/x.dtd">', "x"),
        "plain-doctype": named(f"<!DOCTYPE {root}>", "x"),
        "utf16-doctype": named(boom, "&x;").decode().encode("utf-16"),
        "utf32-doctype": named(boom, "&x;").decode().encode("utf-32"),
        # No byte-order mark: only the parsed document shows the DTD.
        "utf32le-doctype": named(boom, "&x;")
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-32"')
        .encode("utf-32-le"),
    }


HOSTILE = [
    pytest.param(fmt, payload, id=f"{fmt}-{kind}")
    for fmt in FORMATS
    for kind, payload in hostile(fmt).items()
]


@pytest.mark.parametrize(("fmt", "payload"), HOSTILE)
def test_dtd_and_entity_documents_are_refused(fmt: Xml, payload: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        fmt.parse(payload, f"evil.{fmt}")
    assert "refused" in caught.value.reason
    assert caught.value.source == f"evil.{fmt}"


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_the_same_document_without_declarations_reads(fmt: Xml) -> None:
    (run,) = fmt.parse(fmt.named("", "Watch &amp; co")).runs
    assert run.duration_s == 60


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_an_undeclared_entity_is_never_expanded(fmt: Xml) -> None:
    with pytest.raises(ParseError, match="not well-formed"):
        fmt.parse(fmt.named("", "&x;"))


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_deep_nesting_is_refused(fmt: Xml) -> None:
    deep = f"<{fmt.root}>{'<a>' * 10_000}{'</a>' * 10_000}</{fmt.root}>".encode()
    with pytest.raises(ParseError, match="not well-formed"):
        fmt.parse(deep)


def check(fmt: Xml, data: bytes) -> None:
    try:
        result = fmt.parse(data, "fuzz")
    except ParseError as error:
        assert error.source == "fuzz"
        assert error.reason
        # Each failure has its own reason; the catch-all for unexpected errors stays unused.
        assert "could not be read (" not in error.reason, error.reason
        return
    for run in result.runs:
        assert run.duration_s > 0
        assert run.series is None or len(run.series) >= 2


COMMON_INSERTS = (
    b'<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!ENTITY a "&b;&b;">',
    b"&x;",
    b"<![CDATA[",
    b"\xef\xbb\xbf",
    b"\x00",
)


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(draw=st.data())
def test_inserted_declarations_and_elements_give_only_parse_errors(
    fmt: Xml, draw: st.DataObject
) -> None:
    good = (DATA / fmt.name / fmt.good).read_bytes()
    insert = draw.draw(st.sampled_from(COMMON_INSERTS + fmt.inserts))
    at = draw.draw(st.integers(0, len(good)))
    check(fmt, good[:at] + insert + good[at:])


@pytest.mark.parametrize("fmt", FORMATS, ids=str)
@FUZZ
@given(
    name=st.text(max_size=40),
    lat=st.floats(allow_nan=True, allow_infinity=True),
    lon=st.text(max_size=12) | st.floats().map(str),
    when=st.text(max_size=30),
    total=st.text(max_size=12),
)
def test_generated_points_give_runs_or_parse_errors(
    fmt: Xml, name: str, lat: float, lon: str, when: str, total: str
) -> None:
    check(fmt, fmt.generated(name, lat, lon, when, total))
