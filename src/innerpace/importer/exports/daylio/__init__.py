"""Daylio's mood diary export: ``reader`` (layouts, dates, times, mood names) and
``entries`` (an entry as a day check-in, its note as a day reflection)."""

from innerpace.importer.exports.daylio.reader import (
    DaylioFile,
    default_levels,
    mood_key,
    moods_to_place,
    read_entries,
    read_export,
    reader,
)

__all__ = [
    "DaylioFile",
    "default_levels",
    "mood_key",
    "moods_to_place",
    "read_entries",
    "read_export",
    "reader",
]
