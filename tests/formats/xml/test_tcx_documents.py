"""TCX reading, one small document per rule."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from innerpace.domain import LapTrigger, Setting, Sport
from innerpace.formats import track_math
from innerpace.formats.errors import ParseError
from innerpace.formats.tcx import parse_tcx

NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def trackpoint(
    second: int,
    lat: float | None = 45.0,
    lon: float | None = 13.0,
    distance: float | None = None,
    hr: int | None = None,
    cadence: int | None = None,
    run_cadence: int | None = None,
    minute: int = 0,
) -> str:
    parts = [f"<Trackpoint><Time>2021-06-01T07:{minute:02d}:{second:02d}Z</Time>"]
    if lat is not None:
        parts.append(
            f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        )
    parts.append("<AltitudeMeters>100</AltitudeMeters>")
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    if cadence is not None:
        parts.append(f"<Cadence>{cadence}</Cadence>")
    if run_cadence is not None:
        parts.append(
            f"<Extensions><ns3:TPX><ns3:RunCadence>{run_cadence}</ns3:RunCadence></ns3:TPX>"
            "</Extensions>"
        )
    parts.append("</Trackpoint>")
    return "".join(parts)


def lap(
    points: str,
    start: str = "2021-06-01T07:00:00Z",
    total: float = 10,
    distance: float | None = 40,
    trigger: str = "Manual",
    avg_hr: int | None = None,
) -> str:
    head = f"<TotalTimeSeconds>{total}</TotalTimeSeconds>"
    if distance is not None:
        head += f"<DistanceMeters>{distance}</DistanceMeters>"
    if avg_hr is not None:
        head += f"<AverageHeartRateBpm><Value>{avg_hr}</Value></AverageHeartRateBpm>"
    head += f"<Intensity>Active</Intensity><TriggerMethod>{trigger}</TriggerMethod>"
    return f'<Lap StartTime="{start}">{head}<Track>{points}</Track></Lap>'


def activity(laps: str, sport: str = "Running", device: str | None = "Forerunner") -> str:
    creator = (
        f'<Creator xsi:type="Device_t"><Name>{device}</Name></Creator>'
        if device is not None
        else ""
    )
    return f'<Activity Sport="{sport}"><Id>2021-06-01T07:00:00Z</Id>{laps}{creator}</Activity>'


def tcx(body: str, leading: str = "") -> bytes:
    return (
        f'{leading}<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="{NS}" '
        f'xmlns:ns3="{AX}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}</TrainingCenterDatabase>"
    ).encode()


def walk(n: int = 5, step: float = 0.0001, **extra) -> str:
    """n points northwards, a second apart, about 11 m a step."""
    return "".join(trackpoint(i, lat=45.0 + i * step, **extra) for i in range(n))


OLD = "1989-01-01T00:00:00Z"


def untimed(points: str) -> str:
    return points.replace("<Time>", "<Foo>").replace("</Time>", "</Foo>")


def reason(data: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        parse_tcx(data, "test.tcx")
    assert caught.value.source == "test.tcx"
    return caught.value.reason


def test_a_simple_activity_reads_every_figure():
    points = "".join(
        trackpoint(i, lat=45 + i * 0.0001, distance=i * 11.0, hr=140 + i, run_cadence=85)
        for i in range(5)
    )
    parsed = parse_tcx(tcx(f"<Activities>{activity(lap(points, avg_hr=142))}</Activities>"))
    assert parsed.format == "tcx"
    (run,) = parsed.runs
    assert run.start == datetime(2021, 6, 1, 7, 0, tzinfo=UTC)
    assert run.duration_s == 4
    assert run.sport is Sport.RUNNING and run.sport_name == "Running"
    assert run.device == "Forerunner"
    assert run.source == "tcx"
    assert run.setting is Setting.UNKNOWN
    assert run.utc_offset_min is None
    assert run.distance_m == 40  # the lap's DistanceMeters
    assert list(run.series.distance_m) == [0, 11, 22, 33, 44]
    assert run.avg_hr == 142 and run.max_hr == 144
    # RunCadence counts one leg: steps per minute are twice that.
    assert list(run.series.cadence_spm) == [170] * 5
    assert run.avg_cadence_spm == 170
    (only,) = run.laps
    assert only.trigger is LapTrigger.MANUAL
    assert only.elapsed_s == 10 and only.distance_m == 40 and only.avg_hr == 142
    assert only.start == run.start


def test_trackpoint_cadence_counts_one_leg_when_running():
    run = parse_tcx(tcx(f"<Activities>{activity(lap(walk(3, cadence=88)))}</Activities>")).runs[0]
    assert run.avg_cadence_spm == 176


def test_biking_cadence_is_kept_as_written():
    body = f"<Activities>{activity(lap(walk(3, cadence=90)), sport='Biking')}</Activities>"
    run = parse_tcx(tcx(body)).runs[0]
    assert run.sport is Sport.CYCLING
    assert run.avg_cadence_spm == 90


def test_other_sport_keeps_its_name():
    run = parse_tcx(tcx(f"<Activities>{activity(lap(walk(3)), sport='Other')}</Activities>")).runs[
        0
    ]
    assert run.sport is Sport.OTHER and run.sport_name == "Other"


def test_laps_their_triggers_and_the_summed_distance():
    laps = "".join(
        lap(
            walk(3) if i == 0 else "".join(trackpoint(s, minute=i) for s in range(3)),
            start=f"2021-06-01T07:{i:02d}:00Z",
            total=60,
            distance=1000 + i,
            trigger=trigger,
        )
        for i, trigger in enumerate(
            ["Manual", "Distance", "Time", "Location", "Position", "HeartRate"]
        )
    )
    run = parse_tcx(tcx(f"<Activities>{activity(laps)}</Activities>")).runs[0]
    assert [lap.trigger for lap in run.laps] == [
        LapTrigger.MANUAL,
        LapTrigger.DISTANCE,
        LapTrigger.TIME,
        LapTrigger.POSITION,
        LapTrigger.POSITION,
        LapTrigger.UNKNOWN,
    ]
    assert run.distance_m == sum(1000 + i for i in range(6))
    assert run.laps[3].start == datetime(2021, 6, 1, 7, 3, tzinfo=UTC)


def test_distance_falls_back_to_the_points_then_to_positions():
    with_distances = lap(
        walk(3, distance=None).replace(
            "<AltitudeMeters>", "<DistanceMeters>5</DistanceMeters><AltitudeMeters>"
        ),
        distance=None,
    )
    run = parse_tcx(tcx(f"<Activities>{activity(with_distances)}</Activities>")).runs[0]
    assert run.distance_m == 0  # every point says 5 m: nothing covered between them
    plain = lap(walk(3, step=0.001), distance=None)
    run = parse_tcx(tcx(f"<Activities>{activity(plain)}</Activities>")).runs[0]
    assert run.distance_m == pytest.approx(2 * 111.2, rel=0.01)


def test_no_positions_but_distance_suggests_a_treadmill():
    points = "".join(trackpoint(i, lat=None, distance=i * 3.0) for i in range(4))
    run = parse_tcx(tcx(f"<Activities>{activity(lap(points, distance=9))}</Activities>")).runs[0]
    assert run.setting is Setting.TREADMILL
    assert run.distance_m == 9
    assert not run.series.has_coordinates


def test_points_without_position_carry_nan_coordinates():
    points = trackpoint(0) + trackpoint(1, lat=None) + trackpoint(2, lat=45.0001)
    run = parse_tcx(tcx(f"<Activities>{activity(lap(points))}</Activities>")).runs[0]
    assert math.isnan(run.series.lat[1]) and run.series.lat[2] == 45.0001


def test_multisport_session_gives_one_run_per_leg():
    legs = (
        "<MultiSportSession><Id>2021-06-01T07:00:00Z</Id>"
        f"<FirstSport>{activity(lap(walk(3)), sport='Biking')}</FirstSport>"
        '<NextSport><Transition StartTime="2021-06-01T07:00:03Z"><TotalTimeSeconds>30'
        "</TotalTimeSeconds></Transition>"
        + activity(
            lap("".join(trackpoint(s, minute=5) for s in range(4)), start="2021-06-01T07:05:00Z")
        )
        + "</NextSport></MultiSportSession>"
    )
    runs = parse_tcx(tcx(f"<Activities>{legs}</Activities>")).runs
    assert [r.sport for r in runs] == [Sport.CYCLING, Sport.RUNNING]
    assert [len(r.series) for r in runs] == [3, 4]
    assert runs[1].start == datetime(2021, 6, 1, 7, 5, tzinfo=UTC)


def test_leading_whitespace_and_junk_before_the_declaration_are_tolerated():
    body = f"<Activities>{activity(lap(walk(3)))}</Activities>"
    for leading in ("         ", "\r\n\t", "\ufeff", "garbage "):
        assert len(parse_tcx(tcx(body, leading=leading)).runs) == 1


def test_a_course_is_refused():
    course = (
        "<Courses><Course><Name>Loop</Name>"
        f"{lap('', distance=1000)}<Track>{walk(3)}</Track></Course></Courses>"
    )
    assert reason(tcx(course)) == "this is a course, not an activity"


def test_an_activity_with_laps_but_no_points_is_built_from_its_laps():
    parsed = parse_tcx(
        tcx(f"<Activities>{activity(lap('', total=1800, distance=5000))}</Activities>")
    )
    (run,) = parsed.runs
    assert run.duration_s == 1800 and run.distance_m == 5000 and run.series is None
    assert parsed.warnings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "no activities"),
        ("<Activities/>", "no activities"),
        (f"<Activities>{activity('')}</Activities>", "no track points"),
        (
            f"<Activities>{activity(lap(untimed(walk(3)), total=0))}</Activities>",
            "track points have no times",
        ),
        (
            f"<Activities>{activity(lap(trackpoint(0), total=0))}</Activities>",
            "the activity lasts no time",
        ),
        (
            f"<Activities>{activity(lap(trackpoint(0) + trackpoint(1, lat='no')))}</Activities>",
            "trackpoint 2: latitude 'no' is not a valid latitude",
        ),
        (
            f"<Activities>{activity(lap(trackpoint(0) + trackpoint(1, lon=200)))}</Activities>",
            "trackpoint 2: longitude '200' is not a valid longitude",
        ),
        (
            f"<Activities>{activity(lap(walk(2).replace('2021-06-01T07:00:01Z', OLD)))}"
            "</Activities>",
            "trackpoint 2: time '1989-01-01T00:00:00Z' is before 1990",
        ),
        (
            f"<Activities>{activity(lap(walk(2), start='1970-01-01T00:00:00Z'))}</Activities>",
            "lap 1: StartTime '1970-01-01T00:00:00Z' is before 1990",
        ),
        (
            f"<Activities>{activity(lap(walk(2), total=-5))}</Activities>",
            "lap 1: TotalTimeSeconds '-5' is not a duration",
        ),
    ],
)
def test_broken_activities_are_refused_with_a_reason(body, expected):
    assert reason(tcx(body)).startswith(expected)


def test_a_gpx_is_not_a_tcx():
    assert reason(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>').startswith("not a TCX file")


def test_offsets_in_times_are_honoured():
    points = trackpoint(0).replace("07:00:00Z", "09:00:00+02:00") + trackpoint(5)
    run = parse_tcx(tcx(f"<Activities>{activity(lap(points))}</Activities>")).runs[0]
    assert run.start == datetime(2021, 6, 1, 7, 0, tzinfo=UTC)
    assert run.duration_s == 5


def test_device_name_is_plain_text():
    body = f"<Activities>{activity(lap(walk(2)), device='&lt;img src=x&gt;')}</Activities>"
    assert parse_tcx(tcx(body)).runs[0].device == "<img src=x>"


def test_too_many_points_are_refused(monkeypatch):
    monkeypatch.setattr(track_math, "MAX_POINTS", 2)
    assert reason(tcx(f"<Activities>{activity(lap(walk(3)))}</Activities>")) == (
        "more than 2 trackpoints"
    )
