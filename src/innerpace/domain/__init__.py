"""Pure data types and rules. Standard library only; every time is UTC-aware."""

from innerpace.domain.activity import (
    Company,
    Lap,
    LapTrigger,
    Run,
    Series,
    Setting,
    Sport,
)
from innerpace.domain.feelings import (
    CheckIn,
    CheckInKind,
    Moment,
    MomentStatus,
    Reflection,
    Response,
    WellbeingCheck,
)
from innerpace.domain.times import ensure_utc, utc_now

__all__ = [
    "CheckIn",
    "CheckInKind",
    "Company",
    "Lap",
    "LapTrigger",
    "Moment",
    "MomentStatus",
    "Reflection",
    "Response",
    "Run",
    "Series",
    "Setting",
    "Sport",
    "WellbeingCheck",
    "ensure_utc",
    "utc_now",
]
