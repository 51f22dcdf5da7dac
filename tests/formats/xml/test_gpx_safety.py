"""Hostile bytes: nothing but ParseError may leave parse_gpx, and no entity is ever expanded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.formats.errors import ParseError
from innerpace.formats.gpx import parse_gpx
from innerpace.formats.parsed import ParsedActivities

DATA = Path(__file__).resolve().parents[2] / "data" / "gpx"
SAMPLES = sorted(DATA.glob("*.gpx"))
GOOD = (DATA / "togeojson--missing_hr.gpx").read_bytes()
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

POINTS = (
    '<trkpt lat="45.0" lon="13.0"><time>2021-06-01T07:00:00Z</time></trkpt>'
    '<trkpt lat="45.001" lon="13.0"><time>2021-06-01T07:01:00Z</time></trkpt>'
)


def with_name(prolog: str, name: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog}\n<gpx version="1.1" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name>'
        f"<trkseg>{POINTS}</trkseg></trk></gpx>"
    ).encode()


HOSTILE = {
    "xxe-file": with_name('<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    "xxe-network": with_name(
        '<!DOCTYPE gpx [<!ENTITY x SYSTEM "http://127.0.0.1:1/steal">]>', "&x;"
    ),
    "billion-laughs": with_name(
        '<!DOCTYPE gpx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">'
        '<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>',
        "&h;",
    ),
    "parameter-entity": with_name(
        '<!DOCTYPE gpx [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>', "x"
    ),
    "external-dtd": with_name('<!DOCTYPE gpx SYSTEM "http://127.0.0.1:1/gpx.dtd">', "x"),
    "plain-doctype": with_name("<!DOCTYPE gpx>", "x"),
    "utf16-doctype": with_name('<!DOCTYPE gpx [<!ENTITY x "boom">]>', "&x;")
    .decode()
    .encode("utf-16"),
    "utf32-doctype": with_name('<!DOCTYPE gpx [<!ENTITY x "boom">]>', "&x;")
    .decode()
    .encode("utf-32"),
    # No byte-order mark: only the parsed document shows the DTD.
    "utf32le-doctype": with_name('<!DOCTYPE gpx [<!ENTITY x "boom">]>', "&x;")
    .decode()
    .replace('version="1.0"', 'version="1.0" encoding="UTF-32"')
    .encode("utf-32-le"),
}


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
def test_dtd_and_entity_documents_are_refused(payload):
    with pytest.raises(ParseError) as caught:
        parse_gpx(payload, "evil.gpx")
    assert "refused" in caught.value.reason


def test_the_same_document_without_declarations_reads():
    (run,) = parse_gpx(with_name("", "Watch &amp; co")).runs
    assert run.duration_s == 60


def test_an_undeclared_entity_is_never_expanded():
    with pytest.raises(ParseError):
        parse_gpx(with_name("", "&x;"))


def test_deep_nesting_is_refused():
    deep = b"<gpx>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</gpx>"
    with pytest.raises(ParseError, match="not well-formed"):
        parse_gpx(deep)


def check(data: bytes) -> None:
    try:
        result = parse_gpx(data, "fuzz.gpx")
    except ParseError as error:
        assert error.source == "fuzz.gpx"
        assert error.reason
        # Each failure has its own reason; the catch-all for unexpected errors stays unused.
        assert "could not be read (" not in error.reason, error.reason
        return
    assert isinstance(result, ParsedActivities)
    for run in result.runs:
        assert run.duration_s > 0
        assert run.series is None or len(run.series) >= 2


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_only_parse_errors(data):
    check(data)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_after_a_gpx_prefix_give_only_parse_errors(tail):
    check(GOOD[:400] + tail)


@FUZZ
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_real_files_give_only_parse_errors(path, data):
    raw = path.read_bytes()
    check(raw[: data.draw(st.integers(0, len(raw)))])


@FUZZ
@given(st.sampled_from(SAMPLES), st.data())
def test_byte_flips_in_real_files_give_only_parse_errors(path, data):
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    check(bytes(raw))


@FUZZ
@given(st.data())
def test_inserted_declarations_and_text_give_only_parse_errors(data):
    insert = data.draw(
        st.sampled_from(
            [
                b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                b'<!ENTITY a "&b;&b;">',
                b"&x;",
                b"<![CDATA[",
                b"<trkpt lat='nan' lon='1e999'>",
                b"<time>0001-01-01T00:00:00+23:59</time>",
                b"<time>9999-12-31T23:59:59-23:59</time>",
                b"<ele>1e400</ele>",
                b"\xef\xbb\xbf",
                b"\x00",
                b"<trkseg>",
                b"</trk>",
            ]
        )
    )
    at = data.draw(st.integers(0, len(GOOD)))
    check(GOOD[:at] + insert + GOOD[at:])


@FUZZ
@given(
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
def test_generated_points_give_runs_or_parse_errors(name, lat, lon, when):
    body = (
        f'<gpx><trk><name>{escape(name)}</name><trkseg><trkpt lat="{lat}" lon="{lon}">'
        f"<time>{escape(when)}</time></trkpt>{POINTS}</trkseg></trk></gpx>"
    )
    check(body.encode("utf-8", "surrogatepass"))


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
