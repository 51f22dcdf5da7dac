"""Use-cases for bringing activity files in, and taking a batch back out.

Provenance lives here: every row an import writes carries its batch (NULL: the person made it).
Undoing a batch takes back exactly what it brought; what the person made on its runs stays,
kept without a run, and joins the run again when the same activity is imported again (same
sport, start within 60 s) — a listener on the change path does that. A run a later batch made
richer is that batch's activity too: undoing the batch that first brought it leaves the richer
copy, now owned by the later batch, so the journal is as if only the later one was imported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from innerpace.errors import NotFound, UserError
from innerpace.services import changes as changed
from innerpace.services.changes import Change, Changes, StoreHolder, UseCase
from innerpace.store import Batch, KeptRow, UndoOutcome
from innerpace.store.rows import from_ts
from innerpace.words import text

if TYPE_CHECKING:  # the importer loads only when something is imported
    from innerpace.importer.report import FileResult, ImportReport

REJOIN_WINDOW_S = 60.0
DAYLIO_MOODS = "daylio_moods"  # setting: the person's own Daylio mood names, by level

BeforeImport = Callable[[list[Path], bool], "ImportReport | None"]


@dataclass(frozen=True, slots=True)
class KeptItem:
    """Something the person made that stays when its run's import is taken back."""

    kind: str  # checkin, moment, reflection or title
    id: int
    run_start: datetime
    run_sport: str
    run_name: str | None
    words: str | None

    @classmethod
    def of(cls, row: KeptRow) -> KeptItem:
        return cls(
            row.kind, row.id, from_ts(row.run_start_ts), row.run_sport, row.run_name, row.words
        )


@dataclass(frozen=True, slots=True)
class UndoSummary:
    """What taking a batch back removes, puts back as it was, and keeps."""

    batch_id: int
    runs: int  # activities the batch brought, removed
    restored_runs: int  # runs a richer copy had upgraded, put back as they were
    handed_over: int  # runs it brought that a later import made richer: stay, now that one's
    checkins: int  # device and imported check-ins removed
    moments: int  # suggested moments removed
    reflections: int  # imported reflections removed
    wellbeing: int
    kept: tuple[KeptItem, ...]  # the person's own, kept without a run

    @classmethod
    def of(cls, outcome: UndoOutcome) -> UndoSummary:
        return cls(
            batch_id=outcome.batch_id,
            runs=outcome.runs,
            restored_runs=outcome.restored_runs,
            handed_over=outcome.handed_over,
            checkins=outcome.checkins,
            moments=outcome.moments,
            reflections=outcome.reflections,
            wellbeing=outcome.wellbeing,
            kept=tuple(KeptItem.of(row) for row in outcome.kept),
        )


class ImportUseCases(UseCase):
    """Imports, the batches they made, and undo."""

    def __init__(self, holder: StoreHolder, changes: Changes, before_import: BeforeImport) -> None:
        super().__init__(holder, changes)
        self._before_import = before_import

    def on_change(self, change: Change) -> None:
        """Runs arrived: what the person kept from an earlier copy joins them again."""
        if change.kind != changed.RUN:
            return
        rejoined = [
            group
            for run_id in change.ids
            for group in self.store.rejoin_kept(run_id, REJOIN_WINDOW_S)
        ]
        if rejoined:
            self._changes.announce(changed.CHECKIN)
            self._changes.announce(changed.MOMENT)
            self._changes.announce(changed.REFLECTION)

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        dry_run: bool = False,
        progress: Callable[[FileResult], None] | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import files, folders and archives as one batch (nothing written with ``dry_run``)."""
        from innerpace.importer import Importer

        paths = list(paths)
        seen = self._changes.version
        restored = self._before_import(paths, dry_run)
        if restored is not None:  # an innerpace export, restored as a whole
            if not dry_run:
                self.store.move_version_past(seen)
                self._changes.announce(changed.JOURNAL)
            return restored
        from innerpace.importer.exports import export_readers

        importer = Importer(
            self.store,
            workers=workers if workers is not None else min(4, os.cpu_count() or 1),
            keep_coordinates=self.store.get_setting("keep_coordinates", "1") == "1",
            readers=export_readers(self.daylio_levels()),
        )
        report = importer.run(paths, dry_run=dry_run, progress=progress)
        if not dry_run and report.batch is not None:
            self._changes.announce(changed.RUN, self.store.batch_run_ids(report.batch))
            if report.checkins:  # day moods and other feelings that came without a run
                self._changes.announce(changed.CHECKIN)
            if report.reflections:
                self._changes.announce(changed.REFLECTION)
            self._changes.announce(changed.IMPORT, (report.batch,))
        return report

    # -- the person's own Daylio mood names, placed once on Daylio's five levels ---------------
    def daylio_levels(self) -> dict[str, int]:
        """Mood names the person placed on levels 1 (awful) to 5 (rad)."""
        try:
            saved = json.loads(self.store.get_setting(DAYLIO_MOODS, "{}") or "{}")
        except ValueError:
            return {}
        return {str(k): int(v) for k, v in saved.items() if str(v).isdigit()}

    def daylio_moods_to_place(self, paths: Iterable[Path]) -> list[str]:
        """Mood names in the Daylio exports among ``paths`` that have no level yet."""
        from innerpace.importer.exports import daylio

        return daylio.moods_to_place(list(paths), self.daylio_levels())

    def place_daylio_moods(self, levels: dict[str, int]) -> None:
        """Remember where the person's own mood names sit on Daylio's five levels."""
        from innerpace.importer.exports import daylio

        for name, level in levels.items():
            if not name.strip() or level not in range(1, 6):
                raise UserError(text("services.imports.daylio_level", mood=name, level=level))
        saved = self.daylio_levels()
        saved.update({daylio.mood_key(k): v for k, v in levels.items()})
        self.store.set_setting(DAYLIO_MOODS, json.dumps(saved, ensure_ascii=False, sort_keys=True))
        self._changes.announce(changed.SETTING)

    def imports(self) -> list[Batch]:
        return self.store.list_batches()

    def undo_import(self, batch_id: int) -> UndoSummary:
        """Take back what one import batch brought, and only that. Returns what went, what
        was put back as it was, and what the person made that stays."""
        outcome = self.store.undo_batch(batch_id)
        if outcome is None:
            raise NotFound(text("services.imports.no_batch", batch=batch_id))
        self._changes.announce(changed.UNDO, (batch_id,))
        self._changes.announce(changed.RUN)
        return UndoSummary.of(outcome)

    def undo_preview(self, batch_id: int) -> UndoSummary:
        """What :meth:`undo_import` would take back and keep, changing nothing."""
        outcome = self.store.undo_preview(batch_id)
        if outcome is None:
            raise NotFound(text("services.imports.no_batch", batch=batch_id))
        return UndoSummary.of(outcome)

    def kept_without_run(self) -> list[KeptItem]:
        """What the person made on runs whose import was taken back, waiting for them."""
        return [KeptItem.of(row) for row in self.store.kept_without_run()]
