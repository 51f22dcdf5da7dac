"""Plain words and quiet numbers shared by the CLI and the web pages."""

from __future__ import annotations

from innerpace.instruments import get_instrument


def feeling_words(value: float | None) -> str:
    """A Feeling Scale value as "+3 good"; "–" when there was no check-in."""
    if value is None:
        return "–"
    item = get_instrument("fs").items[0]
    label = item.anchor(value)
    if label is None:
        # Even numbers sit between two anchors.
        lower, upper = item.anchor(value - 1), item.anchor(value + 1)
        label = f"{lower} – {upper}" if lower and upper else ""
    return f"{value:+.0f} {label}".strip() if value else f"0 {label}".strip()


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min" if secs < 30 or minutes >= 10 else f"{minutes} min {secs:02d} s"


def format_distance(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def format_pace(seconds_per_km: float | None) -> str:
    if not seconds_per_km:
        return ""
    minutes, secs = divmod(round(seconds_per_km), 60)
    return f"{minutes}:{secs:02d} /km"
