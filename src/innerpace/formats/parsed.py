"""What every activity parser returns: the activities found in one file, and what was odd."""

from __future__ import annotations

from dataclasses import dataclass, field

from innerpace.domain import CheckIn, Reflection, Run
from innerpace.formats.errors import ParseWarning


@dataclass(frozen=True, slots=True)
class DeviceFeeling:
    """A subjective rating a device stored with an activity (e.g. Garmin's post-run Feel, RPE).

    ``run_index`` points into :attr:`ParsedActivities.runs`; ``instrument_id`` names the
    instrument definition the value belongs to; ``value`` is on that instrument's scale.
    """

    run_index: int
    instrument_id: str
    item_id: str
    value: float


@dataclass(frozen=True, slots=True)
class CarriedWords:
    """Words another app kept with an activity (a Strava title, description, private note).

    They become a reflection marked with its ``origin``; ``private`` ones stay out of reports.
    """

    run_index: int
    text: str
    origin: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class ParsedActivities:
    format: str
    runs: tuple[Run, ...]
    warnings: tuple[ParseWarning, ...] = ()
    feelings: tuple[DeviceFeeling, ...] = field(default_factory=tuple)
    words: tuple[CarriedWords, ...] = field(default_factory=tuple)
    checkins: tuple[CheckIn, ...] = field(default_factory=tuple)  # feelings tied to no run yet
    day_words: tuple[Reflection, ...] = field(default_factory=tuple)  # words tied to a day
