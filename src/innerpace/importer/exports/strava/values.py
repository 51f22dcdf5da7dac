"""Numbers, durations and dates as Strava writes them in each language.

``"3.68"``, ``"3,68"``, ``"1,234.5"``, ``"1.234,5"``, ``"1 234,5"`` (narrow no-break space);
``"Jun 11, 2017, 2:34:09 PM"``, ``"2 Aug 2026, 12:20:32"``, ``"21.07.2026, 15:09:27"``,
``"9 mei 2026, 19:00:00"``, ``"2 ago 2026, 12:20:32 p. m."``, ``"2026年8月2日 下午12:20:32"``.
Every start time in the export is UTC.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from enum import Enum

from innerpace.importer.exports.strava.words import date_words, normalize

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")


def parse_number(text: str | None, decimal_comma: bool = False) -> float | None:
    """A finite number; ``decimal_comma`` says how a lone comma reads ("3,68" vs "1,234")."""
    if text is None:
        return None
    value = _SPACES.sub("", text.strip()).replace("'", "")
    if not value:
        return None
    if "," in value and "." in value:
        thousands = "," if value.rindex(",") < value.rindex(".") else "."
        value = value.replace(thousands, "")
    if "," in value:
        if value.count(",") > 1 or (
            not decimal_comma and re.fullmatch(r"-?\d{1,3}(,\d{3})+", value)
        ):
            value = value.replace(",", "")
        else:
            value = value.replace(",", ".")
    elif value.count(".") > 1:
        value = value.replace(".", "")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


_HMS = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?")


def parse_duration(text: str | None, decimal_comma: bool = False) -> float | None:
    """Seconds, from ``"2525"``, ``"2525.0"`` or a clock ``"42:05"`` / ``"1:02:05"``."""
    if text is None:
        return None
    clock = _HMS.fullmatch(text.strip())
    if clock:
        hours, minutes, seconds = (int(p) if p else 0 for p in clock.groups())
        return float(hours * 3600 + minutes * 60 + seconds)
    return parse_number(text, decimal_comma)


class DayOrder(Enum):
    """How a date written only in numbers orders its parts."""

    MONTH_FIRST = "month-first"  # 8/2/2026 (en-US)
    DAY_FIRST = "day-first"  # 02/08/2026, 02.08.2026


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK = re.compile(r"(\d{1,2})[:.h時](\d{2})(?:[:.分](\d{2}))?")
_LETTERS = re.compile(r"[^\W\d_]+")


def parse_date(text: str | None, order: DayOrder = DayOrder.MONTH_FIRST) -> datetime | None:
    """A start time in any of the forms Strava has written (always UTC); None if unreadable."""
    if not text:
        return None
    text = _SPACES.sub(" ", text.strip())
    iso = _ISO.match(text)
    try:
        if iso:
            parts = [int(p) if p else 0 for p in iso.groups()]
            return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
        return _spoken_date(text, order)
    except (ValueError, OverflowError):
        return None


def _meridiem(before: str, after: str) -> bool | None:
    """True for the afternoon, False for the morning, None when the time is 24-hour."""
    words = date_words()
    tail = normalize(after).replace(" ", "")[:3]
    head = normalize(before).replace(" ", "")
    for size in (2, 1):
        if tail[:size] in words.pm:
            return True
        if tail[:size] in words.am:
            return False
    for word in words.pm:
        if len(word) > 1 and not word.isascii() and head.endswith(word):
            return True
    for word in words.am:
        if len(word) > 1 and not word.isascii() and head.endswith(word):
            return False
    return None


def _spoken_date(text: str, order: DayOrder) -> datetime | None:
    clocks = list(_CLOCK.finditer(text))
    if not clocks:
        return None
    clock = clocks[-1]
    hour, minute, second = (int(p) if p else 0 for p in clock.groups())
    pm = _meridiem(text[: clock.start()], text[clock.end() :])
    if pm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    day_part = normalize(text[: clock.start()])
    numbers = [int(n) for n in re.findall(r"\d+", day_part)]
    months = date_words().months
    month = next((months[w] for w in _LETTERS.findall(day_part) if w in months), None)
    if month is not None:
        years = [n for n in numbers if n > 31]
        days = [n for n in numbers if 1 <= n <= 31]
        if len(years) != 1 or not days:
            return None
        year, day = years[0], days[0]
    elif len(numbers) >= 3:
        a, b, c = numbers[:3]
        if a > 31:
            year, month, day = a, b, c
        elif order is DayOrder.MONTH_FIRST:
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
    else:
        return None
    if year < 100:
        year += 2000
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def day_order(cells: list[str], english: bool) -> DayOrder:
    """The order of a column's numeric dates, told by its content: a first number over 12 is
    a day; a second number over 12 means the month came first. Else by the header's
    language (English headers are mostly the US form)."""
    for cell in cells:
        head = cell.strip().split(" ")[0].rstrip(",")
        parts = re.split(r"[/.\-]", head)
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) == 4:
            continue
        first, second = int(parts[0]), int(parts[1])
        if first > 12:
            return DayOrder.DAY_FIRST
        if second > 12:
            return DayOrder.MONTH_FIRST
    return DayOrder.MONTH_FIRST if english else DayOrder.DAY_FIRST


def uses_decimal_comma(cells: list[str], english: bool) -> bool:
    """Whether the table writes "3,68" for three point six eight, told by its numbers."""
    for cell in cells:
        value = _SPACES.sub("", cell.strip())
        if re.fullmatch(r"-?\d+,\d{1,2}", value) or re.fullmatch(r"-?\d+,\d{4,}", value):
            return True
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", value):
            return True
        if re.fullmatch(r"-?\d+\.\d+", value) and not re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
            return False
    return not english


# -- recognising a column by what it holds ----------------------------------------------------
def looks_like_dates(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    if not filled:
        return False
    readable = sum(1 for c in filled if parse_date(c) is not None and not _plain_number(c))
    return readable >= 0.8 * len(filled)


def _plain_number(cell: str) -> bool:
    return parse_number(cell) is not None and not re.search(r"[:/\-]", cell)


def looks_like_ids(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return (
        bool(filled)
        and all(c.isdigit() and len(c) >= 6 for c in filled)
        and len(set(filled)) == len(filled)
    )


def looks_like_durations(cells: list[str]) -> bool:
    """Whole seconds of an activity: integers, most of them over a minute."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return False
    values = [parse_duration(c) for c in filled]
    if any(v is None or v < 0 or v > 30 * 86400 for v in values):
        return False
    whole = all(re.fullmatch(r"\d+(\.0)?|\d+(:\d{2}){1,2}", c) for c in filled)
    return whole and sum(1 for v in values if v and v >= 60) >= 0.8 * len(values)


def looks_like_distances(cells: list[str]) -> bool:
    """A distance column: non-negative decimals, some with a fraction."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return False
    values = [parse_number(c, "," in c and "." not in c) for c in filled]
    if any(v is None or v < 0 for v in values):
        return False
    return any(re.search(r"[.,]\d", c) for c in filled)
