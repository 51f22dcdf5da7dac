"""Opening the journal's SQLite file the careful way, and write transactions."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import cast

from innerpace.errors import UserError
from innerpace.words import text

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


class JournalDamaged(UserError):
    """The journal file failed SQLite's integrity check."""


def _cipher() -> ModuleType:
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - a dependency, but say what is missing
        raise UserError(text("store.needs_sqlcipher")) from None
    return cast(ModuleType, dbapi2)


def database_errors() -> tuple[type[Exception], ...]:
    """The DatabaseError classes of plain SQLite and, when installed, SQLCipher."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, dbapi2.DatabaseError)


def is_encrypted_file(path: Path) -> bool:
    """True when ``path`` exists, is not empty and does not start with SQLite's plain header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return False
    return bool(head) and head != SQLITE_HEADER


def data_key_of(conn: sqlite3.Connection) -> bytes | None:
    """The data key an encrypted connection was opened with (None for plain SQLite)."""
    return getattr(conn, "innerpace_key", None)


def _raw_connect(path: Path | str, key: bytes | None) -> sqlite3.Connection:
    if key is None:
        return sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    dbapi2 = _cipher()

    # sqlcipher3 ships no type hints: its Connection is unknown to the checker.
    class KeyedConnection(dbapi2.Connection):  # type: ignore[name-defined,misc]
        innerpace_key: bytes

    conn = dbapi2.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
        factory=KeyedConnection,
    )
    conn.innerpace_key = key
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except BaseException:
        conn.close()
        raise
    return cast(sqlite3.Connection, conn)


def connect(path: Path | str, key: bytes | None = None) -> sqlite3.Connection:
    """Open ``path`` with WAL, synchronous=FULL, a busy timeout and foreign keys; quick-check it.

    With ``key`` (the raw 256-bit data key) the file is opened with SQLCipher; otherwise with
    plain SQLite. The connection is in autocommit mode: writes go through :func:`write`.
    """
    errors = database_errors()
    _create_private(path)
    try:
        conn = _raw_connect(path, key)
    except errors as exc:
        raise UserError(text("store.cannot_open", path=path, reason=exc)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = _switch_to_wal(conn, errors)
        if str(mode).lower() != "wal" and str(path) != ":memory:":
            raise UserError(text("store.no_wal", path=path))
        conn.execute("PRAGMA synchronous = FULL")
        status = conn.execute("PRAGMA quick_check").fetchone()[0]
    except errors as exc:
        conn.close()
        if key is not None and "not a database" in str(exc):
            raise JournalDamaged(text("store.wrong_key", path=path)) from None
        raise JournalDamaged(text("store.unreadable", path=path, reason=exc)) from None
    except BaseException:
        conn.close()
        raise
    if status != "ok":
        conn.close()
        raise JournalDamaged(text("store.integrity", path=path, status=status))
    conn.row_factory = sqlite3.Row if key is None else _cipher().Row
    return conn


def _create_private(path: Path | str) -> None:
    """A new journal file is readable by its owner only; SQLite gives its -wal and -shm files
    the same permissions."""
    if str(path) == ":memory:":
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # the open below reports the problem in its own words
    os.close(fd)


def _switch_to_wal(conn: sqlite3.Connection, errors: tuple[type[Exception], ...]) -> str:
    """``PRAGMA journal_mode = WAL``, retried while another program holds a brand-new journal
    (SQLite answers "locked" at once there, without waiting)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except errors as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``): all of it lands, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _partial(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live journal to ``target`` with SQLite's online backup API.

    An encrypted journal's copy is encrypted with the same data key. The copy is written beside
    ``target`` under a temporary name, synced, then renamed into place.
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = _partial(target)
    key = data_key_of(conn)
    try:
        dest = _raw_connect(partial, key)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _fsync_file(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def copy_with_key(
    source: Path, source_key: bytes | None, target: Path, target_key: bytes | None
) -> Path:
    """Write ``source`` into a new file ``target`` under another key (None: plain SQLite).

    Uses SQLCipher's ``sqlcipher_export`` with a write lock held on ``source``, so nothing
    changes underneath. ``target`` must not exist; it ends in WAL mode.
    """
    if target.exists():
        raise FileExistsError(target)
    src = _raw_connect(source, source_key) if source_key else None
    if src is None:  # a plain file read through SQLCipher with no key
        src = _cipher().connect(str(source), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        src.execute("PRAGMA cipher_log_level = NONE")
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        literal = "''" if target_key is None else f"\"x'{target_key.hex()}'\""
        src.execute("ATTACH DATABASE ? AS target KEY " + literal, (str(target),))
        try:
            src.execute("BEGIN IMMEDIATE")
            try:
                src.execute("SELECT sqlcipher_export('target')")
                version = src.execute("PRAGMA main.user_version").fetchone()[0]
                src.execute(f"PRAGMA target.user_version = {int(version)}")
            except BaseException:
                src.execute("ROLLBACK")
                raise
            src.execute("COMMIT")
        finally:
            src.execute("DETACH DATABASE target")
    finally:
        src.close()
    dest = _raw_connect(target, target_key)
    try:
        dest.execute("PRAGMA journal_mode = WAL")
    finally:
        dest.close()
    _fsync_file(target)
    return target


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row count of every table (virtual tables' shadow tables included)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            " ORDER BY name"
        )
    ]
    return {
        name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in names
    }


def _check_whole(conn: sqlite3.Connection, path: Path, damaged_key: str) -> None:
    """``integrity_check`` passes and the schema table is there, else :class:`JournalDamaged`
    (``damaged_key`` names the words for a failed integrity check)."""
    status = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if status != "ok":
        raise JournalDamaged(text(damaged_key, path=path, status=status))
    has_schema = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if has_schema is None:
        raise JournalDamaged(text("store.not_a_journal", path=path))


def verify_copy(path: Path, key: bytes | None, expected: dict[str, int] | None = None) -> None:
    """Open ``path`` (with ``key``), run ``integrity_check``, and compare row counts."""
    conn = connect(path, key)
    try:
        _check_whole(conn, path, "store.copy_integrity")
        if expected is not None:
            counts = table_counts(conn)
            if counts != expected:
                raise JournalDamaged(text("store.copy_differs", path=path))
    finally:
        conn.close()


def read_only_counts(path: Path, key: bytes | None) -> dict[str, int]:
    """Check a journal file without writing to it (its journal mode stays as it is, so a copy
    on a stick is not rewritten): it opens with ``key``, passes ``integrity_check`` and holds
    the schema table. Returns the row count of every table."""
    errors = database_errors()
    try:
        conn = _raw_connect(path, key)
    except errors as exc:
        raise JournalDamaged(text("store.unreadable", path=path, reason=exc)) from None
    try:
        conn.execute("PRAGMA query_only = ON")
        _check_whole(conn, path, "store.integrity")
        return table_counts(conn)
    except errors as exc:
        raise JournalDamaged(text("store.unreadable", path=path, reason=exc)) from None
    finally:
        conn.close()


def remove_database(path: Path) -> None:
    """Remove a closed database file and its ``-wal`` / ``-shm`` companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
