"""Decoded FIT messages to runs: one :class:`Run` per session, with laps, series and feelings."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

from innerpace.domain.activity import Lap, LapTrigger, Run, Series, Setting, Sport
from innerpace.formats import errors
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.fit import profile
from innerpace.formats.fit.messages import FitFile, MessageTable

T = TypeVar("T", np.ndarray, float, None)

# plausible instants: 1990-01-01 .. 2100-01-01 (Unix seconds)
_EARLIEST = 631152000.0
_LATEST = 4102444800.0

_SPORTS = {
    "running": Sport.RUNNING,
    "walking": Sport.WALKING,
    "hiking": Sport.HIKING,
    "cycling": Sport.CYCLING,
    "e_biking": Sport.CYCLING,
    "swimming": Sport.SWIMMING,
    "rowing": Sport.ROWING,
}
_SUB_SPORTS = {
    "treadmill": Sport.RUNNING,
    "indoor_running": Sport.RUNNING,
    "indoor_walking": Sport.WALKING,
    "indoor_rowing": Sport.ROWING,
    "indoor_cycling": Sport.CYCLING,
    "spin": Sport.CYCLING,
}
_SETTINGS = {
    "treadmill": Setting.TREADMILL,
    "trail": Setting.TRAIL,
    "track": Setting.TRACK,
    "road": Setting.ROAD,
    "street": Setting.ROAD,
    "virtual_activity": Setting.INDOOR,
}
_TRIGGERS = {
    "manual": LapTrigger.MANUAL,
    "distance": LapTrigger.DISTANCE,
    "time": LapTrigger.TIME,
    "session_end": LapTrigger.SESSION_END,
}
FEELING_FIELDS = ("workout_feel", "workout_rpe")


class NotAnActivity(errors.NotAnActivity):
    """A valid FIT file that records something else (monitoring, settings, workout, weight)."""

    def __init__(self, file_type: str, source: str | None = None) -> None:
        super().__init__(f"this is a {file_type} file, not an activity", source)
        self.file_type = file_type

    def for_source(self, source: str) -> NotAnActivity:
        return NotAnActivity(self.file_type, source)


@dataclass(frozen=True, slots=True)
class Feeling:
    """A post-run answer stored by the device: ``workout_feel`` (0–100) or ``workout_rpe``
    (0–100 in steps of 10, i.e. RPE 1–10 times ten), as raw profile values."""

    run_index: int
    field: str
    value: float


@dataclass(frozen=True, slots=True)
class FitActivities:
    runs: tuple[Run, ...]
    warnings: tuple[ParseWarning, ...] = ()
    feelings: tuple[Feeling, ...] = ()
    file_type: str | None = None


def _value(row: dict[str, object], name: str) -> float | None:
    value = row.get(name)
    if isinstance(value, float) and value == value:
        return value
    return None


def _instant(seconds: float | None) -> datetime | None:
    if seconds is None or not _EARLIEST <= seconds <= _LATEST:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def _enum(row: dict[str, object], name: str, type_name: str) -> str | None:
    return profile.enum_name(type_name, _value(row, name))


def sport_of(sport: str | None, sub_sport: str | None) -> Sport:
    if sport in _SPORTS:
        return _SPORTS[sport]
    if sub_sport in _SUB_SPORTS:
        return _SUB_SPORTS[sub_sport]
    return Sport.OTHER


def setting_of(sub_sport: str | None) -> Setting:
    if sub_sport is None:
        return Setting.UNKNOWN
    if sub_sport.startswith("indoor_"):
        return Setting.INDOOR
    return _SETTINGS.get(sub_sport, Setting.UNKNOWN)


def trigger_of(name: str | None) -> LapTrigger:
    if name is None:
        return LapTrigger.UNKNOWN
    if name.startswith("position"):
        return LapTrigger.POSITION
    return _TRIGGERS.get(name, LapTrigger.UNKNOWN)


def _device(fit: FitFile) -> str | None:
    table = fit.messages("file_id")
    if not len(table):
        return None
    row = table.row(0)
    maker = _value(row, "manufacturer")
    product = _value(row, "product")
    parts = []
    if maker is not None:
        parts.append(profile.enum_name("manufacturer", maker) or str(int(maker)))
    name = profile.product_name(maker, product)
    text = row.get("product_name")
    if name is None and isinstance(text, str):
        name = text.strip()
    if name is None and product is not None:
        name = str(int(product))
    if name:
        parts.append(name)
    return " ".join(parts)[:120] or None


def _utc_offset(fit: FitFile) -> int | None:
    table = fit.messages("activity")
    for row in table.rows():
        stamp, local = _value(row, "timestamp"), _value(row, "local_timestamp")
        if stamp is None or local is None:
            continue
        minutes = round((local - stamp) / 60.0)
        if -16 * 60 <= minutes <= 16 * 60:
            return minutes
    return None


def _steps(cadence: T, fraction: T | None, on_foot: bool) -> T:
    """Cadence in steps per minute. FIT running cadence counts one leg (strides per minute),
    with ``fractional_cadence`` holding the part after the point; only on-foot sports double."""
    if cadence is None:
        return None  # type: ignore[return-value]
    if fraction is not None:
        cadence = cadence + np.nan_to_num(fraction)  # type: ignore[operator,assignment]
    return cadence * 2 if on_foot else cadence  # type: ignore[operator,return-value]


class _Records:
    """The record columns a run needs, sorted out once per file."""

    def __init__(self, table: MessageTable) -> None:
        n = len(table)

        def col(name: str) -> np.ndarray:
            found = table.column(name)
            if found is None or found.dtype == object:
                return np.full(n, np.nan)
            return np.array(found if found.ndim == 1 else found[:, 0], dtype=np.float64)

        self.t = col("timestamp")
        self.t[(self.t < _EARLIEST) | (self.t > _LATEST)] = np.nan
        self.distance = col("distance")
        self.hr = col("heart_rate")
        self.cadence = col("cadence")
        self.fraction = col("fractional_cadence")
        altitude = col("enhanced_altitude")
        fallback = col("altitude")
        self.altitude = np.where(np.isnan(altitude), fallback, altitude)
        self.lat = col("position_lat")
        self.lon = col("position_long")
        bad = ~((np.abs(self.lat) <= 90) & (np.abs(self.lon) <= 180))
        self.lat[bad] = np.nan
        self.lon[bad] = np.nan

    def within(self, start: float, end: float) -> np.ndarray:
        return np.flatnonzero((self.t >= start) & (self.t < end))

    def series(self, chosen: np.ndarray, start: float, on_foot: bool) -> Series:
        def arr(values: np.ndarray) -> array:
            out = array("d")
            out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
            return out

        cadence = _steps(self.cadence[chosen], self.fraction[chosen], on_foot)
        return Series(
            t_s=arr(self.t[chosen] - start),
            distance_m=arr(self.distance[chosen]),
            hr=arr(self.hr[chosen]),
            cadence_spm=arr(cadence),
            altitude_m=arr(self.altitude[chosen]),
            lat=arr(self.lat[chosen]),
            lon=arr(self.lon[chosen]),
        )


def _laps(fit: FitFile, start: float, end: float) -> tuple[Lap, ...]:
    laps = []
    for row in fit.messages("lap").rows():
        begin = _value(row, "start_time")
        elapsed = _value(row, "total_elapsed_time")
        if begin is None or elapsed is None or elapsed < 0 or not start - 1 <= begin < end:
            continue
        when = _instant(begin)
        if when is None:
            continue
        laps.append(
            Lap(
                start=when,
                elapsed_s=elapsed,
                distance_m=_value(row, "total_distance"),
                trigger=trigger_of(_enum(row, "lap_trigger", "lap_trigger")),
                avg_hr=_value(row, "avg_heart_rate"),
            )
        )
    return tuple(laps)


def _nanstat(values: np.ndarray, how: str) -> float | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    if how == "mean":
        return float(values.mean())
    return float(values.min() if how == "min" else values.max())


def _sport_name(sport: str | None, sub_sport: str | None) -> str | None:
    if sport and sub_sport:
        return f"{sport}/{sub_sport}"
    return sport or sub_sport


class _Builder:
    def __init__(self, fit: FitFile) -> None:
        self.fit = fit
        self.records = _Records(fit.messages("record"))
        self.device = _device(fit)
        self.offset = _utc_offset(fit)
        self.warnings: list[ParseWarning] = []
        self.feelings: list[Feeling] = []
        self.runs: list[Run] = []

    def from_sessions(self) -> None:
        rows = list(self.fit.messages("session").rows())
        starts = []
        for row in rows:
            begin = _value(row, "start_time")
            if begin is None or _instant(begin) is None:
                stamp, elapsed = _value(row, "timestamp"), _value(row, "total_elapsed_time")
                begin = stamp - elapsed if stamp is not None and elapsed is not None else None
            if begin is None or _instant(begin) is None:
                begin = _nanstat(self.records.t, "min") if len(rows) == 1 else None
            starts.append(begin)
        for i, row in enumerate(rows):
            begin = starts[i]
            if begin is None:
                self.warnings.append(ParseWarning(f"session {i + 1} has no start time; skipped"))
                continue
            later = [s for s in starts[i + 1 :] if s is not None and s > begin]
            self._session(row, begin, min(later) if later else None)

    def _session(self, row: dict[str, object], begin: float, next_start: float | None) -> None:
        elapsed = _value(row, "total_elapsed_time")
        timer = _value(row, "total_timer_time")
        if elapsed is not None and timer is not None and timer > elapsed + 1:
            self.warnings.append(
                ParseWarning("a session's elapsed and timer times are inverted; swapped them")
            )
            elapsed, timer = timer, elapsed
        end = begin + elapsed if elapsed else None
        limit = next_start if next_start is not None else (end + 1 if end else np.inf)
        if end is not None:
            limit = min(limit, end + 1)
        chosen = self.records.within(begin, limit)
        if not elapsed:
            last = _nanstat(self.records.t[chosen], "max")
            elapsed = (last - begin) if last is not None else timer
        if not elapsed or elapsed <= 0:
            self.warnings.append(ParseWarning("a session lasts no time at all; skipped"))
            return
        sport = _enum(row, "sport", "sport")
        sub_sport = _enum(row, "sub_sport", "sub_sport")
        kind = sport_of(sport, sub_sport)
        on_foot = kind.is_on_foot
        cadence = _steps(_value(row, "avg_cadence"), _value(row, "avg_fractional_cadence"), on_foot)
        cadence = float(cadence) if cadence is not None else None
        distance = _value(row, "total_distance")
        index = len(self.runs)
        self.runs.append(
            Run(
                start=_instant(begin),  # type: ignore[arg-type]
                duration_s=elapsed,
                sport=kind,
                sport_name=_sport_name(sport, sub_sport),
                utc_offset_min=self.offset,
                moving_s=timer if timer is not None and timer >= 0 else None,
                distance_m=distance if distance is None or distance >= 0 else None,
                setting=setting_of(sub_sport),
                avg_hr=_value(row, "avg_heart_rate"),
                max_hr=_value(row, "max_heart_rate"),
                avg_cadence_spm=cadence,
                elevation_gain_m=_value(row, "total_ascent"),
                elevation_loss_m=_value(row, "total_descent"),
                laps=_laps(self.fit, begin, begin + elapsed + 1),
                device=self.device,
                source="fit",
                series=self.records.series(chosen, begin, on_foot),
            )
        )
        for name in FEELING_FIELDS:
            value = _value(row, name)
            if value is not None:
                self.feelings.append(Feeling(index, name, value))

    def from_records(self) -> None:
        """An unfinished recording: no session, so the run comes from records and laps."""
        t = self.records.t
        lap_rows = list(self.fit.messages("lap").rows())
        begin = _nanstat(t, "min")
        last = _nanstat(t, "max")
        lap_starts = [v for r in lap_rows if (v := _value(r, "start_time")) is not None]
        if lap_starts and _instant(min(lap_starts)) is not None:
            begin = min(lap_starts) if begin is None else min(begin, min(lap_starts))
        if begin is None or last is None or last <= begin:
            raise ParseError("the file has no session and too few timed records to make a run")
        sport, sub_sport = self._sport_hint(lap_rows)
        kind = sport_of(sport, sub_sport)
        chosen = self.records.within(begin, last + 1)
        distances = self.records.distance[chosen]
        self.warnings.append(
            ParseWarning("the file has no session summary; the run was rebuilt from its records")
        )
        self.runs.append(
            Run(
                start=_instant(begin),  # type: ignore[arg-type]
                duration_s=last - begin,
                sport=kind,
                sport_name=_sport_name(sport, sub_sport),
                utc_offset_min=self.offset,
                distance_m=_nanstat(distances, "max"),
                setting=setting_of(sub_sport),
                avg_hr=_nanstat(self.records.hr[chosen], "mean"),
                max_hr=_nanstat(self.records.hr[chosen], "max"),
                laps=_laps(self.fit, begin, last + 1),
                device=self.device,
                source="fit",
                series=self.records.series(chosen, begin, kind.is_on_foot),
            )
        )

    def _sport_hint(self, lap_rows: list[dict[str, object]]) -> tuple[str | None, str | None]:
        for row in list(self.fit.messages("sport").rows()) + lap_rows:
            sport = _enum(row, "sport", "sport")
            if sport is not None:
                return sport, _enum(row, "sub_sport", "sub_sport")
        return None, None


def activities_from(fit: FitFile) -> FitActivities:
    """The runs in a decoded FIT file; raises :class:`NotAnActivity` for other file types."""
    has_data = any(len(fit.messages(name)) for name in ("session", "lap", "record"))
    file_type = fit.file_type
    if not has_data:
        if file_type not in (None, "activity"):
            raise NotAnActivity(file_type)
        raise ParseError("the file holds no sessions, laps or records")
    builder = _Builder(fit)
    if len(fit.messages("session")):
        builder.from_sessions()
    if not builder.runs:
        builder.from_records()
    return FitActivities(
        runs=tuple(builder.runs),
        warnings=tuple(fit.warnings) + tuple(builder.warnings),
        feelings=tuple(builder.feelings),
        file_type=file_type,
    )
