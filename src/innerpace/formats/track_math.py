"""What the GPX and TCX readers share: the point loop over the document, checks on times,
numbers and coordinates from the file, the refusals, and the figures of a track (haversine
distance, climb with a small hysteresis, moving time, series).

Each format says only how to find a point's fields among its children, and what its other
elements (tracks, laps, activities) mean; everything else happens here, once.

Arrays hold one value per point, NaN where the file says nothing.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from innerpace.domain import Run, Series, Setting, Sport
from innerpace.domain.activity import Lap
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.xml_safety import ElementStream, forget, local_name

EARTH_RADIUS_M = 6_371_008.8
#: Climb smaller than this (metres) between turning points is treated as GPS noise.
ELEVATION_HYSTERESIS_M = 2.0
#: Slower than this (m/s, 1.8 km/h) between two points counts as standing still.
MOVING_SPEED_MPS = 0.5
MAX_POINTS = 2_000_000
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAN = float("nan")


def epoch_seconds(text: str) -> float:
    """An ISO-8601 time as seconds since 1970 UTC; a time without offset is UTC (as in GPX).

    Raises ``ValueError`` when the text is not a time.
    """
    try:
        value = datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return (value - _EPOCH).total_seconds()
    except OverflowError:
        raise ValueError("time out of range") from None


def to_datetime(seconds: float) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def time_reader(what: str, source: str | None) -> Callable[[str | None, int], float]:
    """A function reading one point's time as epoch seconds (NaN when None or blank).

    It refuses times before 1990 or more than a day in the future; ``what`` names a point in
    errors ("track point"), and indexes in messages count from 1.
    """
    low, high = time_bounds()
    nan = _NAN
    fromisoformat = datetime.fromisoformat
    epoch = _EPOCH
    utc = UTC

    def read(text: str | None, index: int) -> float:
        if text is None:
            return nan
        try:
            value = fromisoformat(text)
            if value.tzinfo is None:
                value = value.replace(tzinfo=utc)
            seconds = (value - epoch).total_seconds()
        except (ValueError, OverflowError):
            if not text.strip():
                return nan
            try:
                seconds = epoch_seconds(text)  # surrounding whitespace
            except ValueError:
                raise ParseError(
                    f"{what} {index + 1}: time {_quote(text)} is not a time", source
                ) from None
        if not low <= seconds <= high:
            when = "before 1990" if seconds < low else "more than a day in the future"
            raise ParseError(f"{what} {index + 1}: time {_quote(text)} is {when}", source)
        return seconds

    return read


def time_bounds() -> tuple[float, float]:
    """Accepted times as epoch seconds: from 1990 to a day from now."""
    low = (EARLIEST - _EPOCH).total_seconds()
    high = (datetime.now(UTC) - _EPOCH).total_seconds() + 86_400.0
    return low, high


def time_problem(text: str, value: float) -> str | None:
    """Why a time is refused ("time '1901-…' is before 1990"), or None when it is fine."""
    low, high = time_bounds()
    if value < low:
        return f"time {_quote(text)} is before 1990"
    if value > high:
        return f"time {_quote(text)} is more than a day in the future"
    return None


def number(text: str | None, what: str, index: int, field: str, source: str | None) -> float:
    """A number from the file; None or blank means missing (NaN); anything else is refused."""
    if text is None:
        return _NAN
    try:
        return float(text)
    except ValueError:
        if not text.strip():
            return _NAN
        raise ParseError(
            f"{what} {index + 1}: {field} {_quote(text)} is not a number", source
        ) from None


def bad_coordinate(what: str, index: int, field: str, text: str | None, source: str | None):
    """The error for a missing, non-numeric, NaN or out-of-range latitude/longitude."""
    if text is None:
        return ParseError(f"{what} {index + 1}: {field} is missing", source)
    return ParseError(f"{what} {index + 1}: {field} {_quote(text)} is not a valid {field}", source)


def _quote(text: object, limit: int = 40) -> str:
    shown = str(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return repr(shown)


def step_distances(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Haversine metres from each point to the next (n - 1 values; NaN where a point lacks one)."""
    if lat.size < 2:
        return np.zeros(0)
    phi = np.radians(lat)
    lam = np.radians(lon)
    dphi = np.diff(phi)
    dlam = np.diff(lam)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def path_distance(lat: np.ndarray, lon: np.ndarray, new_segment: np.ndarray) -> np.ndarray:
    """Cumulative haversine distance; no distance is counted across a segment break.

    Points without a position carry the distance reached so far. ``new_segment`` is a bool
    array, True at the first point of every segment after the first.
    """
    have = np.isfinite(lat) & np.isfinite(lon)
    out = np.full(lat.size, _NAN)
    if not have.any():
        return out
    idx = np.flatnonzero(have)
    steps = step_distances(lat[idx], lon[idx])
    # A step crosses a break when a segment starts after the previous positioned point.
    segment_id = np.cumsum(new_segment)
    steps[segment_id[idx[1:]] != segment_id[idx[:-1]]] = 0.0
    reached = np.concatenate(([0.0], np.cumsum(steps)))
    out[idx] = reached
    # Carry forward over points without a position; before the first fix, distance is 0.
    filled = np.maximum.accumulate(np.where(have, np.arange(lat.size), -1))
    out = np.where(filled >= 0, out[np.maximum(filled, 0)], 0.0)
    return out


def elevation_change(altitude: np.ndarray, hysteresis_m: float = ELEVATION_HYSTERESIS_M):
    """Total climb and descent in metres, ignoring wiggles smaller than ``hysteresis_m``.

    Returns ``(None, None)`` when there is no altitude.
    """
    values = altitude[np.isfinite(altitude)]
    if values.size == 0:
        return None, None
    gain = loss = 0.0
    ref = float(values[0])
    for value in values.tolist():
        if value - ref >= hysteresis_m:
            gain += value - ref
            ref = value
        elif ref - value >= hysteresis_m:
            loss += ref - value
            ref = value
    return gain, loss


def moving_seconds(
    t: np.ndarray,
    distance: np.ndarray,
    new_segment: np.ndarray,
    min_speed: float = MOVING_SPEED_MPS,
) -> float | None:
    """Seconds spent faster than ``min_speed``; gaps between segments never count.

    ``distance`` is cumulative (in file order); None when it is all missing.
    """
    if t.size < 2 or not np.isfinite(distance).any():
        return None
    # Some exporters jumble times; time never runs backwards here, so the sum stays within
    # the recording's span.
    dt = np.diff(np.maximum.accumulate(t))
    dd = np.diff(distance)
    with np.errstate(invalid="ignore", divide="ignore"):
        moving = (dt > 0) & np.isfinite(dd) & (dd >= min_speed * dt) & ~new_segment[1:]
    return float(dt[moving].sum())


@dataclass
class TrackColumns:
    """One activity's points, column-wise; NaN where missing. Times are epoch seconds."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    altitude: np.ndarray
    hr: np.ndarray
    cadence_spm: np.ndarray
    distance: np.ndarray  # cumulative metres written by the device; NaN when absent
    new_segment: np.ndarray  # bool, True where a segment (after the first) starts

    def select(self, keep: np.ndarray) -> TrackColumns:
        """Only the points where ``keep`` is True; segment starts survive the cut."""
        segment_id = np.cumsum(self.new_segment)[keep]
        new_segment = np.zeros(segment_id.size, dtype=bool)
        new_segment[1:] = segment_id[1:] != segment_id[:-1]
        return TrackColumns(
            t=self.t[keep],
            lat=self.lat[keep],
            lon=self.lon[keep],
            altitude=self.altitude[keep],
            hr=self.hr[keep],
            cadence_spm=self.cadence_spm[keep],
            distance=self.distance[keep],
            new_segment=new_segment,
        )


def clean_channels(columns: TrackColumns) -> None:
    """Drop impossible sensor values in place: heart rate outside 1–300, cadence outside
    0–500 steps/min, altitude outside −1,000–10,000 m, negative or non-finite distances."""
    for values, low, high in (
        (columns.hr, 1.0, 300.0),
        (columns.cadence_spm, 0.0, 500.0),
        (columns.altitude, -1000.0, 10_000.0),
        (columns.distance, 0.0, 1e8),
    ):
        with np.errstate(invalid="ignore"):
            values[~((values >= low) & (values <= high))] = _NAN


def build_run(
    columns: TrackColumns,
    *,
    source_format: str,
    sport: Sport,
    sport_name: str | None,
    name: str | None = None,
    device: str | None = None,
    laps: tuple[Lap, ...] = (),
    distance_m: float | None = None,
    timer_s: float | None = None,
) -> Run:
    """Summarise timed points (all ``t`` finite, at least two distinct) into a :class:`Run`.

    ``distance_m`` (e.g. the sum of lap distances) wins over the points' own distances,
    which win over haversine along the positions. ``timer_s`` stands in for moving time
    when the points cannot tell it.
    """
    clean_channels(columns)
    t = columns.t
    first = float(t.min())
    duration = float(t.max()) - first
    has_positions = bool(np.isfinite(columns.lat).any())
    recorded = columns.distance
    if np.isfinite(recorded).any():
        # Fill gaps by carrying the last distance forward (0 before the first one).
        have = np.isfinite(recorded)
        last = np.maximum.accumulate(np.where(have, np.arange(recorded.size), -1))
        along = np.where(last >= 0, recorded[np.maximum(last, 0)], 0.0)
        own_total = float(np.nanmax(recorded) - np.nanmin(recorded))
    elif has_positions:
        along = path_distance(columns.lat, columns.lon, columns.new_segment)
        own_total = float(along[-1]) if along.size else 0.0
    else:
        along = np.full(t.size, _NAN)
        own_total = None
    total = distance_m if distance_m is not None else own_total
    moving = moving_seconds(t, along, columns.new_segment)
    if moving is None and timer_s is not None:
        moving = timer_s
    if moving is not None:
        moving = min(moving, duration)
    gain, loss = elevation_change(columns.altitude)
    hr = columns.hr[np.isfinite(columns.hr)]
    cadence = columns.cadence_spm[np.isfinite(columns.cadence_spm) & (columns.cadence_spm > 0)]
    setting = Setting.TREADMILL if not has_positions and total else Setting.UNKNOWN
    series = Series(
        t_s=_column(t - first),
        distance_m=_column(np.where(np.isfinite(recorded), recorded, along)),
        hr=_column(columns.hr),
        cadence_spm=_column(columns.cadence_spm),
        altitude_m=_column(columns.altitude),
        lat=_column(columns.lat),
        lon=_column(columns.lon),
    )
    return Run(
        start=to_datetime(first),
        duration_s=duration,
        sport=sport,
        sport_name=sport_name,
        utc_offset_min=None,
        moving_s=moving,
        distance_m=total,
        setting=setting,
        name=name,
        avg_hr=float(hr.mean()) if hr.size else None,
        max_hr=float(hr.max()) if hr.size else None,
        avg_cadence_spm=float(cadence.mean()) if cadence.size else None,
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        laps=laps,
        device=device,
        source=source_format,
        series=series,
    )


def _column(values: np.ndarray) -> array:
    out = array("d")
    out.frombytes(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return out


def order_warning(t: np.ndarray, label: str) -> ParseWarning | None:
    """A warning when times run backwards; points stay in file order (the path's order)."""
    backwards = int((np.diff(t) < 0).sum())
    if not backwards:
        return None
    return ParseWarning(f"{label}: time runs backwards at {backwards} points; kept in file order")


def clean_text(text: str | None, limit: int = 200) -> str | None:
    """A name or device from the file as plain text: trimmed, single-spaced, bounded."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned[:limit] or None


@dataclass(frozen=True, slots=True)
class StravaType:
    """One of the activity type numbers Strava writes into the GPX files it makes."""

    name: str  # Strava's English name for it, kept as the run's sport name
    sport: Sport
    setting: Setting | None = None


# Strava writes its own activity type numbers into GPX <type> ("9" for a run), not words.
# The numbers follow Strava's list of activity types (Ride, AlpineSki, BackcountrySki, Hike,
# ...) counted from 1, with 20 and 32-50 unused; 51-53 came later. The table is the one
# collected in https://stackoverflow.com/questions/61903437 and used by public Strava GPX
# readers (e.g. github.com/Dillie-O/StravaGPXReaderLib); a real Strava swim says "16".
_STRAVA_TYPES: dict[str, StravaType] = {
    "1": StravaType("Ride", Sport.CYCLING),
    "2": StravaType("Alpine Ski", Sport.OTHER),
    "3": StravaType("Backcountry Ski", Sport.OTHER),
    "4": StravaType("Hike", Sport.HIKING),
    "5": StravaType("Ice Skate", Sport.OTHER),
    "6": StravaType("Inline Skate", Sport.OTHER),
    "7": StravaType("Nordic Ski", Sport.OTHER),
    "8": StravaType("Roller Ski", Sport.OTHER),
    "9": StravaType("Run", Sport.RUNNING),
    "10": StravaType("Walk", Sport.WALKING),
    "11": StravaType("Workout", Sport.OTHER),
    "12": StravaType("Snowboard", Sport.OTHER),
    "13": StravaType("Snowshoe", Sport.OTHER),
    "14": StravaType("Kitesurf", Sport.OTHER),
    "15": StravaType("Windsurf", Sport.OTHER),
    "16": StravaType("Swim", Sport.SWIMMING),
    "17": StravaType("Virtual Ride", Sport.CYCLING),
    "18": StravaType("E-Bike Ride", Sport.CYCLING),
    "19": StravaType("Velomobile", Sport.CYCLING),
    "21": StravaType("Canoe", Sport.OTHER),
    "22": StravaType("Kayaking", Sport.OTHER),
    "23": StravaType("Rowing", Sport.ROWING),
    "24": StravaType("Stand Up Paddling", Sport.OTHER),
    "25": StravaType("Surfing", Sport.OTHER),
    "26": StravaType("Crossfit", Sport.OTHER),
    "27": StravaType("Elliptical", Sport.OTHER),
    "28": StravaType("Rock Climb", Sport.OTHER),
    "29": StravaType("Stair-Stepper", Sport.OTHER),
    "30": StravaType("Weight Training", Sport.OTHER),
    "31": StravaType("Yoga", Sport.OTHER),
    "51": StravaType("Handcycle", Sport.OTHER),
    "52": StravaType("Wheelchair", Sport.OTHER),
    "53": StravaType("Virtual Run", Sport.RUNNING, Setting.TREADMILL),
}


def strava_type(text: str | None) -> StravaType | None:
    """The Strava activity type a GPX ``<type>`` number stands for, or None for anything else."""
    if not text:
        return None
    return _STRAVA_TYPES.get(text.strip())


_SPORT_WORDS = (
    ("run", Sport.RUNNING),
    ("jog", Sport.RUNNING),
    ("walk", Sport.WALKING),
    ("hik", Sport.HIKING),
    ("trek", Sport.HIKING),
    ("bik", Sport.CYCLING),
    ("cycl", Sport.CYCLING),
    ("ride", Sport.CYCLING),
    ("swim", Sport.SWIMMING),
    ("row", Sport.ROWING),
)


def sport_of(name: str | None) -> Sport:
    """A sport from a file's own word for it ("Running", "trail_running", "9", "Biking")."""
    if not name:
        return Sport.OTHER
    key = name.strip().lower()
    if key in _STRAVA_TYPES:
        return _STRAVA_TYPES[key].sport
    for word, sport in _SPORT_WORDS:
        if word in key:
            return sport
    return Sport.OTHER


# -- reading points ----------------------------------------------------------------------------

#: What a format's point function gives for one point element: the texts of latitude,
#: longitude, time, altitude, distance, heart rate and cadence (None where absent).
PointTexts = tuple[
    str | None, str | None, str | None, str | None, str | None, str | None, str | None
]


_BLANK = b" \t\r\n\x00\xef\xbb\xbf"


class FilePoints:
    """Every point of a file, column-wise, in file order; NaN where missing."""

    __slots__ = ("altitude", "cadence", "distance", "hr", "lat", "lon", "time")

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        for name in self.__slots__:
            setattr(self, name, arrays[name])

    def track(
        self,
        first: int,
        end: int,
        *,
        on_foot: bool,
        segment_starts: tuple[int, ...] | list[int] = (),
    ) -> TrackColumns:
        """The points ``first`` to ``end`` as one activity's columns (its own copies).

        Cadence in the file counts one leg: on foot it is doubled to steps/min. Each of
        ``segment_starts`` (a point index inside the span) begins a new segment.
        """
        span = slice(first, end)
        size = end - first
        new_segment = np.zeros(size, dtype=bool)
        for start in segment_starts:
            if 0 < start - first < size:
                new_segment[start - first] = True
        cadence = self.cadence[span] * 2.0 if on_foot else self.cadence[span].copy()
        return TrackColumns(
            t=self.time[span],
            lat=self.lat[span],
            lon=self.lon[span],
            altitude=self.altitude[span].copy(),
            hr=self.hr[span].copy(),
            cadence_spm=cadence,
            distance=self.distance[span].copy(),
            new_segment=new_segment,
        )


def read_points(
    data: bytes,
    source: str | None,
    *,
    point: str,
    texts: Callable[[Any], PointTexts],
    others: Mapping[str, Callable[[Any, int], None]],
    what: str,
    position_required: bool,
    altitude: str = "altitude",
) -> tuple[FilePoints, str]:
    """One pass over an XML document, gathering its points into number columns.

    ``point`` is the local name of a point element; ``texts`` reads one point element's
    fields; ``others`` maps the local names of the format's other elements to a function
    called with the element (complete, when it ends) and the number of points read before
    it. Returns the points and the local name of the document's root. ``what`` names a
    point and ``altitude`` the altitude field in error messages.

    Refuses an empty file (nothing but white space and a byte-order mark), more than
    :data:`MAX_POINTS` points, coordinates that are not numbers or out of
    range (a point without any position is allowed unless ``position_required``), times and
    numbers that cannot be read.
    """
    # Only a short file is copied to be looked at; a long one is never empty.
    short = isinstance(data, bytes | bytearray | memoryview) and len(data) < 4096
    if short and not bytes(data).strip(_BLANK):
        raise ParseError("the file is empty", source)
    stream = ElementStream(data, (f"{{*}}{name}" for name in (point, *others)), source)
    read_time = time_reader(what, source)
    nan = _NAN
    columns = {name: array("d") for name in FilePoints.__slots__}
    lat_append, lon_append = columns["lat"].append, columns["lon"].append
    time_append, altitude_append = columns["time"].append, columns["altitude"].append
    distance_append, hr_append = columns["distance"].append, columns["hr"].append
    cadence_append = columns["cadence"].append
    handlers: dict[object, Callable[[Any, int], None] | None] = {}
    count = 0
    for element in stream:
        tag = element.tag
        try:
            handler = handlers[tag]
        except KeyError:
            handler = handlers[tag] = others.get(local_name(tag))
        if handler is not None:
            handler(element, count)
            continue
        if count >= MAX_POINTS:
            raise ParseError(f"more than {MAX_POINTS:,} {what}s", source)
        lat_text, lon_text, time_text, altitude_text, distance_text, hr_text, cadence_text = texts(
            element
        )
        if lat_text is None and lon_text is None and not position_required:
            lat = lon = nan
        else:
            try:
                lat = float(lat_text)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                lat = nan
            if not -90.0 <= lat <= 90.0:
                raise bad_coordinate(what, count, "latitude", lat_text, source)
            try:
                lon = float(lon_text)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                lon = nan
            if not -180.0 <= lon <= 180.0:
                raise bad_coordinate(what, count, "longitude", lon_text, source)
        lat_append(lat)
        lon_append(lon)
        time_append(read_time(time_text, count))
        try:
            value = nan if altitude_text is None else float(altitude_text)
        except ValueError:
            value = number(altitude_text, what, count, altitude, source)
        altitude_append(value)
        try:
            value = nan if distance_text is None else float(distance_text)
        except ValueError:
            value = number(distance_text, what, count, "distance", source)
        distance_append(value)
        try:
            value = nan if hr_text is None else float(hr_text)
        except ValueError:
            value = number(hr_text, what, count, "heart rate", source)
        hr_append(value)
        try:
            value = nan if cadence_text is None else float(cadence_text)
        except ValueError:
            value = number(cadence_text, what, count, "cadence", source)
        cadence_append(value)
        count += 1
        if not count & 63:  # free read points in batches: cheaper than one by one
            forget(element)
    arrays = {name: np.array(column, dtype=np.float64) for name, column in columns.items()}
    return FilePoints(arrays), stream.root_name


def check_root(root: str, expected: str, kind: str, source: str | None) -> None:
    """Refuse a document whose root element is not the format's."""
    if root != expected:
        raise ParseError(f"not a {kind} file (the document is <{root[:40]}>)", source)


#: Why an activity's points give no run (see :func:`timed_points`).
NO_TIMES = "no times"
NO_DURATION = "no duration"


def timed_points(
    columns: TrackColumns, label: str, warnings: list[ParseWarning]
) -> TrackColumns | str:
    """The points that have a time, ready for :func:`build_run`, or why there are none.

    Points without a time are dropped and times running backwards noted, with a warning
    each. Returns :data:`NO_TIMES` when no point has a time and :data:`NO_DURATION` when
    the timed points span no time.
    """
    t = columns.t
    timed = np.isfinite(t)
    if not timed.any():
        return NO_TIMES
    if not timed.all():
        dropped = int(t.size - timed.sum())
        warnings.append(ParseWarning(f"{label}: {dropped} points without a time dropped"))
        columns = columns.select(timed)
    if (warning := order_warning(columns.t, label)) is not None:
        warnings.append(warning)
    if not float(columns.t.max()) > float(columns.t.min()):
        return NO_DURATION
    return columns


def refuse(reasons: list[tuple[int, str]], source: str | None, default: str) -> ParseError:
    """The error for a file that gave no run: the reason of its largest activity."""
    if not reasons:
        return ParseError(default, source)
    return ParseError(max(reasons, key=lambda item: item[0])[1], source)
