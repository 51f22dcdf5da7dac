"""A Daylio entry as what the journal keeps: a day check-in and, when it has one, its note.

Daylio writes the local wall-clock time and no zone; it is read in this computer's zone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from innerpace.domain import CheckIn, CheckInKind, Reflection
from innerpace.domain.feelings import Response, tag_words
from innerpace.formats.parsed import ParsedActivities

FORMAT = "daylio"
INSTRUMENT = ("daylio", "1")


@dataclass(frozen=True, slots=True)
class Entry:
    """One Daylio entry as written."""

    line: int
    day: date
    clock: time
    mood: str
    activities: tuple[str, ...]
    title: str | None
    note: str | None

    @property
    def local(self) -> datetime:
        return datetime.combine(self.day, self.clock)

    def canonical(self) -> bytes:
        """The entry as deterministic JSON: the same entry gives the same bytes."""
        record = {
            "daylio": {
                "at": self.local.isoformat(),
                "mood": self.mood,
                "activities": list(self.activities),
                "title": self.title,
                "note": self.note,
            }
        }
        return json.dumps(record, ensure_ascii=False, sort_keys=True).encode()


TAG_SEPARATOR = " · "


def entry_activity(entry: Entry, level: int, source: str) -> ParsedActivities:
    """The entry's mood as a day check-in on the ``daylio`` instrument (never a before or an
    after), the activities ticked as the check-in's tags (cleaned as a moment's, lower-case),
    and the title and note as a day reflection marked as Daylio's. An activity too long for a
    tag stays whole in the check-in's note (``a · b``), so nothing written is lost."""
    at = entry.local.astimezone()  # the wall time, in this computer's zone
    instrument, version = INSTRUMENT
    tags, too_long = tag_words(entry.activities)
    checkin = CheckIn(
        at=at,
        kind=CheckInKind.DAY,
        responses=(Response(instrument, version, (("mood", float(level)),)),),
        note=TAG_SEPARATOR.join(too_long) or None,
        source=FORMAT,
        tags=tags,
    )
    text = "\n\n".join(part for part in (entry.title, entry.note) if part)
    words = (Reflection(text=text, created=at, day=entry.day, origin=FORMAT),) if text else ()
    return ParsedActivities(FORMAT, (), checkins=(checkin,), day_words=words)
