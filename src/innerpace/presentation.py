"""Plain words and quiet numbers shared by the CLI and the web pages."""

from __future__ import annotations

from innerpace.instruments import get_instrument


def anchor_words(instrument_id: str, item_id: str, value: float, joiner: str = " to ") -> str:
    """The scale's own words for ``value``; between two anchors, both ("fairly good to good")."""
    item = get_instrument(instrument_id).item(item_id)
    exact = item.anchor(value)
    if exact is not None:
        return exact
    below = [label for k, label in item.anchors if k < value]
    above = [label for k, label in item.anchors if k > value]
    if below and above:
        return f"{below[-1]}{joiner}{above[0]}"
    return (below or above)[0] if (below or above) else ""


def feeling_words(value: float | None) -> str:
    """A Feeling Scale value as "+3 good"; "–" when there was no check-in."""
    if value is None:
        return "–"
    label = anchor_words("fs", "feeling", value, joiner=" – ")
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
