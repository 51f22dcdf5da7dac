"""Use-cases for bringing activity files in, and taking a batch back out."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from innerpace.errors import NotFound
from innerpace.importer.report import FileResult, ImportReport
from innerpace.store import Batch, Store
from innerpace.words import text


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
        importer = Importer(
            self.store,
            workers=workers if workers is not None else min(4, os.cpu_count() or 1),
            keep_coordinates=self.store.get_setting("keep_coordinates", "1") == "1",
        )
        report = importer.run(paths, dry_run=dry_run, progress=progress)
        if not dry_run:
            self.runs_arrived()  # type: ignore[attr-defined]  # FeelingUseCases
        return report

    def imports(self) -> list[Batch]:
        return self.store.list_batches()

    def undo_import(self, batch_id: int) -> int:
        """Remove everything one import batch brought in; returns how many activities went."""
        removed = self.store.undo_batch(batch_id)
        if removed is None:
            raise NotFound(text("services.imports.no_batch", batch=batch_id))
        return removed
