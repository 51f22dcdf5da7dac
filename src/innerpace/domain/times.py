"""Time rules: every stored instant is an aware datetime in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone


def utc_now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; a naive datetime is refused, never guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"time {value.isoformat()} has no UTC offset")
    return value.astimezone(UTC)


def parse_instant(text: str, default_offset_min: int | None = None) -> datetime:
    """Parse an ISO-8601 instant. A time without offset takes ``default_offset_min``.

    Raises ``ValueError`` with a plain message when the text is not a time.
    """
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 time such as 2026-05-01T07:30") from None
    if value.tzinfo is None:
        if default_offset_min is None:
            raise ValueError(f"{text!r} has no UTC offset")
        value = value.replace(tzinfo=timezone(timedelta(minutes=default_offset_min)))
    return value.astimezone(UTC)


def offset_minutes(value: datetime) -> int | None:
    """The UTC offset of an aware datetime in whole minutes, or None when naive."""
    off = value.utcoffset()
    return None if off is None else int(off.total_seconds() // 60)


def iso_utc(value: datetime) -> str:
    """ISO-8601 text in UTC with a ``Z`` suffix, to the second."""
    return ensure_utc(value).replace(microsecond=0).isoformat().replace("+00:00", "Z")
