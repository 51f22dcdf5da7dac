"""The trash: nothing a person made disappears at once.

Deleting a check-in, moment, reflection, well-being answer or a run logged by hand moves it to
*Recently deleted* for 30 days; it can be restored whole until then, and goes for good after.
The one place for these rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from innerpace.domain import utc_now
from innerpace.errors import NotFound, UserError
from innerpace.instruments import InvalidAnswer, get_instrument
from innerpace.services import changes as changed
from innerpace.services.changes import UseCase
from innerpace.store import TrashedRow
from innerpace.store.rows import from_ts
from innerpace.words import text

KEPT_FOR = timedelta(days=30)
KINDS = ("checkin", "moment", "reflection", "wellbeing", "run")
_CHANGE_OF = {
    "checkin": changed.CHECKIN,
    "moment": changed.MOMENT,
    "reflection": changed.REFLECTION,
    "wellbeing": changed.WELLBEING,
    "run": changed.RUN,
}


@dataclass(frozen=True, slots=True)
class TrashItem:
    """Something in *Recently deleted*: what it was, and when it went."""

    kind: str
    id: int
    title: str
    deleted_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.deleted_at + KEPT_FOR


def _short(words: str | None, limit: int = 60) -> str:
    flat = " ".join((words or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _title(row: TrashedRow) -> str:
    day = from_ts(row.at_ts).strftime("%-d %b %Y")
    words = _short(row.words)
    if row.kind == "checkin" and row.label == "day" and row.answer is not None:
        return _day_mood_title(row, words)
    if row.kind == "checkin":
        kind = text(f"services.trash.checkin_kind.{row.label.replace('-', '_')}")
        if not words:
            return text("services.trash.checkin_plain", kind=kind, day=day)
        return text("services.trash.checkin", kind=kind, day=day, note=words)
    if row.kind == "moment":
        tags = ", ".join(json.loads(row.label or "[]")) or "—"
        return text("services.trash.moment", day=day, tags=tags, note=words or "—")
    if row.kind == "reflection":
        return text("services.trash.reflection", day=day, words=words)
    if row.kind == "wellbeing":
        return text("services.trash.wellbeing", day=day)
    return text("services.trash.run", day=day, name=words or row.label)


def _day_mood_title(row: TrashedRow, words: str) -> str:
    """``Day mood on Tue 24 Nov 2020 — rad``: the day and the level's own word."""
    instrument_id, version, item_id, value = row.answer or ("", "", "", 0.0)
    try:
        mood = get_instrument(instrument_id, version).item(item_id).anchor(value)
    except InvalidAnswer:
        mood = None
    day = from_ts(row.at_ts).astimezone().strftime("%a %-d %b %Y")  # its day on this clock
    shown = mood or f"{value:g}"
    if not words:
        return text("services.day_mood.trash", day=day, mood=shown)
    return text("services.day_mood.trash_with_note", day=day, mood=shown, note=words)


class TrashUseCases(UseCase):
    """Delete, restore, and look into *Recently deleted*."""

    @staticmethod
    def _kind(kind: str) -> str:
        if kind not in KINDS:
            raise UserError(text("services.trash.unknown_kind", kind=kind, kinds=", ".join(KINDS)))
        return kind

    def delete(self, kind: str, row_id: int) -> TrashItem:
        """Move one thing the person made to the trash (30 days, restorable)."""
        kind = self._kind(kind)
        if kind == "run":
            run = self.store.get_run(row_id)
            if run is not None and run.source != "manual":
                raise UserError(text("services.trash.imported_run", run=row_id))
        if not self.store.move_to_trash(kind, row_id):
            raise NotFound(text("services.trash.nothing_to_delete", kind=kind, id=row_id))
        self._changes.announce(_CHANGE_OF[kind], (row_id,))
        self._changes.announce(changed.TRASH, (row_id,))
        return next(i for i in self.trash() if i.kind == kind and i.id == row_id)

    def restore(self, kind: str, row_id: int) -> None:
        """Bring one thing back from the trash, as it was."""
        kind = self._kind(kind)
        if not self.store.restore_from_trash(kind, row_id):
            raise NotFound(text("services.trash.not_in_trash", kind=kind, id=row_id))
        self._changes.announce(_CHANGE_OF[kind], (row_id,))
        self._changes.announce(changed.TRASH, (row_id,))

    def trash(self) -> list[TrashItem]:
        """What is in *Recently deleted*, most recently deleted first."""
        return [
            TrashItem(row.kind, row.id, _title(row), from_ts(row.deleted_ts))
            for row in self.store.trashed()
        ]

    def empty_expired(self, now: datetime | None = None) -> int:
        """Remove for good what has been in the trash for 30 days. Returns how many."""
        removed = self.store.purge_trash((now or utc_now()) - KEPT_FOR)
        if removed:
            self._changes.announce(changed.TRASH)
        return removed
