"""Plain words and quiet numbers shared by the CLI and the web pages.

One formatter for each thing a person reads in both places (a duration, a run's name, a sport,
a device), so the same run reads the same in the terminal and in the browser.
"""

from __future__ import annotations

from datetime import date, datetime

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


def whole_minutes(seconds: float) -> int:
    """The one rounding rule for durations: to the nearest minute, half a minute rounding up."""
    return int(seconds / 60 + 0.5)


def format_duration(seconds: float | None) -> str:
    """``42 min``, ``1 h 20 min``; under a minute, ``40 s``. Nearest minute, half up."""
    if seconds is None:
        return ""
    if seconds < 30:
        return f"{max(0, round(seconds))} s"
    hours, minutes = divmod(whole_minutes(seconds), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def format_distance(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def format_pace(seconds_per_km: float | None) -> str:
    if not seconds_per_km:
        return ""
    minutes, secs = divmod(round(seconds_per_km), 60)
    return f"{minutes}:{secs:02d} /km"


def format_day(day: date | datetime) -> str:
    """``Fri 27 Nov 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_short_day(moment: datetime, today: date | None = None) -> str:
    """``Tue 24 Nov, 07:10``: a day and a clock, as a person names a run; the year only when it
    is not this year (``Sun 11 Jun 2017, 14:34``)."""
    this_year = (today or datetime.now(moment.tzinfo).date()).year
    year = "" if moment.year == this_year else f" {moment.year}"
    return f"{moment:%a} {moment.day} {moment:%b}{year}, {moment:%H:%M}"


# -- what a run is, in words ---------------------------------------------------------------

_NO_DETAIL = {"generic", "all", "invalid", "unknown", "other", ""}
_SPORT_WORDS = {
    "running": "Running",
    "walking": "Walking",
    "hiking": "Hiking",
    "cycling": "Cycling",
    "swimming": "Swimming",
    "rowing": "Rowing",
    "other": "Another sport",
}


def _plain(raw: str) -> str:
    return " ".join(raw.replace("_", " ").replace("-", " ").split())


def sport_words(sport: str, sport_name: str | None = None) -> str:
    """``running/generic`` → ``Running``; ``running/trail`` → ``Trail running``."""
    raw = (sport_name or "").strip()
    if not raw:
        return _SPORT_WORDS.get(sport, _plain(sport).capitalize() or "Another sport")
    base, _, detail = raw.partition("/")
    base_words = _SPORT_WORDS.get(base.lower(), _plain(base).capitalize())
    detail = _plain(detail).lower()
    if detail in _NO_DETAIL or detail == base.lower():
        return base_words or _SPORT_WORDS.get(sport, "Another sport")
    return f"{detail.capitalize()} {base_words.lower()}".strip()


def device_words(device: str | None) -> str:
    """``coros COROS APEX Pro`` → ``COROS APEX Pro``; ``garmin fr255`` → ``Garmin fr255``."""
    text = " ".join((device or "").split())
    if not text:
        return ""
    maker, _, product = text.partition(" ")
    if product.lower().startswith(maker.lower()):
        return product
    maker_words = _plain(maker)
    if maker_words.islower():
        maker_words = maker_words.title()
    return f"{maker_words} {product}".strip()


_SOURCES = {
    "fit": "from a FIT file",
    "gpx": "from a GPX file",
    "tcx": "from a TCX file",
    "manual": "logged by hand",
    "strava": "from a Strava export",
    "garmin": "from a Garmin export",
    "apple": "from an Apple Health export",
    "innerpace": "from an innerpace export",
    "demo": "with the demo journal",
}


def source_words(source: str | None) -> str:
    """How a run came in: ``fit`` → ``from a FIT file``; ``manual`` → ``logged by hand``."""
    key = (source or "").strip().lower()
    if not key:
        return ""
    return _SOURCES.get(key, _SOURCES.get(key.split("-")[0], f"from {_plain(key)}"))


def words(value: str | None) -> str:
    """An enum value as plain words: ``with-others`` → ``with others``; ``unknown`` → ``""``."""
    return "" if not value or value == "unknown" else _plain(value)


_NOUNS = {
    "running": "A run",
    "walking": "A walk",
    "hiking": "A hike",
    "cycling": "A ride",
    "swimming": "A swim",
    "rowing": "A row",
}


def run_title(name: str | None, sport: str) -> str:
    """The run's own name, else a plain one: ``A run``, ``A walk``, ``An activity``."""
    if name and name.strip():
        return name.strip()
    return _NOUNS.get(sport, "An activity")


def run_label(local_start: datetime, name: str | None, sport: str) -> str:
    """A run named the way a person would: ``Tue 24 Nov, 07:10 — Morning loop``."""
    return f"{format_short_day(local_start)} — {run_title(name, sport)}"
