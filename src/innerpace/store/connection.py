"""Opening the journal's SQLite file the careful way, and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from innerpace.errors import UserError

BUSY_TIMEOUT_MS = 10_000


class JournalDamaged(UserError):
    """The journal file failed SQLite's integrity check."""


def connect(path: Path | str) -> sqlite3.Connection:
    """Open ``path`` with WAL, synchronous=FULL, a busy timeout and foreign keys; quick-check it.

    The connection is in autocommit mode: writes go through :func:`write`.
    """
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.OperationalError as exc:
        raise UserError(f"cannot open journal {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal" and str(path) != ":memory:":
            raise UserError(f"journal {path} could not switch to write-ahead logging")
        conn.execute("PRAGMA synchronous = FULL")
        status = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise JournalDamaged(f"journal {path} cannot be read: {exc}") from None
    if status != "ok":
        conn.close()
        raise JournalDamaged(f"journal {path} failed its integrity check: {status}")
    conn.row_factory = sqlite3.Row
    return conn


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


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the live journal to ``target`` with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    dest = sqlite3.connect(str(partial))
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    partial.replace(target)
    return target
