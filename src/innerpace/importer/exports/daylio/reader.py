"""Daylio's CSV export: a mood for each entry, the activities ticked, and a note.

Real exports come in two layouts, each with or without a header row and a byte-order mark:

- ``full_date,date,weekday,time,mood,activities,note_title,note`` (current), e.g.
  ``2017-12-09,December 9,Saturday,01:25,rad,"shopping | friends","","Choir concert"``;
- ``year,date,weekday,time,mood,activities,note`` (older), e.g.
  ``2018,29 March,Thursday,11:54 pm,happy,"socialise | eat out","Went to a party"``.

Times are 24-hour or 12-hour ("11:54 pm"), mixed within one file. Moods carry the person's
own names where they renamed Daylio's five levels; such a name is placed on a level once, by
the person, and that choice is handed to :func:`reader`.

Each entry becomes a day check-in on the ``daylio`` instrument (never a before or after),
its activities the check-in's tags (lower-case), its note a day reflection marked as
Daylio's. Each entry is its own candidate, with the entry itself as its bytes, so
re-importing a longer export later brings only the new entries.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from importlib import resources
from pathlib import Path

from innerpace.formats.errors import ParseError
from innerpace.formats.parsed import ParsedActivities
from innerpace.importer.exports.daylio.entries import Entry, entry_activity
from innerpace.importer.exports.strava.words import date_words, normalize
from innerpace.importer.sources import Candidate, ExportReader, failing

MAX_BYTES = 64 * 2**20
MAX_NOTE = 20_000
NEW = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
OLD = ("year", "date", "weekday", "time", "mood", "activities", "note")
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})\s*([ap])?\.?\s*m?\.?", re.IGNORECASE)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@cache
def default_levels() -> dict[str, int]:
    """Daylio's own mood names by level (rad 5 … awful 1), from ``moods.toml``."""
    with resources.files(__package__).joinpath("moods.toml").open("rb") as handle:
        return {name: int(level) for name, level in tomllib.load(handle).items()}


def mood_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(slots=True)
class DaylioFile:
    layout: str  # "full_date" or "year"
    header: bool
    entries: list[Entry] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def moods(self) -> list[str]:
        """The mood names used, in the order first seen."""
        seen: dict[str, str] = {}
        for entry in self.entries:
            seen.setdefault(mood_key(entry.mood), entry.mood)
        return list(seen.values())

    def unplaced(self, levels: Mapping[str, int]) -> list[str]:
        """Mood names that are neither Daylio's own nor placed by the person yet."""
        known = {mood_key(k) for k in (*default_levels(), *levels)}
        return [m for m in self.moods if mood_key(m) not in known]


def _layout(row: list[str]) -> tuple[str, bool] | None:
    """The layout of a file from its first row, and whether that row is a header."""
    cells = tuple(c.strip().casefold() for c in row)
    if cells[: len(OLD) - 1] == OLD[:-1]:
        return "year", True
    if cells[:6] == NEW[:6]:
        return "full_date", True
    if len(cells) >= 7 and cells[2] in _WEEKDAYS or len(cells) >= 7 and _TIME.fullmatch(cells[3]):
        if _ISO_DAY.fullmatch(cells[0]):
            return "full_date", False
        if re.fullmatch(r"\d{4}", cells[0]):
            return "year", False
    return None


def looks_like_daylio(head: bytes) -> bool:
    if b"\0" in head:
        return False
    line = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    try:
        first = next(csv.reader(line), [])
    except csv.Error:
        return False
    return bool(first) and _layout(first) is not None


def read_entries(data: bytes) -> DaylioFile:
    """Every entry of a Daylio export; rows that cannot be read are listed as problems."""
    if len(data) > MAX_BYTES:
        raise ParseError("the Daylio export is too large")
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows_with_lines = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows_with_lines:
        raise ParseError("the Daylio export is empty")
    found = _layout(rows_with_lines[0][1])
    if found is None:
        raise ParseError("this is not a Daylio export (its first row is not Daylio's)")
    layout, header = found
    result = DaylioFile(layout, header)
    titled = layout == "full_date" and len(rows_with_lines[0][1]) >= len(NEW)
    for number, row in rows_with_lines[1 if header else 0 :]:
        try:
            result.entries.append(_entry(number, row, layout, titled))
        except ValueError as error:
            result.problems.append((number, str(error)))
    return result


def _entry(number: int, row: list[str], layout: str, titled: bool) -> Entry:
    """One row; ``titled`` full-date files have ``note_title`` before ``note`` (some real
    exports write ``full_date,…,activities,note`` without it)."""
    cells = [c.strip() for c in row] + [""] * (len(NEW) - len(row))
    if layout == "full_date":
        day = parse_day(cells[0], None)
        title, note = (cells[6] or None, cells[7] or None) if titled else (None, cells[6] or None)
    else:
        day = parse_day(cells[1], cells[0])
        title, note = None, cells[6] or None
    clock = parse_clock(cells[3])
    mood = cells[4]
    if not mood:
        raise ValueError("the entry has no mood")
    activities = tuple(a.strip() for a in cells[5].split("|") if a.strip())
    return Entry(
        number, day, clock, mood, activities, _bounded(title, 300), _bounded(note, MAX_NOTE)
    )


def _bounded(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text.replace("\r\n", "\n")).strip()
    return cleaned[:limit] or None


def parse_day(text: str, year: str | None) -> date:
    """``2017-12-09``, or (older files) the year apart and ``29 March`` / ``March 29``."""
    iso = _ISO_DAY.fullmatch(text.strip())
    if iso:
        return date(*(int(p) for p in iso.groups()))
    if year is None or not year.strip().isdigit():
        raise ValueError(f"the date “{text}” cannot be read")
    words = normalize(text)
    months = date_words().months
    month = next((months[w] for w in words.split() if w in months), None)
    days = [int(n) for n in re.findall(r"\d+", words) if 1 <= int(n) <= 31]
    if month is None or len(days) != 1:
        raise ValueError(f"the date “{text}” cannot be read")
    return date(int(year), month, days[0])


def parse_clock(text: str) -> time:
    """``01:25``, ``23:10``, ``11:54 pm``, ``12:15 am``, ``9:05 p. m.``"""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"the time “{text}” cannot be read")
    hour, minute = int(match.group(1)), int(match.group(2))
    half = (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"the time “{text}” cannot be read")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"the time “{text}” cannot be read")
    return time(hour, minute)


def level_of(mood: str, levels: Mapping[str, int]) -> int | None:
    key = mood_key(mood)
    placed = {mood_key(k): v for k, v in levels.items()}
    if key in placed:
        return placed[key]
    return {mood_key(k): v for k, v in default_levels().items()}.get(key)


def moods_to_place(paths: list[Path], levels: Mapping[str, int]) -> list[str]:
    """The mood names in the Daylio exports among ``paths`` that have no level yet."""
    found: list[str] = []
    for path in paths:
        if not _sniff(path):
            continue
        try:
            names = read_entries(path.read_bytes()).unplaced(levels)
        except (ParseError, OSError, csv.Error):
            continue
        found += [n for n in names if mood_key(n) not in {mood_key(f) for f in found}]
    return found


# -- candidates -----------------------------------------------------------------------------
EntryParser = Callable[[Entry, int, str], ParsedActivities]


def _sniff(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return not head.startswith(b"PK\x03\x04") and looks_like_daylio(head)


def reader(levels: Mapping[str, int] | None = None) -> ExportReader:
    """The Daylio reader, with the person's own mood names placed on levels (``levels``)."""
    placed = dict(levels or {})

    def read_export(path: Path) -> Iterator[Candidate] | None:
        if not _sniff(path):
            return None
        return _candidates(path, placed)

    return read_export


read_export = reader()


def _candidates(path: Path, levels: Mapping[str, int]) -> Iterator[Candidate]:
    label = str(path)
    try:
        found = read_entries(path.read_bytes())
    except (ParseError, OSError, csv.Error) as error:
        reason = error.reason if isinstance(error, ParseError) else str(error)
        yield Candidate(label, failing(ParseError(reason, label)), explicit=True)
        return
    unplaced = found.unplaced(levels)
    for number, reason in found.problems:
        yield Candidate(
            f"{label} line {number}", failing(ParseError(reason, f"{label} line {number}"))
        )
    for entry in found.entries:
        name = f"{label} line {entry.line}"
        if mood_key(entry.mood) in {mood_key(m) for m in unplaced}:
            error = ParseError(
                f"the mood “{entry.mood}” has no level yet; place it once on Daylio's five "
                "levels (1 awful … 5 rad) and bring the file in again",
                name,
            )
            yield Candidate(name, failing(error))
            continue
        yield _entry_candidate(entry, name, levels)


def _entry_candidate(entry: Entry, name: str, levels: Mapping[str, int]) -> Candidate:
    level = level_of(entry.mood, levels)
    assert level is not None

    def parsed() -> ParsedActivities:
        return entry_activity(entry, level, name)

    return Candidate(name, entry.canonical, parsed=parsed, identity=f"daylio:{entry.local}")
