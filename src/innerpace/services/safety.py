"""Use-cases for keeping the journal private and whole: encryption, backups, the open export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from innerpace.errors import UserError
from innerpace.importer.report import FileResult, ImportReport, Outcome
from innerpace.services.changes import UseCase
from innerpace.store import Store, backups
from innerpace.store.backups import BackupKeyFileMissing, BackupLocked
from innerpace.store.crypto import (
    KEY_FILE,
    JournalLocked,
    check_passphrase,
    key_path,
    read_key_file,
    write_key_file,
)
from innerpace.words import text


class JournalNotEmpty(UserError):
    """An export restores only into an empty journal."""


@dataclass(frozen=True, slots=True)
class Locked:
    """What ``lock`` did: the recovery key is shown once and kept nowhere by innerpace."""

    recovery_key: str
    key_file: Path


class SafetyUseCases(UseCase):
    # -- encryption --------------------------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return self.store.encrypted

    def _reopen(self, key: bytes | None) -> None:
        self.store = Store.open(self.store.data_dir, key=key)

    def lock(self, passphrase: str, show: Callable[[Locked], object] | None = None) -> Locked:
        """Encrypt this (plain) journal and its backups; returns the recovery key to show once.

        ``show`` (the CLI's printing) receives it before the lock counts as done: a lock killed
        before its recovery key was shown is undone at the next open.
        """
        check_passphrase(passphrase)
        if self.store.encrypted:
            raise UserError(text("services.safety.already_encrypted"))
        folder = self.store.data_dir
        self.store.close()
        announce = None if show is None else (lambda key: show(Locked(key, key_path(folder))))
        try:
            recovery_key = backups.lock_files(folder, passphrase, announce)
        finally:
            self.store = Store.open(folder, passphrase=passphrase)
        return Locked(recovery_key, key_path(folder))

    def unlock(self) -> None:
        """Decrypt this journal and its backups for good, and remove the key file."""
        key = self.store.data_key
        if key is None:
            raise UserError(text("services.safety.not_encrypted"))
        folder = self.store.data_dir
        self.store.close()
        try:
            backups.unlock_files(folder, key)
        except BaseException:
            self._reopen_after_failure(folder, key)
            raise
        self.store = Store.open(folder)

    def _reopen_after_failure(self, folder: Path, key: bytes) -> None:
        from innerpace.paths import JOURNAL_FILE
        from innerpace.store.connection import is_encrypted_file

        still = is_encrypted_file(folder / JOURNAL_FILE)
        self.store = Store.open(folder, key=key if still else None)

    def change_passphrase(self, new_passphrase: str) -> Path:
        """Wrap the data key under a new passphrase (the recovery key keeps working)."""
        check_passphrase(new_passphrase)
        key = self.store.data_key
        if key is None:
            raise UserError(text("services.safety.not_encrypted_lock"))
        return backups.change_passphrase_files(self.store.data_dir, key, new_passphrase)

    # -- backups -----------------------------------------------------------------------------
    def backup(self, to: Path | None = None) -> Path:
        """A backup now: in ``<data>/backups`` (kept until you remove it) or at ``to``.

        A backup of an encrypted journal is encrypted with the same key; with ``to``, the key
        file is copied beside it (``<file>.key.json``) so it can be opened elsewhere.
        """
        if to is None:
            target = backups.backup_dir(self.store.data_dir) / f"manual-{backups.unique_stamp()}.db"
            return self.store.backup(target)
        target = Path(to).expanduser()
        if target.exists():
            raise UserError(text("services.safety.target_exists", target=target))
        self.store.backup(target)
        if self.store.encrypted:
            source = key_path(self.store.data_dir)
            write_key_file(target.with_name(target.name + ".key.json"), read_key_file(source))
        return target

    def backups(self) -> list[backups.BackupFile]:
        return backups.list_backups(self.store.data_dir)

    def backup_if_due(self) -> list[Path]:
        """The daily and weekly backups while the journal is in use (called on open).

        On an encrypted journal, any plain backup an interrupted ``lock`` left is encrypted too.
        """
        key = self.store.data_key
        if key is not None:
            backups.rekey_backups(self.store.data_dir, key, key)
        return self.store.backup_if_due()

    def before_import(self, paths: Iterable[Path], *, dry_run: bool = False) -> ImportReport | None:
        """Called before an import: an innerpace export is restored here (returns its report);
        anything else gets a backup of the journal first (returns None)."""
        from innerpace.export.reader import is_export

        paths = list(paths)
        exports = [p for p in paths if is_export(Path(p))]
        if exports:
            if len(paths) != 1:
                raise UserError(text("services.safety.export_alone"))
            return self.restore_export(Path(exports[0]), dry_run=dry_run)
        if not dry_run:
            self.store.backup_before_import()
        return None

    def restore(
        self,
        source: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        key_file: Path | None = None,
    ) -> Path:
        """Replace the journal with the backup ``source`` after checking it; the current
        journal is backed up first. Returns that safety backup.

        A backup made under another key than the journal's (an earlier lock, a replaced key
        file, or any encrypted backup when the journal is now plain) is opened with the key
        file that came with it (beside it, or ``key_file``) and the ``passphrase`` or
        ``recovery_key`` of its time (else :class:`BackupLocked`); it is restored under the
        journal's current key, or plain, so the journal opens as it did before.
        """
        source = Path(source).expanduser().resolve()
        key = self.store.data_key
        source_key = backups.check_backup(
            source,
            key,
            passphrase=passphrase,
            recovery_key=recovery_key,
            key_file=None if key_file is None else Path(key_file).expanduser(),
        )
        folder = self.store.data_dir
        safety = self.store.backup(
            backups.backup_dir(folder) / f"before-restore-{backups.unique_stamp()}.db"
        )
        self.store.close()
        try:
            backups.restore_files(folder, source, key, source_key)
        finally:
            self.store = Store.open(folder, key=key)
        return safety

    def made_under_other_key(self, source: Path) -> bool:
        """True when restoring ``source`` needs the key it was made with (its passphrase or
        recovery key): it is encrypted, and not with this journal's key."""
        path = Path(source).expanduser()
        return backups.made_under_other_key(path, self.store.data_key)

    # -- the open export ---------------------------------------------------------------------
    def export(self, out: Path, *, with_coordinates: bool = False) -> Path:
        """Write the open export (folder or ``.zip``); see :mod:`innerpace.export`."""
        from innerpace.export import write_export

        return write_export(self.store, Path(out), with_coordinates=with_coordinates)

    def restore_export(self, path: Path, *, dry_run: bool = False) -> ImportReport:
        """Bring an innerpace export into this journal, which must be empty."""
        from innerpace.export.model import to_rows
        from innerpace.export.reader import load_export

        loaded = load_export(path)
        if loaded is None:
            raise UserError(text("services.safety.not_an_export", path=path))
        if self.store.has_content():
            raise JournalNotEmpty(text("services.safety.export_needs_empty", path=path))
        rows = to_rows(loaded.document, loaded.read)
        for table, entries in rows.items():
            known = set(self.store.table_columns(table))
            extra = {c for row in entries for c in row} - known
            if extra:
                fields = ", ".join(sorted(extra))
                raise UserError(
                    text("services.safety.unknown_fields", path=path, table=table, fields=fields)
                )
        runs = len(rows.get("runs", []))
        report = ImportReport(batch=None, dry_run=dry_run)
        report.files.append(
            FileResult(str(path), Outcome.IMPORTED, activities=runs, format="export")
        )
        if not dry_run:
            self.store.load_rows(rows)
        return report

    # -- coordinates -------------------------------------------------------------------------
    def forget_coordinates(self, *, originals: bool = False) -> int:
        """Remove GPS coordinates from every stored series (and, with ``originals``, the kept
        original files, which hold them too); new imports keep none from now on."""
        changed = self.store.forget_coordinates(originals=originals)
        self.store.set_setting("keep_coordinates", "0")
        return changed


__all__ = [
    "KEY_FILE",
    "BackupKeyFileMissing",
    "BackupLocked",
    "JournalLocked",
    "JournalNotEmpty",
    "Locked",
    "SafetyUseCases",
]
