"""Whole-account exports: Strava's bulk export, Garmin's account export, Apple Health, and
Daylio's mood diary.

Each reader takes a path and returns the candidates inside it, or None when the path is not
its kind of export. :data:`READERS` is the registry the walker is handed
(``walk(paths, READERS)``); the walker itself imports none of them, so a reader that cannot
be imported fails loudly here instead of turning an export into "a folder of files".
"""

from __future__ import annotations

from collections.abc import Mapping

from innerpace.importer.exports import apple, daylio, garmin, strava
from innerpace.importer.sources import ExportReader

#: Tried in this order before a path is walked as plain files.
READERS: tuple[ExportReader, ...] = (
    strava.read_export,
    garmin.read_export,
    apple.read_export,
    daylio.read_export,
)


def export_readers(daylio_levels: Mapping[str, int] | None = None) -> tuple[ExportReader, ...]:
    """The registered export readers, in the order they are tried; ``daylio_levels`` are the
    person's own Daylio mood names placed on levels 1–5."""
    if not daylio_levels:
        return READERS
    placed = daylio.reader(daylio_levels)
    return tuple(placed if r is daylio.read_export else r for r in READERS)


__all__ = ["READERS", "export_readers"]
