"""The journal's SQLite store: the only part of innerpace that speaks SQL."""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from innerpace.domain import CheckIn, Moment, Reflection, Run, Series, WellbeingCheck, utc_now
from innerpace.paths import JOURNAL_FILE, prepare_data_dir
from innerpace.store import (
    backups,
    feeling_queries,
    import_queries,
    insight_queries,
    migrations,
    phone_queries,
    run_queries,
    series_codec,
    trash_queries,
)
from innerpace.store.connection import (
    JournalDamaged,
    backup_to,
    connect,
    data_key_of,
    is_encrypted_file,
    write,
)
from innerpace.store.crypto import JournalLocked, WrongPassphrase
from innerpace.store.import_queries import Batch, KeptRow, UndoOutcome
from innerpace.store.rows import Draft, HunchRow, draft_from_row, hunch_from_row
from innerpace.store.trash_queries import TrashedRow

__all__ = [
    "Batch",
    "Draft",
    "HunchRow",
    "JournalDamaged",
    "JournalLocked",
    "KeptRow",
    "Store",
    "TrashedRow",
    "UndoOutcome",
    "WrongPassphrase",
]

MIGRATION_LOCK = ".migrating.lock"
VERSION_KEY = "journal_version"


@contextmanager
def _migration_lock(folder: Path) -> Iterator[None]:
    """One program at a time brings the schema up to date (an advisory lock file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows; migrations still run
        yield
        return
    fd = os.open(folder / MIGRATION_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# The tables an open export carries, parents before children.
EXPORT_TABLES = (
    "settings",
    "import_batches",
    "originals",
    "runs",
    "replaced_runs",
    "laps",
    "series",
    "detached_runs",
    "checkins",
    "wellbeing",
    "answers",
    "moments",
    "reflections",
    "drafts",
    "hunches",
)

# Kept out of the open export: phone keys and receipts belong to this computer; a moment marked
# on the phone is exported once it has joined its run.
LOCAL_ONLY_TABLES = ("phone_devices", "phone_receipts", "phone_moments", "phone_credentials")


class Store:
    """One open journal. Reads are plain; every write is one ``BEGIN IMMEDIATE`` transaction."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path) -> None:
        self._conn = conn
        self.data_dir = data_dir
        self._depth = 0
        self._counts = True

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        key: bytes | None = None,
    ) -> Store:
        """Open (creating if needed) the journal in ``data_dir`` and bring its schema up to date.

        An encrypted journal needs its ``passphrase`` or ``recovery_key`` (or the raw data
        ``key``); without one, :class:`JournalLocked`; with a wrong one, :class:`WrongPassphrase`.
        """
        folder = prepare_data_dir(Path(data_dir))
        backups.sweep_leftovers(folder)
        if key is None and is_encrypted_file(folder / JOURNAL_FILE):
            key = backups.open_key(folder, passphrase, recovery_key)
        key = backups.resolve_interrupted(folder, key)  # a lock or unlock a kill stopped
        conn = connect(folder / JOURNAL_FILE, key)
        try:
            if migrations.schema_version(conn) < len(migrations.MIGRATIONS):
                with _migration_lock(folder):  # two programs opening a new journal at once
                    migrations.migrate(conn, folder / "backups")
        except BaseException:
            conn.close()
            raise
        return cls(conn, folder)

    @property
    def path(self) -> Path:
        return self.data_dir / JOURNAL_FILE

    @property
    def encrypted(self) -> bool:
        return data_key_of(self._conn) is not None

    @property
    def data_key(self) -> bytes | None:
        """The raw data key of an encrypted journal (never print or store it)."""
        return data_key_of(self._conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, journal_change: bool = True) -> Iterator[None]:
        """Group several writes into one transaction (nesting joins the outer one).

        A transaction that changed the journal's content moves the setting
        ``journal_version`` on by one, in the same transaction, so any cache (in this program
        or another) can tell. Drafts and remembered hunches are not the journal's content
        (``journal_change=False``).
        """
        if self._depth:
            self._depth += 1
            self._counts = self._counts or journal_change
            try:
                yield
            finally:
                self._depth -= 1
            return
        with write(self._conn):
            self._depth, self._counts = 1, journal_change
            before = self._conn.total_changes
            try:
                yield
                if self._counts and self._conn.total_changes != before:
                    self._conn.execute(
                        "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT(key)"
                        " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                        (VERSION_KEY,),
                    )
            finally:
                self._depth = 0

    def version(self) -> int:
        """How many times the journal's content has changed (0 for a new journal)."""
        return int(self.get_setting(VERSION_KEY, "0") or 0)

    def move_version_past(self, seen: int) -> int:
        """After the whole journal was replaced (a backup restored, say), make its version
        larger than any this program has seen, so no cache mistakes it for an older state."""
        with self.transaction(journal_change=False):
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                " DO UPDATE SET value = MAX(CAST(value AS INTEGER), ?)",
                (VERSION_KEY, str(seen + 1), seen + 1),
            )
        return self.version()

    @property
    def phone(self) -> phone_queries.PhoneRecords:
        """The phone tables: paired devices, receipts, waiting moments, the listener's keys."""
        return phone_queries.PhoneRecords(self._conn, self.transaction)

    # -- facts about the journal -------------------------------------------------------------
    def schema_version(self) -> int:
        return migrations.schema_version(self._conn)

    def counts(self) -> dict[str, int]:
        tables = ("runs", "checkins", "moments", "reflections", "wellbeing", "import_batches")
        return {
            t: self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in tables
        }

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def backup(self, target: Path) -> Path:
        made = backup_to(self._conn, target)
        if target.parent == backups.backup_dir(self.data_dir):
            backups.after_backup(self.data_dir, made, self.data_key)
        return made

    def has_content(self) -> bool:
        """True once anything of the person's is in the journal."""
        return any(self.counts().values())

    def backup_if_due(self, now: datetime | None = None) -> list[Path]:
        """The daily (and weekly) backup, if the newest is a day old; then rotate."""
        if not self.has_content():
            return []
        made = [self.backup(path) for path in backups.due_backups(self.data_dir, now or utc_now())]
        if made:
            backups.rotate(self.data_dir)
        return made

    def backup_before_import(self) -> Path | None:
        if not self.has_content():
            return None
        made = self.backup(backups.before_import_name(self.data_dir))
        backups.rotate(self.data_dir)
        return made

    # -- the open export ---------------------------------------------------------------------
    def table_rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of one export table, in id order, as plain dicts."""
        if table not in EXPORT_TABLES:
            raise ValueError(f"{table} is not an export table")
        order = {"settings": "key", "drafts": "key", "hunches": "predictor", "laps": "run_id, idx"}
        by = order.get(table, "run_id" if table == "series" else "id")
        rows = self._conn.execute(f"SELECT * FROM {table} ORDER BY {by}")  # noqa: S608
        return [dict(row) for row in rows]

    def load_rows(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Insert exported rows as they were (ids kept), all in one transaction. The journal's
        version is its own: the caller moves it past what it has seen."""
        with self.transaction(journal_change=False):
            for table in EXPORT_TABLES:
                verb = (
                    "INSERT OR REPLACE" if table in ("settings", "drafts", "hunches") else "INSERT"
                )
                for row in tables.get(table, []):
                    columns = ", ".join(row)
                    marks = ", ".join("?" * len(row))
                    self._conn.execute(
                        f"{verb} INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                        tuple(row.values()),
                    )

    def table_columns(self, table: str) -> list[str]:
        if table not in EXPORT_TABLES:
            raise ValueError(f"{table} is not an export table")
        return [row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")]

    def forget_coordinates(self, *, originals: bool = False) -> int:
        """Blank the coordinates of every stored series; returns how many series changed.

        With ``originals``, the kept original files (which hold coordinates too) go as well.
        Freed pages are overwritten (``secure_delete``) and the log is checkpointed.
        """
        changed = 0
        self._conn.execute("PRAGMA secure_delete = ON")
        try:
            changed = self._forget_coordinates(originals)
        finally:
            self._conn.execute("PRAGMA secure_delete = OFF")
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed

    def _forget_coordinates(self, originals: bool) -> int:
        changed = 0
        with self.transaction():
            if originals:
                self._conn.execute("DELETE FROM originals")
            rows = self._conn.execute("SELECT run_id, data FROM series").fetchall()
            for row in rows:
                series = series_codec.decode(row["data"])
                if not series.has_coordinates:
                    continue
                self._conn.execute(
                    "UPDATE series SET data = ?, codec = ? WHERE run_id = ?",
                    (
                        series_codec.encode(series.without_coordinates()),
                        series_codec.CODEC,
                        row["run_id"],
                    ),
                )
                changed += 1
        return changed

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- runs --------------------------------------------------------------------------------
    def add_run(
        self, run: Run, *, batch_id: int | None = None, original_id: int | None = None
    ) -> int:
        with self.transaction():
            return run_queries.insert_run(
                self._conn,
                run,
                created_ts=utc_now().timestamp(),
                batch_id=batch_id,
                original_id=original_id,
            )

    def upgrade_run(self, run_id: int, run: Run, *, by_batch: int, original_id: int) -> None:
        """Replace a run's recorded data with a richer copy that ``by_batch`` found. The data it
        had is kept, so taking ``by_batch`` back restores it; its batch and the person's fields
        stay."""
        with self.transaction():
            import_queries.save_replaced(self._conn, run_id, by_batch, utc_now().timestamp())
            run_queries.replace_data(self._conn, run_id, run, original_id)

    def runs_starting_near(self, run: Run, window_s: float) -> list[Run]:
        return import_queries.runs_starting_near(self._conn, run, window_s)

    def series_samples(self, run_id: int) -> int:
        return import_queries.series_samples(self._conn, run_id)

    # -- imports -----------------------------------------------------------------------------
    def start_batch(self) -> int:
        with self.transaction():
            return import_queries.start_batch(self._conn, utc_now().timestamp())

    def finish_batch(self, batch_id: int, summary: dict[str, Any]) -> None:
        with self.transaction():
            import_queries.finish_batch(self._conn, batch_id, utc_now().timestamp(), summary)

    def list_batches(self) -> list[Batch]:
        return import_queries.list_batches(self._conn)

    def undo_batch(self, batch_id: int) -> UndoOutcome | None:
        """Take back what one batch brought (see :func:`import_queries.undo_batch`)."""
        with self.transaction():
            return import_queries.undo_batch(self._conn, batch_id, utc_now().timestamp())

    def undo_preview(self, batch_id: int) -> UndoOutcome | None:
        """What :meth:`undo_batch` would do, worked out by doing it and rolling it back."""

        class _Preview(Exception):
            pass

        outcome: UndoOutcome | None = None
        try:
            with self.transaction():
                outcome = import_queries.undo_batch(self._conn, batch_id, utc_now().timestamp())
                raise _Preview
        except _Preview:
            pass
        return outcome

    def kept_without_run(self) -> list[KeptRow]:
        """What the person made on runs an undo took away, waiting for them to come back."""
        return import_queries.kept_without_run(self._conn)

    def rejoin_kept(self, run_id: int, window_s: float) -> list[int]:
        with self.transaction():
            return import_queries.rejoin_kept(self._conn, run_id, window_s)

    def batch_run_ids(self, batch_id: int) -> list[int]:
        """The runs a batch brought, and the runs it upgraded with a richer copy."""
        return import_queries.batch_run_ids(self._conn, batch_id) + import_queries.upgraded_run_ids(
            self._conn, batch_id
        )

    def original_exists(self, sha256: str) -> bool:
        return import_queries.original_exists(self._conn, sha256)

    def add_original(
        self, *, sha256: str, fmt: str, name: str, size: int, codec: str, data: bytes, batch_id: int
    ) -> int:
        with self.transaction():
            return import_queries.insert_original(
                self._conn,
                sha256=sha256,
                fmt=fmt,
                name=name,
                size=size,
                codec=codec,
                data=data,
                batch_id=batch_id,
            )

    def forget_original(self, original_id: int) -> None:
        """Drop a kept file that brought nothing (every activity in it was already here), so
        that it counts as not yet imported once what it duplicated is taken back out."""
        with self.transaction():
            import_queries.delete_original(self._conn, original_id)

    def original_file(self, original_id: int) -> tuple[str, str, bytes] | None:
        """(format, name, bytes) of a kept original file, byte for byte as it was imported."""
        row = import_queries.get_original(self._conn, original_id)
        if row is None:
            return None
        if row["codec"] != "zlib":
            raise ValueError(f"original file {original_id}: unknown codec {row['codec']!r}")
        return row["format"], row["name"], zlib.decompress(row["data"])

    def get_run(self, run_id: int) -> Run | None:
        return run_queries.get_run(self._conn, run_id)

    def get_series(self, run_id: int) -> Series | None:
        return run_queries.get_series(self._conn, run_id)

    def list_runs(
        self,
        *,
        sports: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[Run]:
        return run_queries.list_runs(
            self._conn, sports=sports, limit=limit, offset=offset, newest_first=newest_first
        )

    def runs_overlapping(self, start_ts: float, end_ts: float) -> list[Run]:
        return run_queries.runs_near(self._conn, start_ts, end_ts)

    # -- feelings ----------------------------------------------------------------------------
    def add_checkin(self, checkin: CheckIn) -> int:
        with self.transaction():
            return feeling_queries.insert_checkin(
                self._conn, checkin, created_ts=utc_now().timestamp()
            )

    def holds_checkin_like(self, checkin: CheckIn) -> bool:
        """Whether a check-in of the same kind, source and moment is here (not deleted): the
        person's changed copy of one an import brought, kept when that import was taken back."""
        return feeling_queries.checkin_like_exists(self._conn, checkin)

    def holds_reflection_like(self, reflection: Reflection) -> bool:
        """Whether words an import would bring are here already: the same words from the same
        source at the same moment, or the person's changed copy of them (kept through an undo
        of the import that first brought them)."""
        return feeling_queries.reflection_like_exists(self._conn, reflection)

    def checkins_for_runs(self, run_ids: list[int]) -> dict[int, list[CheckIn]]:
        return feeling_queries.checkins_for_runs(self._conn, run_ids)

    def list_checkins(self, kinds: Iterable[str] | None = None) -> list[CheckIn]:
        return feeling_queries.list_checkins(self._conn, kinds)

    def add_moment(self, moment: Moment) -> int:
        with self.transaction():
            return feeling_queries.insert_moment(
                self._conn, moment, created_ts=utc_now().timestamp()
            )

    def moments_for_run(self, run_id: int) -> list[Moment]:
        return feeling_queries.moments_for_run(self._conn, run_id)

    def list_moments(self) -> list[Moment]:
        return feeling_queries.list_moments(self._conn)

    def add_reflection(self, reflection: Reflection) -> int:
        with self.transaction():
            return feeling_queries.insert_reflection(self._conn, reflection)

    def reflections_for_run(self, run_id: int) -> list[Reflection]:
        return feeling_queries.reflections_for_run(self._conn, run_id)

    def list_reflections(self) -> list[Reflection]:
        return feeling_queries.list_reflections(self._conn)

    def add_wellbeing(self, check: WellbeingCheck) -> int:
        with self.transaction():
            return feeling_queries.insert_wellbeing(
                self._conn, check, created_ts=utc_now().timestamp()
            )

    def list_wellbeing(self) -> list[WellbeingCheck]:
        return feeling_queries.list_wellbeing(self._conn)

    def orphan_checkins(self) -> list[CheckIn]:
        """Before/after check-ins not yet tied to a run."""
        return feeling_queries.orphan_checkins(self._conn)

    def link_checkin(self, checkin_id: int, run_id: int, delay_s: float | None) -> None:
        with self.transaction():
            feeling_queries.link_checkin(self._conn, checkin_id, run_id, delay_s)

    def get_moment(self, moment_id: int) -> Moment | None:
        return feeling_queries.get_moment(self._conn, moment_id)

    def update_moment(self, moment: Moment) -> None:
        with self.transaction():
            feeling_queries.update_moment(self._conn, moment)

    def get_reflection(self, reflection_id: int) -> Reflection | None:
        return feeling_queries.get_reflection(self._conn, reflection_id)

    def search_reflections(self, query: str, limit: int = 50) -> list[tuple[Reflection, str]]:
        """Full-text search (FTS5 query syntax); returns reflections with a short snippet whose
        matches sit between the control characters STX (``\\x02``) and ETX (``\\x03``)."""
        return feeling_queries.search_reflections(self._conn, query, limit)

    def get_checkin(self, checkin_id: int) -> CheckIn | None:
        return feeling_queries.get_checkin(self._conn, checkin_id)

    def update_checkin(self, checkin: CheckIn) -> None:
        with self.transaction():
            feeling_queries.update_checkin(self._conn, checkin)

    def get_wellbeing(self, wellbeing_id: int) -> WellbeingCheck | None:
        return feeling_queries.get_wellbeing(self._conn, wellbeing_id)

    def update_wellbeing(self, check: WellbeingCheck) -> None:
        with self.transaction():
            feeling_queries.update_wellbeing(self._conn, check)

    def update_reflection(self, reflection: Reflection) -> None:
        with self.transaction():
            feeling_queries.update_reflection(self._conn, reflection, utc_now().timestamp())

    def run_edited_fields(self, run_id: int) -> tuple[str, ...]:
        return run_queries.edited_fields(self._conn, run_id)

    def update_run_details(
        self, run_id: int, *, name: str | None, setting: str, company: str, edited: tuple[str, ...]
    ) -> None:
        """The person's own title, setting and company for a run (remembered as theirs)."""
        with self.transaction():
            run_queries.update_details(
                self._conn, run_id, name=name, setting=setting, company=company, edited=edited
            )

    # -- the trash ---------------------------------------------------------------------------
    def move_to_trash(self, kind: str, row_id: int) -> bool:
        with self.transaction():
            return trash_queries.move_to_trash(self._conn, kind, row_id, utc_now().timestamp())

    def restore_from_trash(self, kind: str, row_id: int) -> bool:
        with self.transaction():
            return trash_queries.restore(self._conn, kind, row_id)

    def trashed(self) -> list[TrashedRow]:
        return trash_queries.in_trash(self._conn)

    def purge_trash(self, before: datetime) -> int:
        """Remove for good what has been in the trash since before ``before``."""
        if not trash_queries.has_expired(self._conn, before.timestamp()):
            return 0
        with self.transaction():
            return trash_queries.purge(self._conn, before.timestamp())

    def search_words(self, words: str, limit: int = 50) -> list[tuple[Reflection, str]] | None:
        """Reflections holding every word of ``words`` (prefixes too), best first, with a
        snippet as :meth:`search_reflections` gives; None when ``words`` holds no word."""
        query = feeling_queries.words_query(words)
        if query is None:
            return None
        return feeling_queries.search_reflections(self._conn, query, limit)

    def remembered_hunches(self) -> list[HunchRow]:
        return [hunch_from_row(row) for row in insight_queries.load_hunches(self._conn)]

    def replace_hunches(self, hunches: list[tuple[str, float, int, int, str]]) -> None:
        with self.transaction(journal_change=False):
            insight_queries.save_hunches(self._conn, hunches, utc_now().timestamp())

    # -- drafts: nothing typed is lost -------------------------------------------------------
    def save_draft(
        self, key: str, text: str, *, run_id: int | None = None, prompt_id: str | None = None
    ) -> None:
        with self.transaction(journal_change=False):
            feeling_queries.save_draft(
                self._conn, key, text, run_id, prompt_id, utc_now().timestamp()
            )

    def draft(self, key: str) -> Draft | None:
        row = feeling_queries.get_draft(self._conn, key)
        return None if row is None else draft_from_row(row)

    def drafts(self) -> list[Draft]:
        return [draft_from_row(row) for row in feeling_queries.list_drafts(self._conn)]

    def delete_draft(self, key: str) -> None:
        with self.transaction(journal_change=False):
            feeling_queries.delete_draft(self._conn, key)

    def list_drafts(self) -> list[dict[str, Any]]:
        return [dict(row) for row in feeling_queries.list_drafts(self._conn)]
