"""Copies of the journal file: backups and their rotation, restore, and re-keyed copies.

Every copy goes through SQLite's backup API or SQLCipher's export, into a temporary file in the
target folder that is synced and renamed into place. A copy of an encrypted journal is
encrypted with the same data key. A file is swapped in only after it has been opened, checked
(``integrity_check``, the schema table, row counts) and the journal is closed everywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from innerpace.errors import UserError
from innerpace.paths import JOURNAL_FILE
from innerpace.store.connection import (
    JournalDamaged,
    connect,
    copy_with_key,
    database_errors,
    is_encrypted_file,
    read_only_counts,
    remove_database,
    verify_copy,
)
from innerpace.store.crypto import (
    KeyFile,
    KeyFileDamaged,
    KeyFileProblem,
    WrongPassphrase,
    fsync_dir,
    key_file_bytes,
    key_path,
    read_key_file,
    write_atomically,
    write_key_file,
)
from innerpace.words import text

BACKUP_DIR = "backups"
INTENT_FILE = "encryption-intent.json"  # an encryption operation under way (see below)
SPARE_KEY = "journal.key.json"  # a copy of the key file, kept in the backups folder
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
        sidecar(path).unlink(missing_ok=True)
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
            raise JournalInUse(text("store.backups.in_use"))


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


# -- encryption operations that finish or roll back ---------------------------------------------
#
# ``lock``, ``unlock`` and a passphrase change first write an intent file in the data folder.
# Every step after it leaves files that open (each file replaced atomically), and the order is
# chosen so that the next open can tell from the journal file alone which way to go:
#
# - lock:   key file written (never over an existing one) → encrypted copy swapped in →
#           backups encrypted one by one (each with its key file beside it) → spare key copy.
#           Journal still plain: roll back (remove the key file this lock wrote). Journal
#           encrypted: roll back too (decrypt the backups, then the journal, with the key the
#           next open brings): the recovery key of an unfinished lock was never shown, and a
#           journal must not stay locked under a recovery key nobody has.
# - unlock: backups decrypted one by one → plain copy swapped in → key files removed.
#           Journal still encrypted: roll back (encrypt again the backups already plain).
#           Journal plain: roll forward (remove the key files of backups now plain).
# - passphrase: key file replaced → spare and beside-backup copies of the same key rewritten.
#
# Every encrypted backup carries ``<backup>.key.json``, a copy of the key file that made it: the
# recovery key opens it even when ``journal.key.json`` is lost, damaged or of a later key.


def sidecar(backup: Path) -> Path:
    """The key file kept beside an encrypted backup."""
    return backup.with_name(backup.name + ".key.json")


def spare_key_path(data_dir: Path) -> Path:
    return backup_dir(data_dir) / SPARE_KEY


def intent_path(data_dir: Path) -> Path:
    return Path(data_dir) / INTENT_FILE


def _write_intent(data_dir: Path, op: str, **extra: object) -> None:
    body = json.dumps({"op": op, "started": time.time(), **extra}, sort_keys=True).encode()
    write_atomically(intent_path(data_dir), body, 0o600)


def read_intent(data_dir: Path) -> dict[str, Any] | None:
    try:
        intent = json.loads(intent_path(data_dir).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"op": "unknown"}
    return intent if isinstance(intent, dict) else {"op": "unknown"}


def _clear_intent(data_dir: Path) -> None:
    intent_path(data_dir).unlink(missing_ok=True)
    fsync_dir(Path(data_dir))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_sidecar(backup: Path, key_file: KeyFile) -> None:
    write_atomically(sidecar(backup), key_file_bytes(key_file), 0o600)


def write_spare(data_dir: Path, key_file: KeyFile) -> None:
    backup_dir(data_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomically(spare_key_path(data_dir), key_file_bytes(key_file), 0o600)


def after_backup(data_dir: Path, made: Path, key: bytes | None) -> None:
    """An encrypted backup gets the key file beside it (and the spare copy is kept)."""
    if key is None:
        return
    try:
        current = read_key_file(key_path(data_dir))
    except KeyFileProblem:
        return
    _write_sidecar(made, current)
    if not spare_key_path(data_dir).exists():
        write_spare(data_dir, current)


def lock_files(data_dir: Path, passphrase: str, show: Callable[[str], object] | None = None) -> str:
    """Encrypt the (closed) plain journal in ``data_dir``; returns the recovery key.

    The encrypted copy is written and verified first; then the key file is written (never over
    an existing one), the copy replaces the plain file (whose ``-wal``/``-shm`` are gone with
    it), and the backups follow. Interrupted at any point, the next open finishes or undoes it.
    ``show`` receives the recovery key before the lock counts as done: a lock killed before the
    key was shown is undone at the next open.
    """
    from innerpace.store.crypto import new_data_key

    journal = Path(data_dir) / JOURNAL_FILE
    if is_encrypted_file(journal):
        raise UserError(text("store.backups.already_encrypted"))
    if not journal.exists():
        raise UserError(text("store.backups.no_journal", folder=data_dir))
    if key_path(data_dir).exists():
        raise UserError(text("store.backups.key_file_exists", path=key_path(data_dir)))
    _ensure_closed_everywhere(journal)
    data_key = new_data_key()
    key_file, recovery_key = KeyFile.create(data_key, passphrase)
    temp = rekeyed_copy(journal, None, data_key)
    try:
        _write_intent(data_dir, "lock", key_sha=_sha(key_file_bytes(key_file)))
        write_key_file(key_path(data_dir), key_file)
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        if not is_encrypted_file(journal):
            _roll_back_lock(data_dir)
        raise
    _finish_lock(data_dir, data_key, key_file, lambda: show and show(recovery_key))
    return recovery_key


def _roll_back_lock(data_dir: Path) -> None:
    intent = read_intent(data_dir) or {}
    path = key_path(data_dir)
    try:
        ours = path.exists() and _sha(path.read_bytes()) == intent.get("key_sha")
    except OSError:
        ours = False
    if ours:
        path.unlink()
        fsync_dir(Path(data_dir))
    _clear_intent(data_dir)


def _finish_lock(
    data_dir: Path, data_key: bytes, key_file: KeyFile, shown: Callable[[], object]
) -> None:
    rekey_backups(data_dir, None, data_key, key_file=key_file)
    write_spare(data_dir, key_file)
    shown()
    _clear_intent(data_dir)


def unlock_files(data_dir: Path, data_key: bytes) -> None:
    """Decrypt the (closed) encrypted journal in ``data_dir`` and its backups, then drop the
    key file. The backups go first: until the journal itself is plain, every step can be
    undone with the key the next open brings."""
    journal = Path(data_dir) / JOURNAL_FILE
    if not is_encrypted_file(journal):
        raise UserError(text("store.backups.not_encrypted"))
    _ensure_closed_everywhere(journal)
    _write_intent(data_dir, "unlock")
    try:
        rekey_backups(data_dir, data_key, None)
        temp = rekeyed_copy(journal, data_key, None)
        try:
            _swap_in(temp, journal)
        except BaseException:
            remove_database(temp)
            raise
    except BaseException:
        if is_encrypted_file(journal):
            _roll_back_unlock(data_dir, data_key)
        raise
    _finish_unlock(data_dir)


def _roll_back_unlock(data_dir: Path, data_key: bytes) -> None:
    key_file = read_key_file(key_path(data_dir))
    rekey_backups(data_dir, None, data_key, key_file=key_file)
    write_spare(data_dir, key_file)
    _clear_intent(data_dir)


def _finish_unlock(data_dir: Path) -> None:
    """The journal is plain: every backup still encrypted keeps its own key file beside it;
    the journal's key file and the spare go."""
    current: KeyFile | None
    try:
        current = read_key_file(key_path(data_dir))
    except KeyFileProblem:
        current = None
    for backup in list_backups(data_dir):
        if is_encrypted_file(backup.path):
            if current is not None and not sidecar(backup.path).exists():
                _write_sidecar(backup.path, current)
        else:
            sidecar(backup.path).unlink(missing_ok=True)
    key_path(data_dir).unlink(missing_ok=True)
    spare_key_path(data_dir).unlink(missing_ok=True)
    fsync_dir(Path(data_dir))
    if backup_dir(data_dir).is_dir():
        fsync_dir(backup_dir(data_dir))
    _clear_intent(data_dir)


def change_passphrase_files(data_dir: Path, data_key: bytes, passphrase: str) -> Path:
    """Wrap the data key under a new passphrase: the key file, its spare and the copies beside
    backups of the same key. The recovery key keeps working."""
    path = key_path(data_dir)
    current = read_key_file(path)
    updated = current.with_passphrase(data_key, passphrase)
    _write_intent(data_dir, "passphrase")
    write_key_file(path, updated)
    _finish_passphrase(data_dir, updated)
    return path


def _finish_passphrase(data_dir: Path, current: KeyFile) -> None:
    fingerprint = current.recovery_fingerprint
    for backup in list_backups(data_dir):
        beside = sidecar(backup.path)
        try:
            same_key = read_key_file(beside).recovery_fingerprint == fingerprint
        except KeyFileProblem:
            same_key = is_encrypted_file(backup.path) and not beside.exists()
        if same_key:
            _write_sidecar(backup.path, current)
    write_spare(data_dir, current)
    _clear_intent(data_dir)


def _undo_swapped_lock(data_dir: Path, key: bytes) -> None:
    """A lock killed after its swap: backups back to plain first, then the journal, then the
    key files. Each step is safe to repeat if this is interrupted in turn."""
    journal = Path(data_dir) / JOURNAL_FILE
    rekey_backups(data_dir, key, None)
    temp = rekeyed_copy(journal, key, None)
    try:
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        raise
    spare_key_path(data_dir).unlink(missing_ok=True)
    _roll_back_lock(data_dir)


def resolve_interrupted(data_dir: Path, key: bytes | None) -> bytes | None:
    """Finish or undo an encryption operation a kill interrupted, before the journal is opened;
    returns the key the journal opens with afterwards (None once it is plain).

    Called on every open, once the journal's key (if it has one) is known.
    """
    intent = read_intent(data_dir)
    if intent is None:
        return key
    op = intent.get("op")
    encrypted = is_encrypted_file(Path(data_dir) / JOURNAL_FILE)
    if op == "lock" and not encrypted:
        _roll_back_lock(data_dir)
    elif op == "lock" and key is not None:
        _undo_swapped_lock(data_dir, key)
        return None
    elif op == "unlock" and encrypted and key is not None:
        _roll_back_unlock(data_dir, key)
    elif op == "unlock" and not encrypted:
        _finish_unlock(data_dir)
    elif op == "passphrase":
        try:
            current = read_key_file(key_path(data_dir))
        except KeyFileProblem:
            return key
        _finish_passphrase(data_dir, current)
    elif op == "unknown":
        _clear_intent(data_dir)
    return key


def _key_files(data_dir: Path) -> list[Path]:
    """Every copy of a key file, the journal's own first, then the spare, then the copies
    beside backups, newest first."""
    found = [key_path(data_dir), spare_key_path(data_dir)]
    folder = backup_dir(data_dir)
    if folder.is_dir():
        beside = sorted(folder.glob("*.db.key.json"), key=lambda p: p.stat().st_mtime)
        found.extend(reversed(beside))
    return found


def _opens(journal: Path, key: bytes) -> bool:
    from innerpace.store.connection import _raw_connect

    try:
        conn = _raw_connect(journal, key)
    except database_errors():
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except database_errors():
        return False
    finally:
        conn.close()


def open_key(data_dir: Path, passphrase: str | None, recovery_key: str | None) -> bytes:
    """The data key of the encrypted journal in ``data_dir``, from the passphrase or the
    recovery key. When ``journal.key.json`` is missing or damaged, the spare copy and the copies
    beside the backups are tried, and the first that opens the journal is put back in place."""
    from innerpace.store.crypto import JournalLocked

    journal = Path(data_dir) / JOURNAL_FILE
    primary = key_path(data_dir)
    copies = [path for path in _key_files(data_dir) if path.exists()]
    if not copies:
        raise JournalDamaged(text("store.no_key_file", path=journal, key_file=primary.name))
    if passphrase is None and not recovery_key:
        raise JournalLocked(text("store.keys.locked"))
    first_problem: UserError | None = None
    wrong: WrongPassphrase | None = None
    for path in copies:
        try:
            key = read_key_file(path).open_with(passphrase, recovery_key)
        except WrongPassphrase as exc:
            wrong = wrong or exc
            continue
        except KeyFileProblem as exc:
            if path == primary:
                first_problem = exc
            continue
        if path != primary and not _opens(journal, key):
            continue
        if path != primary:
            write_atomically(primary, path.read_bytes(), 0o600)  # put the key file back
        return key
    if first_problem is not None and isinstance(first_problem, KeyFileDamaged):
        raise first_problem
    if wrong is not None:
        raise wrong
    if first_problem is not None:
        raise first_problem
    raise KeyFileProblem(text("store.backups.no_key_opens", path=journal, key_file=primary.name))


def rekey_backups(
    data_dir: Path,
    old_key: bytes | None,
    new_key: bytes | None,
    *,
    key_file: KeyFile | None = None,
) -> int:
    """Bring every backup under ``new_key`` (plain ones get encrypted, and back). Backups
    that cannot be opened with ``old_key`` are left as they are, with the key file beside them
    that opens them. An encrypted result gets ``key_file`` beside it first. Returns how many
    changed."""
    changed = 0
    if new_key is not None and key_file is None:
        try:
            key_file = read_key_file(key_path(data_dir))
        except KeyFileProblem:
            key_file = None  # no copies beside the backups then; the backups still change
    for backup in list_backups(data_dir):
        encrypted = is_encrypted_file(backup.path)
        if encrypted == (new_key is not None) and (not encrypted or old_key == new_key):
            beside = sidecar(backup.path)
            if (
                encrypted
                and key_file is not None
                and new_key is not None
                and not beside.exists()
                and _opens(backup.path, new_key)
            ):
                _write_sidecar(backup.path, key_file)
            continue
        source_key = old_key if encrypted else None
        try:
            temp = rekeyed_copy(backup.path, source_key, new_key)
        except (UserError, *database_errors()):  # type: ignore[misc]  # mypy cannot read a starred tuple of classes
            continue
        if key_file is not None and new_key is not None:
            _write_sidecar(backup.path, key_file)
        os.replace(temp, backup.path)
        if new_key is None:
            sidecar(backup.path).unlink(missing_ok=True)
        changed += 1
    if changed:
        fsync_dir(backup_dir(data_dir))
    return changed


class BackupLocked(UserError):
    """The backup was made under another key: the passphrase or recovery key of its time is
    needed to open the key file that came with it."""


class BackupKeyFileMissing(UserError):
    """The backup was made under another key and its key file is not where it was looked for."""


def made_under_other_key(path: Path, key: bytes | None) -> bool:
    """True when ``path`` is an encrypted file that ``key`` (this journal's, None when the
    journal is plain) does not open: restoring it needs the key it was made with."""
    if not path.is_file() or not is_encrypted_file(path):
        return False
    return key is None or not _opens(path, key)


def backup_key(
    backup: Path,
    passphrase: str | None,
    recovery_key: str | None,
    key_file: Path | None = None,
) -> bytes:
    """The data key an encrypted backup was made under: read from the key file that came with
    it (``key_file``, else the one beside it, :func:`sidecar`), unlocked with the passphrase or
    the recovery key of that time, and checked to open the backup. Only reads: no key file is
    written or moved anywhere (the journal's own key file stays as it is)."""
    path = Path(key_file).expanduser() if key_file is not None else sidecar(backup)
    if not path.is_file():
        if key_file is not None:
            raise BackupKeyFileMissing(text("store.restore.no_such_key_file", key_file=path))
        raise BackupKeyFileMissing(
            text("store.restore.no_key_file", path=backup, key_file=path.name)
        )
    if passphrase is None and not recovery_key:
        raise BackupLocked(text("store.restore.locked", path=backup))
    try:
        found = read_key_file(path)
        key = found.open_with(passphrase, recovery_key)
    except WrongPassphrase:
        which = "wrong_recovery_key" if recovery_key else "wrong_passphrase"
        raise WrongPassphrase(text(f"store.restore.{which}", key_file=path)) from None
    except KeyFileProblem as exc:
        raise type(exc)(
            text("store.restore.key_file_unusable", key_file=path, reason=exc)
        ) from None
    if not _opens(backup, key):
        raise UserError(text("store.restore.not_its_key", key_file=path, path=backup))
    return key


def check_backup(
    path: Path,
    key: bytes | None,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    key_file: Path | None = None,
) -> bytes | None:
    """Open ``path`` and check it is a whole innerpace journal; returns the key it opens with.

    A plain backup needs no key. An encrypted one opens with this journal's ``key``, or else
    with its own (see :func:`backup_key`: the key file that came with it, unlocked with
    ``passphrase`` or ``recovery_key``). Nothing is written, not even to ``path``.
    """
    if not path.is_file():
        raise UserError(text("store.backups.no_backup", path=path))
    use: bytes | None = None
    if made_under_other_key(path, key):
        use = backup_key(path, passphrase, recovery_key, key_file)
    elif is_encrypted_file(path):
        use = key
    try:
        read_only_counts(path, use)
    except JournalDamaged as exc:
        raise UserError(text("store.backups.cannot_restore", path=path, reason=exc)) from None
    return use


def restore_files(
    data_dir: Path, source: Path, key: bytes | None, source_key: bytes | None
) -> None:
    """Replace the (closed) journal with a verified copy of ``source`` (which opens with
    ``source_key``, see :func:`check_backup`) under the journal's ``key`` (None: plain).

    The copy is written to a temporary file beside the journal, checked (integrity, the same
    row counts as ``source``) and swapped in with one rename; the journal's key file is not
    touched, so the passphrase that opened the journal before opens it after. Killed before
    the rename, the journal is as it was and the temporary file is swept at a later open;
    killed after it, the journal is the whole restored copy. No intent file is needed: the
    rename is the only step that changes the journal, and nothing else changes with it.
    """
    journal = Path(data_dir) / JOURNAL_FILE
    _ensure_closed_everywhere(journal)
    temp = _temp_name(journal.parent, journal.name)
    try:
        copy_with_key(source, source_key, temp, key)
        os.chmod(temp, 0o600)
        verify_copy(temp, key, read_only_counts(source, source_key))
        _swap_in(temp, journal)
    except BaseException:
        remove_database(temp)
        raise
