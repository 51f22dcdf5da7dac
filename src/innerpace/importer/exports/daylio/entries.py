"""A Daylio entry as what the journal keeps: a day check-in and, when it has one, its note."""

from __future__ import annotations

from innerpace.formats.errors import ParseError
from innerpace.formats.parsed import ParsedActivities


def entry_activity(entry, level: int, source: str) -> ParsedActivities:
    raise ParseError("Daylio entries are read but not yet kept", source)
