"""Writing a run as a FIT activity file: file_id, events, records, laps, session, activity.

Used to hand a run to any other tool, and to build realistic archives for tests and benchmarks.
Field numbers and scales are those of the FIT profile; the decoders read back what is written
(checked against fitdecode in the tests).
"""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime, timedelta

import numpy as np

from innerpace.domain import LapTrigger, Run, Sport
from innerpace.formats.fit.crc import crc16

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
PROFILE_VERSION = 2132
SEMICIRCLES_PER_DEGREE = 2**31 / 180.0

# (field number, size, base type) per message, in the order values are written.
_UINT8, _ENUM, _UINT16, _UINT32, _SINT32 = 0x02, 0x00, 0x84, 0x86, 0x85
_FILE_ID = (0, [(0, 1, _ENUM), (1, 2, _UINT16), (2, 2, _UINT16), (4, 4, _UINT32)])
_EVENT = (21, [(253, 4, _UINT32), (0, 1, _ENUM), (1, 1, _ENUM)])
_RECORD = (
    20,
    [
        (253, 4, _UINT32),  # timestamp
        (0, 4, _SINT32),  # position_lat, semicircles
        (1, 4, _SINT32),  # position_long
        (2, 2, _UINT16),  # altitude, scale 5, offset 500
        (3, 1, _UINT8),  # heart_rate
        (4, 1, _UINT8),  # cadence (strides/min for running)
        (5, 4, _UINT32),  # distance, scale 100
    ],
)
_LAP = (
    19,
    [
        (253, 4, _UINT32),  # timestamp
        (2, 4, _UINT32),  # start_time
        (7, 4, _UINT32),  # total_elapsed_time, scale 1000
        (8, 4, _UINT32),  # total_timer_time, scale 1000
        (9, 4, _UINT32),  # total_distance, scale 100
        (24, 1, _ENUM),  # lap_trigger
        (0, 1, _ENUM),  # event = lap
        (1, 1, _ENUM),  # event_type = stop
    ],
)
_SESSION = (
    18,
    [
        (253, 4, _UINT32),  # timestamp
        (2, 4, _UINT32),  # start_time
        (7, 4, _UINT32),  # total_elapsed_time, scale 1000
        (8, 4, _UINT32),  # total_timer_time, scale 1000
        (9, 4, _UINT32),  # total_distance, scale 100
        (5, 1, _ENUM),  # sport
        (6, 1, _ENUM),  # sub_sport
        (16, 1, _UINT8),  # avg_heart_rate
        (17, 1, _UINT8),  # max_heart_rate
        (18, 1, _UINT8),  # avg_cadence
        (25, 2, _UINT16),  # first_lap_index
        (26, 2, _UINT16),  # num_laps
        (0, 1, _ENUM),  # event = session
        (1, 1, _ENUM),  # event_type = stop
        (192, 1, _UINT8),  # workout_feel, 0–100
        (193, 1, _UINT8),  # workout_rpe, 10–100
    ],
)
_ACTIVITY = (
    34,
    [
        (253, 4, _UINT32),  # timestamp
        (0, 4, _UINT32),  # total_timer_time, scale 1000
        (1, 2, _UINT16),  # num_sessions
        (2, 1, _ENUM),  # type = manual
        (3, 1, _ENUM),  # event = activity
        (4, 1, _ENUM),  # event_type = stop
        (5, 4, _UINT32),  # local_timestamp
    ],
)
_SPORTS = {Sport.RUNNING: 1, Sport.CYCLING: 2, Sport.SWIMMING: 5, Sport.WALKING: 11}
_SPORTS.update({Sport.HIKING: 17, Sport.ROWING: 15, Sport.OTHER: 0})
_TRIGGERS = {
    LapTrigger.MANUAL: 0,
    LapTrigger.TIME: 1,
    LapTrigger.DISTANCE: 2,
    LapTrigger.POSITION: 3,
    LapTrigger.SESSION_END: 7,
}
_INVALID = {_ENUM: 0xFF, _UINT8: 0xFF, _UINT16: 0xFFFF, _UINT32: 0xFFFFFFFF, _SINT32: 0x7FFFFFFF}
_FORMATS = {_ENUM: "B", _UINT8: "B", _UINT16: "H", _UINT32: "I", _SINT32: "i"}


def fit_time(value: datetime) -> int:
    return int((value - FIT_EPOCH).total_seconds())


def _definition(local: int, message: tuple[int, list[tuple[int, int, int]]]) -> bytes:
    number, fields = message
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
    return out + b"".join(struct.pack("<BBB", num, size, base) for num, size, base in fields)


def _data(local: int, message, values: list[float | int | None]) -> bytes:
    _, fields = message
    parts = [struct.pack("<B", local)]
    for (_, _, base), value in zip(fields, values, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = _INVALID[base]
        parts.append(struct.pack("<" + _FORMATS[base], int(value)))
    return b"".join(parts)


def _scaled(value: float | None, scale: float, offset: float = 0.0) -> int | None:
    if value is None or math.isnan(value):
        return None
    return round((value + offset) * scale)


def _records(run: Run) -> bytes:
    """Every sample as a record message, packed column-wise with numpy."""
    series = run.series
    if series is None or not len(series):
        return b""
    dtype = np.dtype(
        [
            ("h", "u1"),
            ("t", "<u4"),
            ("lat", "<i4"),
            ("lon", "<i4"),
            ("alt", "<u2"),
            ("hr", "u1"),
            ("cad", "u1"),
            ("dist", "<u4"),
        ]  # fmt: skip
    )
    n = len(series)
    out = np.zeros(n, dtype=dtype)
    out["h"] = 1  # local message type 1 holds records

    def column(values, scale, offset, invalid, kind):
        data = np.asarray(values, dtype=np.float64) * scale + offset
        good = np.isfinite(data)
        result = np.full(n, invalid, dtype=kind)
        result[good] = np.round(data[good]).astype(kind)
        return result

    start = fit_time(run.start)
    out["t"] = start + np.round(np.asarray(series.t_s)).astype(np.int64)
    out["lat"] = column(series.lat, SEMICIRCLES_PER_DEGREE, 0, 0x7FFFFFFF, np.int64)
    out["lon"] = column(series.lon, SEMICIRCLES_PER_DEGREE, 0, 0x7FFFFFFF, np.int64)
    out["alt"] = column(series.altitude_m, 5.0, 2500.0, 0xFFFF, np.int64)
    out["hr"] = column(series.hr, 1.0, 0, 0xFF, np.int64)
    strides = np.asarray(series.cadence_spm, dtype=np.float64)
    if run.sport.is_on_foot:
        strides = strides / 2.0
    out["cad"] = column(strides, 1.0, 0, 0xFF, np.int64)
    out["dist"] = column(series.distance_m, 100.0, 0, 0xFFFFFFFF, np.int64)
    return out.tobytes()


def encode_run(
    run: Run,
    *,
    feel: int | None = None,
    rpe: int | None = None,
    product: int = 1,
) -> bytes:
    """``run`` as the bytes of a FIT activity file (one session)."""
    start, end = fit_time(run.start), fit_time(run.end)
    moving = run.moving_s if run.moving_s is not None else run.duration_s
    body = [
        _definition(0, _FILE_ID),
        _data(0, _FILE_ID, [4, 255, product, start]),  # activity file, development manufacturer
        _definition(2, _EVENT),
        _data(2, _EVENT, [start, 0, 0]),  # timer start
        _definition(1, _RECORD),
        _records(run),
        _data(2, _EVENT, [end, 0, 4]),  # timer stop all
        _definition(3, _LAP),
    ]
    laps = run.laps
    for lap in laps:
        lap_start = fit_time(lap.start)
        body.append(
            _data(
                3,
                _LAP,
                [
                    round(lap_start + lap.elapsed_s),
                    lap_start,
                    _scaled(lap.elapsed_s, 1000),
                    _scaled(lap.elapsed_s, 1000),
                    _scaled(lap.distance_m, 100),
                    _TRIGGERS.get(lap.trigger),
                    9,
                    1,
                ],
            )
        )
    on_foot = run.sport.is_on_foot
    cadence = run.avg_cadence_spm / 2 if run.avg_cadence_spm and on_foot else run.avg_cadence_spm
    body += [
        _definition(4, _SESSION),
        _data(
            4,
            _SESSION,
            [
                end,
                start,
                _scaled(run.duration_s, 1000),
                _scaled(moving, 1000),
                _scaled(run.distance_m, 100),
                _SPORTS.get(run.sport, 0),
                0,
                _scaled(run.avg_hr, 1),
                _scaled(run.max_hr, 1),
                _scaled(cadence, 1),
                0,
                len(laps),
                8,
                1,
                feel,
                rpe,
            ],
        ),
        _definition(5, _ACTIVITY),
        _data(
            5,
            _ACTIVITY,
            [
                end,
                _scaled(moving, 1000),
                1,
                0,
                26,
                1,
                end + 60 * (run.utc_offset_min or 0),
            ],
        ),
    ]
    data = b"".join(body)
    header = struct.pack("<BBHI4s", 14, 0x20, PROFILE_VERSION, len(data), b".FIT")
    header += struct.pack("<H", crc16(header))
    payload = header + data
    return payload + struct.pack("<H", crc16(payload))


def fit_datetime(value: int) -> datetime:
    return FIT_EPOCH + timedelta(seconds=value)
