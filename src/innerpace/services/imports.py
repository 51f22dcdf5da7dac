"""Use-cases for bringing activity files in, and taking a batch back out."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from innerpace.errors import NotFound, UserError
from innerpace.importer.report import FileResult, ImportReport
from innerpace.store import Batch, Store
from innerpace.words import text

DAYLIO_MOODS = "daylio_moods"


class ImportUseCases:
    store: Store

    # -- imports -----------------------------------------------------------------------------
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
        restored = self.before_import(paths, dry_run=dry_run)  # type: ignore[attr-defined]
        if restored is not None:  # an innerpace export, restored as a whole
            return restored
        from innerpace.importer.exports import export_readers

        importer = Importer(
            self.store,
            workers=workers if workers is not None else min(4, os.cpu_count() or 1),
            keep_coordinates=self.store.get_setting("keep_coordinates", "1") == "1",
            readers=export_readers(self.daylio_levels()),
        )
        report = importer.run(paths, dry_run=dry_run, progress=progress)
        if not dry_run:
            self.runs_arrived()  # type: ignore[attr-defined]  # FeelingUseCases
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

    def imports(self) -> list[Batch]:
        return self.store.list_batches()

    def undo_import(self, batch_id: int) -> int:
        """Remove everything one import batch brought in; returns how many activities went."""
        removed = self.store.undo_batch(batch_id)
        if removed is None:
            raise NotFound(text("services.imports.no_batch", batch=batch_id))
        return removed
