"""GPX reading, one small document per rule."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from innerpace.domain import Setting, Sport
from innerpace.formats import track_math, xml_safety
from innerpace.formats.errors import ParseError
from innerpace.formats.gpx import parse_gpx

NS11 = "http://www.topografix.com/GPX/1/1"
NS10 = "http://www.topografix.com/GPX/1/0"
TPX = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def point(lat: float, lon: float, time: str | None, ele: float | None = None, ext: str = "") -> str:
    parts = [f'<trkpt lat="{lat}" lon="{lon}">']
    if ele is not None:
        parts.append(f"<ele>{ele}</ele>")
    if time is not None:
        parts.append(f"<time>{time}</time>")
    if ext:
        parts.append(f"<extensions>{ext}</extensions>")
    parts.append("</trkpt>")
    return "".join(parts)


def walk(n: int = 5, start_minute: int = 0, step_deg: float = 0.001, ext: str = "") -> str:
    """n points northwards, 60 s apart (about 111 m a step)."""
    return "".join(
        point(45.0 + i * step_deg, 13.0, f"2021-06-01T07:{start_minute + i:02d}:00Z", 100 + i, ext)
        for i in range(n)
    )


def gpx(body: str, ns: str = NS11, creator: str = "Test Watch", extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="{creator}" '
        f'xmlns="{ns}" {extra}>{body}</gpx>'
    ).encode()


def track(points: str, name: str | None = None, kind: str | None = "running") -> str:
    head = (f"<name>{name}</name>" if name is not None else "") + (
        f"<type>{kind}</type>" if kind is not None else ""
    )
    return f"<trk>{head}<trkseg>{points}</trkseg></trk>"


def reason(data: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        parse_gpx(data, "test.gpx")
    assert caught.value.source == "test.gpx"
    return caught.value.reason


def test_a_simple_run_reads_every_figure():
    parsed = parse_gpx(gpx(track(walk(5), name="Morning run")), "a.gpx")
    assert parsed.format == "gpx"
    (run,) = parsed.runs
    assert run.start == datetime(2021, 6, 1, 7, 0, tzinfo=UTC)
    assert run.duration_s == 240
    assert run.sport is Sport.RUNNING and run.sport_name == "running"
    assert run.name == "Morning run"
    assert run.device == "Test Watch"
    assert run.source == "gpx"
    assert run.utc_offset_min is None
    assert run.setting is Setting.UNKNOWN
    assert run.distance_m == pytest.approx(4 * 111.2, rel=0.01)
    assert run.moving_s == 240
    assert run.elevation_gain_m == pytest.approx(4.0)
    assert run.elevation_loss_m == 0
    assert len(run.series) == 5
    assert list(run.series.t_s) == [0, 60, 120, 180, 240]
    assert run.series.distance_m[-1] == pytest.approx(run.distance_m)
    assert list(run.series.altitude_m) == [100, 101, 102, 103, 104]
    assert all(math.isnan(v) for v in run.series.hr)
    assert parsed.warnings == ()


def test_gpx_1_0_and_files_without_namespace_read_alike():
    one_one = parse_gpx(gpx(track(walk(4)))).runs[0]
    one_zero = parse_gpx(gpx(track(walk(4)), ns=NS10)).runs[0]
    bare = parse_gpx(f"<gpx>{track(walk(4))}</gpx>".encode()).runs[0]
    for run in (one_zero, bare):
        assert run.start == one_one.start
        assert run.distance_m == one_one.distance_m
        assert len(run.series) == 4


def test_byte_order_mark_comments_and_leading_whitespace_are_tolerated():
    body = gpx(track(walk(3).replace("<ele>", "<!-- note --><ele>")))
    parsed = parse_gpx(b"\xef\xbb\xbf  \r\n" + body.replace(b"<trk>", b"<!-- c --><trk>"))
    assert len(parsed.runs[0].series) == 3


def test_utf16_with_bom_is_read():
    text = gpx(track(walk(3))).decode().replace("UTF-8", "UTF-16")
    assert len(parse_gpx(text.encode("utf-16")).runs[0].series) == 3


def test_heart_rate_and_cadence_from_garmin_extension_v1_and_v2():
    for version in ("v1", "v2"):
        ns = f"http://www.garmin.com/xmlschemas/TrackPointExtension/{version}"
        ext = (
            "<gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension>"
        )
        run = parse_gpx(gpx(track(walk(3, ext=ext)), extra=f'xmlns:gpxtpx="{ns}"')).runs[0]
        assert list(run.series.hr) == [150, 150, 150]
        assert run.avg_hr == 150 and run.max_hr == 150
        # Garmin's cadence counts one leg: on foot it becomes steps per minute.
        assert list(run.series.cadence_spm) == [170, 170, 170]
        assert run.avg_cadence_spm == 170


def test_cycling_cadence_is_kept_as_written():
    ext = f'<t:TrackPointExtension xmlns:t="{TPX}"><t:cad>90</t:cad></t:TrackPointExtension>'
    run = parse_gpx(gpx(track(walk(3, ext=ext), kind="cycling"))).runs[0]
    assert run.sport is Sport.CYCLING
    assert run.avg_cadence_spm == 90


def test_missing_heart_rate_on_some_points_is_nan():
    ext = f'<t:TrackPointExtension xmlns:t="{TPX}"><t:hr>120</t:hr></t:TrackPointExtension>'
    points = walk(2, ext=ext) + walk(2, start_minute=2)
    run = parse_gpx(gpx(track(points))).runs[0]
    hr = list(run.series.hr)
    assert hr[:2] == [120, 120] and all(math.isnan(v) for v in hr[2:])
    assert run.avg_hr == 120


@pytest.mark.parametrize(
    ("kind", "sport"),
    [
        ("running", Sport.RUNNING),
        ("Running", Sport.RUNNING),
        ("trail_running", Sport.RUNNING),
        ("hiking", Sport.HIKING),
        ("kitesurfing", Sport.OTHER),
    ],
)
def test_type_gives_the_sport_and_its_word_is_kept(kind, sport):
    run = parse_gpx(gpx(track(walk(2), kind=kind))).runs[0]
    assert run.sport is sport
    assert run.sport_name == kind


@pytest.mark.parametrize(
    ("code", "sport", "name"),
    [
        ("9", Sport.RUNNING, "Run"),
        (" 9 ", Sport.RUNNING, "Run"),
        ("10", Sport.WALKING, "Walk"),
        ("4", Sport.HIKING, "Hike"),
        ("1", Sport.CYCLING, "Ride"),
        ("18", Sport.CYCLING, "E-Bike Ride"),
        ("16", Sport.SWIMMING, "Swim"),
        ("23", Sport.ROWING, "Rowing"),
        ("7", Sport.OTHER, "Nordic Ski"),
        ("52", Sport.OTHER, "Wheelchair"),
    ],
)
def test_stravas_type_numbers_are_read_as_its_activity_types(code, sport, name):
    run = parse_gpx(gpx(track(walk(2), kind=code), creator="StravaGPX")).runs[0]
    assert run.sport is sport
    assert run.sport_name == name
    assert run.setting is Setting.UNKNOWN


def test_a_strava_virtual_run_is_a_treadmill_run():
    run = parse_gpx(gpx(track(walk(3), kind="53"), creator="StravaGPX")).runs[0]
    assert (run.sport, run.sport_name, run.setting) == (
        Sport.RUNNING,
        "Virtual Run",
        Setting.TREADMILL,
    )
    assert run.distance_m == pytest.approx(2 * 111.2, rel=0.01)


def test_a_number_strava_does_not_use_is_kept_as_it_is():
    run = parse_gpx(gpx(track(walk(2), kind="20"))).runs[0]
    assert (run.sport, run.sport_name) == (Sport.OTHER, "20")


def test_a_track_without_a_name_takes_the_files_name():
    metadata = "<metadata><name>Sunday long run</name><time>2021-06-01T08:00:00Z</time></metadata>"
    body = metadata + track(walk(2)) + track(walk(2, start_minute=30), name="Cool-down")
    runs = parse_gpx(gpx(body)).runs
    assert [run.name for run in runs] == ["Sunday long run", "Cool-down"]
    # GPX 1.0 keeps the file's name on the document itself.
    one_zero = parse_gpx(gpx("<name> Lake  loop </name>" + track(walk(2)), ns=NS10)).runs[0]
    assert one_zero.name == "Lake loop"
    # A waypoint's name is not the file's.
    waypoint = '<wpt lat="45" lon="13"><name>Spring</name></wpt>'
    assert parse_gpx(gpx(waypoint + track(walk(2)))).runs[0].name is None


def test_a_track_without_type_is_taken_as_a_run_with_a_warning():
    parsed = parse_gpx(gpx(track(walk(2), kind=None)))
    assert parsed.runs[0].sport is Sport.RUNNING
    assert parsed.runs[0].sport_name is None
    assert any("sport" in w.message for w in parsed.warnings)


def test_each_track_is_one_activity():
    body = track(walk(3), name="first") + track(walk(3, start_minute=30), name="second")
    runs = parse_gpx(gpx(body)).runs
    assert [r.name for r in runs] == ["first", "second"]
    assert runs[1].start == datetime(2021, 6, 1, 7, 30, tzinfo=UTC)


def test_segments_are_pauses_of_one_recording():
    first = walk(3)
    # The second segment starts 1 km further on after a 10 minute pause.
    second = "".join(
        point(45.011 + i * 0.001, 13.0, f"2021-06-01T07:{12 + i:02d}:00Z") for i in range(3)
    )
    body = (
        f"<trk><type>running</type><trkseg>{first}</trkseg><trkseg/><trkseg>{second}</trkseg></trk>"
    )
    run = parse_gpx(gpx(body)).runs[0]
    assert len(run.series) == 6
    assert run.duration_s == 14 * 60
    # No distance and no moving time across the break.
    assert run.distance_m == pytest.approx(4 * 111.2, rel=0.01)
    assert run.moving_s == 4 * 60
    assert run.series.distance_m[3] == run.series.distance_m[2]


def test_name_is_plain_text_never_markup():
    name = "&lt;script&gt;alert('x')&lt;/script&gt; <![CDATA[<b>bold</b>]]>"
    run = parse_gpx(gpx(track(walk(2), name=name))).runs[0]
    assert run.name == "<script>alert('x')</script> <b>bold</b>"


def test_creator_names_the_device_and_is_plain_text():
    run = parse_gpx(gpx(track(walk(2)), creator="Watch &amp; &lt;i&gt;")).runs[0]
    assert run.device == "Watch & <i>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (gpx(""), "no track points"),
        (gpx("<trk><trkseg></trkseg></trk>"), "no track points"),
        (gpx("<trk/>"), "no track points"),
        (
            gpx('<rte><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>'),
            "this is a route, not a recorded activity",
        ),
        (gpx(track(point(1, 2, None) + point(1.1, 2, None))), "track points have no times"),
        (gpx(track(point(1, 2, "2021-06-01T07:00:00Z"))), "the track lasts no time"),
        (b"<TrainingCenterDatabase/>", "not a GPX file"),
        (b"", "the file is empty"),
        (b"just text", "not an XML document"),
        (b"<gpx><trk>", "not well-formed XML"),
    ],
)
def test_files_that_are_not_recordings_are_refused_with_a_reason(data, expected):
    assert reason(data).startswith(expected)


def test_points_without_time_are_dropped_when_others_have_one():
    points = walk(3) + point(45.1, 13.0, None)
    parsed = parse_gpx(gpx(track(points)))
    assert len(parsed.runs[0].series) == 3
    assert any("without a time" in w.message for w in parsed.warnings)


def test_a_track_without_times_is_skipped_when_another_has_them():
    body = track(point(1, 2, None) + point(1.1, 2, None)) + track(walk(3))
    parsed = parse_gpx(gpx(body))
    assert len(parsed.runs) == 1
    assert any("no times" in w.message for w in parsed.warnings)


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('lat="91" lon="2"', "track point 2: latitude '91' is not a valid latitude"),
        ('lat="-90.5" lon="2"', "track point 2: latitude '-90.5'"),
        ('lat="NaN" lon="2"', "track point 2: latitude 'NaN'"),
        ('lat="inf" lon="2"', "track point 2: latitude 'inf'"),
        ('lat="undefined" lon="2"', "track point 2: latitude 'undefined'"),
        ('lat="1" lon="180.1"', "track point 2: longitude '180.1'"),
        ('lat="1" lon="nan"', "track point 2: longitude 'nan'"),
        ('lon="2"', "track point 2: latitude is missing"),
    ],
)
def test_bad_coordinates_are_refused_naming_point_and_field(attrs, expected):
    points = (
        point(1, 2, "2021-06-01T07:00:00Z")
        + f"<trkpt {attrs}><time>2021-06-01T07:01:00Z</time></trkpt>"
    )
    assert reason(gpx(track(points))).startswith(expected)


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("1901-12-13T20:45:52Z", "is before 1990"),
        ("1989-12-31T23:59:59Z", "is before 1990"),
        ("2999-01-01T00:00:00Z", "is more than a day in the future"),
        ("yesterday", "is not a time"),
        ("12:00", "is not a time"),
    ],
)
def test_absurd_times_are_refused_naming_point_and_field(time, expected):
    points = point(1, 2, "2021-06-01T07:00:00Z") + point(1, 2, time)
    got = reason(gpx(track(points)))
    assert got.startswith("track point 2: time ")
    assert got.endswith(expected)


def test_times_without_offset_are_utc():
    points = point(1, 2, "2021-06-01T07:00:00") + point(1.001, 2, "2021-06-01T07:01:00")
    assert parse_gpx(gpx(track(points))).runs[0].start == datetime(2021, 6, 1, 7, tzinfo=UTC)


def test_non_numeric_elevation_is_refused_but_empty_is_missing():
    good = point(1, 2, "2021-06-01T07:00:00Z") + point(1.001, 2, "2021-06-01T07:01:00Z")
    run = parse_gpx(gpx(track(good.replace("</trkpt>", "<ele> </ele></trkpt>", 1)))).runs[0]
    assert math.isnan(run.series.altitude_m[0])
    bad = good.replace("</trkpt>", "<ele>high</ele></trkpt>", 1)
    assert reason(gpx(track(bad))) == "track point 1: elevation 'high' is not a number"


def test_too_many_points_are_refused(monkeypatch):
    monkeypatch.setattr(track_math, "MAX_POINTS", 3)
    assert reason(gpx(track(walk(5)))) == "more than 3 track points"


def test_too_large_input_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(xml_safety, "MAX_BYTES", 100)
    assert "are refused" in reason(gpx(track(walk(5))))


def test_hr_outside_human_range_is_dropped():
    ext = f'<t:TrackPointExtension xmlns:t="{TPX}"><t:hr>0</t:hr></t:TrackPointExtension>'
    run = parse_gpx(gpx(track(walk(3, ext=ext)))).runs[0]
    assert run.avg_hr is None
    assert all(math.isnan(v) for v in run.series.hr)


def test_time_bounds_follow_the_clock():
    low, high = track_math.time_bounds()
    now = datetime.now(UTC).timestamp()
    assert low == datetime(1990, 1, 1, tzinfo=UTC).timestamp()
    assert now + 86_000 < high < now + 87_000
