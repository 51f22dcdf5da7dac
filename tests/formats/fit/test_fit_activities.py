"""parse_fit: runs, laps, series, feelings and file types."""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fitbuild import (
    ENUM,
    SINT32,
    UINT8,
    UINT16,
    UINT32,
    data,
    definition,
    fit_file,
    fit_time,
    semicircles,
)

from innerpace.domain.activity import LapTrigger, Setting, Sport
from innerpace.formats.errors import ParseError
from innerpace.formats.fit import NotAnActivity, decode_fit, parse_fit

DATA = Path(__file__).parents[2] / "data" / "fit"
T0 = 1_700_000_000


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def file_id(kind: int = 4) -> bytes:
    fields = [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16)]
    return definition(15, 0, fields) + data(15, bytes([kind]) + struct.pack("<HH", 1, 2697))


def records(n: int, *, start: int = T0, cadence: int = 85) -> list[bytes]:
    fields = [(253, 4, UINT32), (0, 4, SINT32), (1, 4, SINT32), (3, 1, UINT8), (4, 1, UINT8)]
    fields += [(5, 4, UINT32), (2, 2, UINT16)]
    out = [definition(0, 20, fields)]
    for i in range(n):
        payload = struct.pack(
            "<IiiBBIH",
            fit_time(start + i),
            semicircles(51.5),
            semicircles(-0.1 + i / 10000),
            140 + i % 5,
            cadence,
            i * 300,
            (100 + 500) * 5,  # 100 m
        )
        out.append(data(0, payload))
    return out


SESSION_FIELDS = [
    (253, 4, UINT32),
    (2, 4, UINT32),  # start_time
    (7, 4, UINT32),  # total_elapsed_time, ms
    (8, 4, UINT32),  # total_timer_time, ms
    (9, 4, UINT32),  # total_distance, cm
    (5, 1, ENUM),  # sport
    (6, 1, ENUM),  # sub_sport
    (16, 1, UINT8),  # avg_heart_rate
    (17, 1, UINT8),  # max_heart_rate
    (18, 1, UINT8),  # avg_cadence
    (92, 1, UINT8),  # avg_fractional_cadence, 1/128
    (22, 2, UINT16),  # total_ascent
    (23, 2, UINT16),  # total_descent
    (192, 1, UINT8),  # workout_feel
    (193, 1, UINT8),  # workout_rpe
]


def session(
    start: int, seconds: int, *, sport: int = 1, sub_sport: int = 1, feel: int = 75, rpe: int = 60
) -> bytes:
    payload = struct.pack(
        "<IIIIIBBBBBBHHBB",
        fit_time(start + seconds),
        fit_time(start),
        seconds * 1000,
        (seconds - 1) * 1000,
        seconds * 300 * 100 // 1,
        sport,
        sub_sport,
        142,
        160,
        85,
        64,
        12,
        11,
        feel,
        rpe,
    )
    return definition(2, 18, SESSION_FIELDS) + data(2, payload)


def lap(start: int, seconds: int, trigger: int) -> bytes:
    fields = [(253, 4, UINT32), (2, 4, UINT32), (7, 4, UINT32), (9, 4, UINT32), (24, 1, ENUM)]
    payload = struct.pack(
        "<IIIIB", fit_time(start + seconds), fit_time(start), seconds * 1000, 1234, trigger
    )
    return definition(3, 19, fields) + data(3, payload)


def activity(local_offset_s: int) -> bytes:
    fields = [(253, 4, UINT32), (5, 4, UINT32)]
    payload = struct.pack("<II", fit_time(T0 + 100), fit_time(T0 + 100) + local_offset_s)
    return definition(4, 34, fields) + data(4, payload)


def treadmill_run() -> bytes:
    return fit_file(
        file_id(),
        *records(10),
        lap(T0, 5, 2),  # distance
        lap(T0 + 5, 5, 7),  # session_end
        session(T0, 10),
        activity(2 * 3600),
    )


def test_a_session_becomes_a_run() -> None:
    found = parse_fit(treadmill_run(), "run.fit")
    [run] = found.runs
    assert run.source == "fit"
    assert run.sport is Sport.RUNNING
    assert run.sport_name == "running/treadmill"
    assert run.setting is Setting.TREADMILL
    assert run.start == datetime.fromtimestamp(T0, UTC)
    assert run.duration_s == 10
    assert run.moving_s == 9
    assert run.distance_m == 3000
    assert (run.avg_hr, run.max_hr) == (142, 160)
    assert run.avg_cadence_spm == 2 * (85 + 0.5)  # one leg, plus the fraction, doubled
    assert (run.elevation_gain_m, run.elevation_loss_m) == (12, 11)
    assert run.utc_offset_min == 120
    assert run.device == "garmin fenix5"
    assert [lap.trigger for lap in run.laps] == [LapTrigger.DISTANCE, LapTrigger.SESSION_END]
    assert found.file_type == "activity"


def test_the_series_holds_the_session_records() -> None:
    [run] = parse_fit(treadmill_run()).runs
    series = run.series
    assert series is not None and len(series) == 10
    assert list(series.t_s) == list(range(10))
    assert series.hr[0] == 140
    assert series.cadence_spm[0] == 170
    assert series.distance_m[1] == 3.0
    assert series.altitude_m[0] == 100
    assert series.lat[0] == pytest.approx(51.5, abs=1e-6)


def test_feel_and_rpe_are_kept_raw() -> None:
    found = parse_fit(treadmill_run())
    assert [(f.run_index, f.field, f.value) for f in found.feelings] == [
        (0, "workout_feel", 75.0),
        (0, "workout_rpe", 60.0),
    ]


def test_cycling_cadence_is_not_doubled() -> None:
    blob = fit_file(file_id(), *records(5), session(T0, 5, sport=2, sub_sport=7))
    [run] = parse_fit(blob).runs
    assert run.sport is Sport.CYCLING
    assert run.setting is Setting.ROAD
    assert run.avg_cadence_spm == 85.5
    assert run.series.cadence_spm[0] == 85


def test_a_missing_session_is_rebuilt_from_records() -> None:
    found = parse_fit(fit_file(file_id(), *records(30)))
    [run] = found.runs
    assert run.start == datetime.fromtimestamp(T0, UTC)
    assert run.duration_s == 29
    assert run.distance_m == 87.0
    assert len(run.series) == 30
    assert any("no session" in w.message for w in found.warnings)


def test_settings_file_is_not_an_activity() -> None:
    with pytest.raises(NotAnActivity) as caught:
        parse_fit(load("fitparse--Settings.fit"), "Settings.fit")
    assert caught.value.file_type == "settings"
    assert caught.value.reason == "this is a settings file, not an activity"
    assert isinstance(caught.value, ParseError)
    renamed = caught.value.for_source("export/Settings.fit")
    assert isinstance(renamed, NotAnActivity)
    assert renamed.source == "export/Settings.fit"


def test_fenix_run() -> None:
    found = parse_fit(load("fitparse--garmin-fenix-5-run.fit"))
    [run] = found.runs
    assert run.sport is Sport.RUNNING
    assert run.device == "garmin fenix5"
    assert run.utc_offset_min == -420
    assert run.distance_m == pytest.approx(157.56)
    assert len(run.series) == 21
    assert 150 < run.avg_cadence_spm < 190
    assert not math.isnan(run.series.hr[5])


def test_chained_triathlon_gives_one_run_per_leg() -> None:
    found = parse_fit(load("fitparse--sample_mulitple_header.fit"))
    assert [r.sport for r in found.runs] == [
        Sport.SWIMMING,
        Sport.OTHER,
        Sport.CYCLING,
        Sport.OTHER,
        Sport.RUNNING,
    ]
    assert found.runs[1].sport_name == "transition/generic"
    for earlier, later in zip(found.runs, found.runs[1:], strict=False):
        assert earlier.start < later.start
    for run in found.runs:
        assert max(run.series.t_s) <= run.duration_s + 1


def test_compressed_timestamps_file() -> None:
    [run] = parse_fit(load("fitparse--antfs-dump.63.fit")).runs
    t = list(run.series.t_s)
    assert len(t) == 686
    assert t == sorted(t)


def test_compressed_speed_distance_file() -> None:
    fit = decode_fit(load("fitparse--compressed-speed-distance.fit"))
    distance = fit.messages("record").column("distance")
    assert distance[-1] == pytest.approx(10248.67, rel=0.01)


def test_undefined_local_type_salvages_the_run() -> None:
    found = parse_fit(load("fitparse--strava-android-app-201.10-b1218918.fit"))
    assert len(found.runs) == 1
    assert any("never defined" in w.message for w in found.warnings)


def test_misaligned_fields_file() -> None:
    [run] = parse_fit(load("fitparse--coros-pace-2-cycling-misaligned-fields.fit")).runs
    assert run.sport is Sport.CYCLING
    assert len(run.series) == 11272


def test_developer_fields_file() -> None:
    fit = decode_fit(load("fitparse--elemnt-bolt-no-application-id-inside-developer-data-id.fit"))
    assert len(fit.messages("record")) == 132


def test_bad_crc_and_truncation_of_a_real_file() -> None:
    good = load("fitparse--garmin-fenix-5-run.fit")
    bad_crc = parse_fit(good[:-1] + bytes([good[-1] ^ 0x55]))
    assert len(bad_crc.runs) == 1
    assert any("file CRC" in w.message for w in bad_crc.warnings)
    cut = parse_fit(good[: len(good) // 2])
    assert len(cut.runs) == 1
    assert any(w.message.startswith("file ends") for w in cut.warnings)
