"""Copies of the journal file: backups and their rotation, restore, and re-keyed copies.

Every copy goes through SQLite's backup API or SQLCipher's export, into a temporary file in the
target folder that is synced and renamed into place. A copy of an encrypted journal is
encrypted with the same data key. A file is swapped in only after it has been opened, checked
(``integrity_check``, the schema table, row counts) and the journal is closed everywhere.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from innerpace.errors import UserError
from innerpace.paths import JOURNAL_FILE
from innerpace.store.connection import (
    JournalDamaged,
    connect,
    copy_with_key,
    database_errors,
    is_encrypted_file,
    remove_database,
    verify_copy,
)
from innerpace.store.crypto import KeyFile, fsync_dir, key_path, write_key_file

BACKUP_DIR = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_BEFORE_IMPORT = 5
STALE_TEMP_S = 3600.0
_DAILY = re.compile(r"^daily-(\d{4}-\d{2}-\d{2})\.db$")
_WEEKLY = re.compile(r"^weekly-(\d{4}-W\d{2})\.db$")
_BEFORE_IMPORT = re.compile(r"^before-import-(\d{8}T\d{6}Z)(?:-\w+)?\.db$")


class JournalInUse(UserError):
    """Another program still has the journal open."""


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    kind: str
    size: int
    modified: float


def backup_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def unique_stamp() -> str:
    """A UTC time stamp with a short random tail, so two copies in one second both stay."""
    return f"{stamp()}-{secrets.token_hex(2)}"


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(4)}.tmp"


def sweep_leftovers(data_dir: Path, older_than_s: float = STALE_TEMP_S) -> list[Path]:
    """Remove temporary files an interrupted copy left behind (only old ones: another
    program may be writing a fresh one right now)."""
    removed = []
    limit = time.time() - older_than_s
    for folder in (Path(data_dir), backup_dir(data_dir)):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if not path.name.startswith(".") or not path.name.endswith((".tmp", ".partial")):
                continue
            if path.name.endswith((".tmp-wal", ".tmp-shm")):
                continue
            try:
                if path.stat().st_mtime < limit:
                    remove_database(path)
                    removed.append(path)
            except FileNotFoundError:
                continue
    return removed


def list_backups(data_dir: Path) -> list[BackupFile]:
    """Backups in ``<data>/backups``, newest first."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        stat = path.stat()
        kind = path.name.split("-")[0]
        if path.name.startswith("before-"):
            kind = "-".join(path.name.split("-")[:2])
        found.append(BackupFile(path, kind, stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def _keep_newest(paths: Iterable[Path], keep: int) -> list[Path]:
    ordered = sorted(paths, key=lambda p: p.name, reverse=True)
    removed = []
    for path in ordered[keep:]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def rotate(data_dir: Path) -> list[Path]:
    """Keep the newest 7 daily, 4 weekly and 5 before-import backups; returns what went."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    names = [p for p in folder.iterdir() if p.is_file()]
    removed = _keep_newest([p for p in names if _DAILY.match(p.name)], KEEP_DAILY)
    removed += _keep_newest([p for p in names if _WEEKLY.match(p.name)], KEEP_WEEKLY)
    removed += _keep_newest([p for p in names if _BEFORE_IMPORT.match(p.name)], KEEP_BEFORE_IMPORT)
    return removed


def due_backups(data_dir: Path, now: datetime) -> list[Path]:
    """The daily and weekly backup files that do not exist yet for ``now`` (UTC days)."""
    folder = backup_dir(data_dir)
    dailies = sorted(p.name for p in folder.glob("daily-*.db")) if folder.is_dir() else []
    due = []
    newest = None
    if dailies and (match := _DAILY.match(dailies[-1])):
        newest = datetime.strptime(match.group(1), "%Y-%m-%d").replace(tzinfo=UTC)
    if newest is None or now - newest >= timedelta(days=1):
        due.append(folder / f"daily-{now:%Y-%m-%d}.db")
    year, week, _ = now.isocalendar()
    weekly = folder / f"weekly-{year:04d}-W{week:02d}.db"
    if not weekly.exists():
        due.append(weekly)
    return due


def before_import_name(data_dir: Path) -> Path:
    return backup_dir(data_dir) / f"before-import-{unique_stamp()}.db"


def _ensure_closed_everywhere(journal: Path) -> None:
    for suffix in ("-wal", "-shm"):
        if Path(str(journal) + suffix).exists():
            raise JournalInUse(
                "the journal is still open in another innerpace (is `innerpace serve` "
                "running?); close it and try again — nothing was changed"
            )


def _swap_in(new_file: Path, journal: Path) -> None:
    _ensure_closed_everywhere(journal)
    os.replace(new_file, journal)
    fsync_dir(journal.parent)
    for suffix in ("-wal", "-shm"):
        Path(str(new_file) + suffix).unlink(missing_ok=True)


def _counts_of(path: Path, key: bytes | None) -> dict[str, int]:
    from innerpace.store.connection import table_counts

    conn = connect(path, key)
    try:
        return table_counts(conn)
    finally:
        conn.close()


def rekeyed_copy(source: Path, source_key: bytes | None, target_key: bytes | None) -> Path:
    """A verified copy of ``source`` under ``target_key``, in a temporary file beside it."""
    temp = _temp_name(source.parent, source.name)
    try:
        copy_with_key(source, source_key, temp, target_key)
        os.chmod(temp, 0o600)
        verify_copy(temp, target_key, _counts_of(source, source_key))
    except BaseException:
        remove_database(temp)
        raise
    return temp


def lock_files(data_dir: Path, passphrase: str) -> str:
    """Encrypt the (closed) plain journal in ``data_dir``; returns the recovery key.

    The encrypted copy is written and verified first, the key file written next, then the copy
    replaces the plain file (whose ``-wal``/``-shm`` are gone with it), then backups follow.
    """
    from innerpace.store.crypto import new_data_key

    journal = Path(data_dir) / JOURNAL_FILE
    if is_encrypted_file(journal):
        raise UserError("this journal is already encrypted")
    if not journal.exists():
        raise UserError(f"there is no journal in {data_dir}")
    _ensure_closed_everywhere(journal)
    data_key = new_data_key()
    key_file, recovery_key = KeyFile.create(data_key, passphrase)
    temp = rekeyed_copy(journal, None, data_key)
    try:
        write_key_file(key_path(data_dir), key_file)
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        raise
    rekey_backups(data_dir, None, data_key)
    return recovery_key


def unlock_files(data_dir: Path, data_key: bytes) -> None:
    """Decrypt the (closed) encrypted journal in ``data_dir`` and its backups, then drop the
    key file."""
    journal = Path(data_dir) / JOURNAL_FILE
    if not is_encrypted_file(journal):
        raise UserError("this journal is not encrypted")
    _ensure_closed_everywhere(journal)
    temp = rekeyed_copy(journal, data_key, None)
    try:
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        raise
    rekey_backups(data_dir, data_key, None)
    key_path(data_dir).unlink(missing_ok=True)
    fsync_dir(Path(data_dir))


def rekey_backups(data_dir: Path, old_key: bytes | None, new_key: bytes | None) -> int:
    """Bring every backup under ``new_key`` (plain ones get encrypted, and back). Backups
    that cannot be opened with ``old_key`` are left as they are. Returns how many changed."""
    changed = 0
    for backup in list_backups(data_dir):
        encrypted = is_encrypted_file(backup.path)
        if encrypted == (new_key is not None) and (not encrypted or old_key == new_key):
            continue
        source_key = old_key if encrypted else None
        try:
            temp = rekeyed_copy(backup.path, source_key, new_key)
        except (UserError, *database_errors()):
            continue
        os.replace(temp, backup.path)
        changed += 1
    if changed:
        fsync_dir(backup_dir(data_dir))
    return changed


def check_backup(path: Path, key: bytes | None) -> bytes | None:
    """Open ``path`` and check it is a whole innerpace journal; returns the key it needs."""
    if not path.is_file():
        raise UserError(f"there is no backup file {path}")
    encrypted = is_encrypted_file(path)
    if encrypted and key is None:
        raise UserError(
            f"{path} is encrypted and this journal is not; lock this journal with the same "
            "key first, or restore it with its own key file"
        )
    use = key if encrypted else None
    try:
        verify_copy(path, use)
    except JournalDamaged as exc:
        if encrypted:
            raise UserError(
                f"{path} cannot be opened with this journal's key (was it made with another "
                "key file?); nothing was changed"
            ) from None
        raise UserError(f"{path} cannot be restored: {exc}; nothing was changed") from None
    return use


def restore_files(data_dir: Path, source: Path, key: bytes | None) -> None:
    """Replace the (closed) journal with a verified copy of ``source`` under ``key``."""
    journal = Path(data_dir) / JOURNAL_FILE
    source_key = check_backup(source, key)
    _ensure_closed_everywhere(journal)
    temp = _temp_name(journal.parent, journal.name)
    try:
        copy_with_key(source, source_key, temp, key)
        os.chmod(temp, 0o600)
        verify_copy(temp, key, _counts_of(source, source_key))
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        raise
