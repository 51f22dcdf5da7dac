"""Times, time zones and quantities as Apple Health writes them.

``startDate="2019-03-04 07:12:43 +0100"``: the offset is the phone's at export time, not
the workout's; the workout's own zone is its ``HKTimeZone`` metadata ("Europe/Paris"),
which gives the local time the person lived.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_WHEN = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ?([+-])(\d{2}):?(\d{2})")
METRES = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
SECONDS = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}

_DAYS: dict[str, float] = {}
_OFFSETS: dict[str, int] = {}
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def epoch(text: str | None) -> tuple[float, int] | None:
    """``"2019-03-04 07:12:43 +0100"`` → (seconds since 1970 UTC, offset in minutes)."""
    if not text or len(text) < 19:
        return None
    try:
        day = _DAYS.get(text[:10])
        if day is None:
            match = _WHEN.fullmatch(text.strip())
            if match is None:
                return None
            y, m, d = (int(g) for g in match.groups()[:3])
            day = (date(y, m, d).toordinal() - _EPOCH_DAY) * 86400.0
            if len(_DAYS) < 100_000:
                _DAYS[text[:10]] = day
        zone = text[19:].strip()
        offset = _OFFSETS.get(zone)
        if offset is None:
            match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", zone)
            if match is None:
                return None
            offset = (int(match.group(2)) * 60 + int(match.group(3))) * (
                -1 if match.group(1) == "-" else 1
            )
            if abs(offset) > 16 * 60:
                return None
            _OFFSETS[zone] = offset
        clock = int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])
    except ValueError:
        return None
    return day + clock - offset * 60, offset


def as_datetime(seconds: float) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_offset(zone_name: str | None, at: float) -> int | None:
    """The UTC offset in minutes of the time zone ``zone_name`` at the instant ``at``; None
    when the zone is unknown."""
    if not zone_name or len(zone_name) > 64:
        return None
    zone = _zone(zone_name.strip())
    if zone is None:
        return None
    offset = as_datetime(at).astimezone(zone).utcoffset()
    return None if offset is None else round(offset.total_seconds() / 60)


def number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def quantity(
    value: str | None, unit: str | None, units: dict[str, float], default: str = ""
) -> float | None:
    """A non-negative number in the base unit of ``units``; None when unreadable."""
    found = number(value)
    if found is None or found < 0:
        return None
    factor = units.get((unit or default).strip() or default, 1.0 if not (unit or default) else 0)
    return found * factor if factor else None
