"""Words and small numbers for the pages: feelings first, numbers quiet."""

from __future__ import annotations

from datetime import date, datetime

from innerpace import presentation
from innerpace.domain import Run
from innerpace.instruments import get_instrument
from innerpace.presentation import anchor_words, format_distance, format_duration, format_pace

MINUS = "\u2212"


def signed(value: float | None) -> str:
    """``+3``, ``0``, ``−1`` (a true minus sign)."""
    if value is None:
        return ""
    number = f"{abs(value):g}"
    if value > 0:
        return f"+{number}"
    return f"{MINUS}{number}" if value < 0 else number


def feeling_anchors(value: float | None) -> str:
    """The Feeling Scale's own words for ``value`` (between two anchors: "fairly good to good")."""
    return "" if value is None else anchor_words("fs", "feeling", value)


def arousal_words(value: float | None) -> str:
    """``3 of 6`` with the scale's ends named when the value is one of them."""
    if value is None:
        return ""
    item = get_instrument("fas").item("arousal")
    label = item.anchor(value)
    text = f"{value:g} of {item.max:g}"
    return f"{text} ({label})" if label else text


def feeling_x(value: float | None, width: float = 100.0, pad: float = 6.0) -> float:
    """Horizontal position of a Feeling Scale value on a small drawing ``width`` wide."""
    if value is None:
        return width / 2
    return round(pad + (value + 5.0) / 10.0 * (width - 2 * pad), 1)


duration = format_duration


def mmss(seconds: float | None) -> str:
    """A lap's length as ``5:32`` (or ``1:02:10``)."""
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock(seconds: float | None) -> str:
    """``32 min`` into a run, or ``1 h 05 min``."""
    return duration(seconds)


distance = format_distance
pace = format_pace


def when(run: Run) -> str:
    """The start as the runner's clock showed it: ``Tue 3 Nov 2026, 07:12``."""
    local: datetime = run.local_start
    text = f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
    return text if run.utc_offset_min is not None else f"{text} UTC"


def machine_time(run: Run) -> str:
    """ISO-8601 for a ``<time datetime=…>`` attribute."""
    return run.local_start.replace(microsecond=0).isoformat()


def rounded(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    return f"{value:.0f}{unit}"


words = presentation.words


def title(run: Run) -> str:
    """The run's own name, else a plain one: ``A run``, ``A walk``, ``An activity``."""
    return presentation.run_title(run.name, run.sport.value)


def label(run: Run) -> str:
    """A run by date and title: ``Tue 24 Nov, 07:10 — Morning loop``."""
    return presentation.run_label(run.local_start, run.name, run.sport.value)


def sport(run: Run) -> str:
    """``Running``, ``Trail running``: never the file's raw ``running/generic``."""
    return presentation.sport_words(run.sport.value, run.sport_name)


def day(value: date | datetime | None) -> str:
    """``Fri 27 Nov 2026`` (a datetime on this computer's clock)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone()
    return presentation.format_day(value)


FILTERS = {
    "title": title,
    "signed": signed,
    "feeling_anchors": feeling_anchors,
    "arousal_words": arousal_words,
    "feeling_x": feeling_x,
    "duration": duration,
    "clock": clock,
    "mmss": mmss,
    "distance": distance,
    "pace": pace,
    "when": when,
    "machine_time": machine_time,
    "rounded": rounded,
    "words": words,
    "label": label,
    "sport": sport,
    "device": presentation.device_words,
    "source": presentation.source_words,
    "day": day,
}
