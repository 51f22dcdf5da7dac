"""A run (or any activity) as innerpace holds it: summary, laps and a compact series."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from innerpace.domain.times import ensure_utc


class Sport(StrEnum):
    """The sports innerpace names. Anything else is kept as ``OTHER`` with its raw name."""

    RUNNING = "running"
    WALKING = "walking"
    HIKING = "hiking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    ROWING = "rowing"
    OTHER = "other"

    @property
    def is_on_foot(self) -> bool:
        """Running, walking and hiking: the journal's default focus."""
        return self in (Sport.RUNNING, Sport.WALKING, Sport.HIKING)


ON_FOOT = tuple(s.value for s in Sport if s.is_on_foot)  # the journal's default focus


class Setting(StrEnum):
    ROAD = "road"
    TRAIL = "trail"
    TRACK = "track"
    TREADMILL = "treadmill"
    INDOOR = "indoor"
    UNKNOWN = "unknown"


class Company(StrEnum):
    ALONE = "alone"
    WITH_OTHERS = "with-others"
    UNKNOWN = "unknown"


class LapTrigger(StrEnum):
    """Why a lap ended. A ``MANUAL`` lap press is a suggested moment."""

    MANUAL = "manual"
    DISTANCE = "distance"
    TIME = "time"
    POSITION = "position"
    SESSION_END = "session-end"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Lap:
    start: datetime
    elapsed_s: float
    distance_m: float | None = None
    trigger: LapTrigger = LapTrigger.UNKNOWN
    avg_hr: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", ensure_utc(self.start))
        if self.elapsed_s < 0:
            raise ValueError("a lap cannot last less than zero seconds")


SERIES_CHANNELS = ("t_s", "distance_m", "hr", "cadence_spm", "altitude_m", "lat", "lon")


@dataclass(frozen=True, slots=True)
class Series:
    """Samples along a run, column-wise. Missing values are NaN.

    ``t_s`` is seconds since the run's start; ``cadence_spm`` is steps per minute (both legs).
    """

    t_s: array[float] = field(default_factory=lambda: array("d"))
    distance_m: array[float] = field(default_factory=lambda: array("d"))
    hr: array[float] = field(default_factory=lambda: array("d"))
    cadence_spm: array[float] = field(default_factory=lambda: array("d"))
    altitude_m: array[float] = field(default_factory=lambda: array("d"))
    lat: array[float] = field(default_factory=lambda: array("d"))
    lon: array[float] = field(default_factory=lambda: array("d"))

    def __post_init__(self) -> None:
        n = len(self.t_s)
        for name in SERIES_CHANNELS:
            column = getattr(self, name)
            if len(column) != n:
                raise ValueError(f"series channel {name} has {len(column)} samples, expected {n}")

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def has_coordinates(self) -> bool:
        return any(v == v for v in self.lat)  # NaN != NaN

    def without_coordinates(self) -> Series:
        nan = array("d", [float("nan")]) * len(self)
        return replace(self, lat=nan, lon=array("d", nan))


@dataclass(frozen=True, slots=True)
class Run:
    """One activity: named ``Run`` for the journal's centre; ``sport`` says what it was."""

    start: datetime
    duration_s: float
    sport: Sport = Sport.RUNNING
    sport_name: str | None = None
    utc_offset_min: int | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    setting: Setting = Setting.UNKNOWN
    company: Company = Company.UNKNOWN
    name: str | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence_spm: float | None = None
    elevation_gain_m: float | None = None
    elevation_loss_m: float | None = None
    laps: tuple[Lap, ...] = ()
    device: str | None = None
    source: str = "manual"
    series: Series | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", ensure_utc(self.start))
        if not self.duration_s > 0:
            raise ValueError("a run must last longer than zero seconds")
        if self.distance_m is not None and self.distance_m < 0:
            raise ValueError("a run's distance cannot be negative")
        if self.moving_s is not None and self.moving_s < 0:
            raise ValueError("a run's moving time cannot be negative")
        if self.utc_offset_min is not None and not -16 * 60 <= self.utc_offset_min <= 16 * 60:
            raise ValueError(f"UTC offset {self.utc_offset_min} min is not a real offset")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.duration_s)

    @property
    def local_start(self) -> datetime:
        """The start as the runner's clock showed it (UTC when the offset is unknown)."""
        from datetime import timezone

        offset = timedelta(minutes=self.utc_offset_min or 0)
        return self.start.astimezone(timezone(offset))

    @property
    def pace_s_per_km(self) -> float | None:
        moving = self.moving_s or self.duration_s
        if not self.distance_m:
            return None
        return moving / (self.distance_m / 1000.0)

    def with_id(self, run_id: int) -> Run:
        return replace(self, id=run_id)
