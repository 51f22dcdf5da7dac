"""Numbered schema migrations, recorded in a table, each applied in one transaction.

Add a migration by appending a function ``mNNN_what_it_does(conn)`` to :data:`MIGRATIONS`.
Never edit one that has shipped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from innerpace.domain.feelings import tag_words
from innerpace.store.connection import backup_to, write


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute ``script`` statement by statement, inside the caller's transaction.

    (``executescript`` would commit the open transaction first.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError("migration script ends in the middle of a statement")


def m001_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE import_batches (
            id           INTEGER PRIMARY KEY,
            started_ts   REAL NOT NULL,
            finished_ts  REAL,
            status       TEXT NOT NULL DEFAULT 'running',
            summary_json TEXT
        );
        CREATE TABLE originals (
            id       INTEGER PRIMARY KEY,
            sha256   TEXT NOT NULL UNIQUE,
            format   TEXT NOT NULL,
            name     TEXT,
            size     INTEGER NOT NULL,
            codec    TEXT NOT NULL,
            data     BLOB NOT NULL,
            batch_id INTEGER REFERENCES import_batches(id) ON DELETE CASCADE
        );
        CREATE TABLE runs (
            id               INTEGER PRIMARY KEY,
            start_ts         REAL NOT NULL,
            utc_offset_min   INTEGER,
            duration_s       REAL NOT NULL CHECK (duration_s > 0),
            moving_s         REAL,
            distance_m       REAL CHECK (distance_m IS NULL OR distance_m >= 0),
            sport            TEXT NOT NULL,
            sport_name       TEXT,
            setting          TEXT NOT NULL,
            company          TEXT NOT NULL,
            name             TEXT,
            avg_hr           REAL,
            max_hr           REAL,
            avg_cadence_spm  REAL,
            elevation_gain_m REAL,
            elevation_loss_m REAL,
            device           TEXT,
            source           TEXT NOT NULL,
            original_id      INTEGER REFERENCES originals(id) ON DELETE SET NULL,
            batch_id         INTEGER REFERENCES import_batches(id) ON DELETE CASCADE,
            created_ts       REAL NOT NULL
        );
        CREATE INDEX runs_by_start ON runs(start_ts);
        CREATE TABLE laps (
            run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            idx        INTEGER NOT NULL,
            start_ts   REAL NOT NULL,
            elapsed_s  REAL NOT NULL,
            distance_m REAL,
            trigger    TEXT NOT NULL,
            avg_hr     REAL,
            PRIMARY KEY (run_id, idx)
        );
        CREATE TABLE series (
            run_id  INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            samples INTEGER NOT NULL,
            codec   TEXT NOT NULL,
            data    BLOB NOT NULL
        );
        CREATE TABLE checkins (
            id         INTEGER PRIMARY KEY,
            at_ts      REAL NOT NULL,
            kind       TEXT NOT NULL
                       CHECK (kind IN ('before', 'after', 'rest-first', 'rest-second')),
            run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            delay_s    REAL,
            note       TEXT,
            source     TEXT NOT NULL DEFAULT 'self',
            created_ts REAL NOT NULL
        );
        CREATE INDEX checkins_by_time ON checkins(at_ts);
        CREATE INDEX checkins_by_run ON checkins(run_id);
        CREATE TABLE wellbeing (
            id         INTEGER PRIMARY KEY,
            at_ts      REAL NOT NULL,
            created_ts REAL NOT NULL
        );
        CREATE TABLE answers (
            id                 INTEGER PRIMARY KEY,
            checkin_id         INTEGER REFERENCES checkins(id) ON DELETE CASCADE,
            wellbeing_id       INTEGER REFERENCES wellbeing(id) ON DELETE CASCADE,
            instrument_id      TEXT NOT NULL,
            instrument_version TEXT NOT NULL,
            item_id            TEXT NOT NULL,
            value              REAL NOT NULL,
            CHECK ((checkin_id IS NULL) <> (wellbeing_id IS NULL))
        );
        CREATE INDEX answers_by_checkin ON answers(checkin_id);
        CREATE INDEX answers_by_wellbeing ON answers(wellbeing_id);
        CREATE TABLE moments (
            id         INTEGER PRIMARY KEY,
            run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            at_s       REAL,
            at_m       REAL,
            tags       TEXT NOT NULL DEFAULT '[]',
            note       TEXT,
            status     TEXT NOT NULL CHECK (status IN ('confirmed', 'suggested', 'dismissed')),
            source     TEXT NOT NULL DEFAULT 'self',
            created_ts REAL NOT NULL,
            CHECK (at_s IS NOT NULL OR at_m IS NOT NULL)
        );
        CREATE INDEX moments_by_run ON moments(run_id);
        CREATE TABLE reflections (
            id         INTEGER PRIMARY KEY,
            run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            day        TEXT,
            text       TEXT NOT NULL,
            prompt_id  TEXT,
            private    INTEGER NOT NULL DEFAULT 0,
            origin     TEXT NOT NULL DEFAULT 'self',
            created_ts REAL NOT NULL,
            updated_ts REAL
        );
        CREATE INDEX reflections_by_run ON reflections(run_id);
        """,
    )


def m002_words_search_and_drafts(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE VIRTUAL TABLE reflections_fts USING fts5(
            text,
            content='reflections',
            content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO reflections_fts (rowid, text) SELECT id, text FROM reflections;
        CREATE TRIGGER reflections_fts_insert AFTER INSERT ON reflections BEGIN
            INSERT INTO reflections_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER reflections_fts_delete AFTER DELETE ON reflections BEGIN
            INSERT INTO reflections_fts (reflections_fts, rowid, text)
                VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER reflections_fts_update AFTER UPDATE OF text ON reflections BEGIN
            INSERT INTO reflections_fts (reflections_fts, rowid, text)
                VALUES ('delete', old.id, old.text);
            INSERT INTO reflections_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TABLE drafts (
            key        TEXT PRIMARY KEY,
            text       TEXT NOT NULL,
            run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            prompt_id  TEXT,
            updated_ts REAL NOT NULL
        );
        CREATE TABLE hunches (
            predictor        TEXT PRIMARY KEY,
            first_seen_ts    REAL NOT NULL,
            first_seen_runs  INTEGER NOT NULL,
            direction        INTEGER NOT NULL DEFAULT 0,
            status           TEXT NOT NULL,
            updated_ts       REAL NOT NULL
        );
        """,
    )


def m003_provenance_and_trash(conn: sqlite3.Connection) -> None:
    """Every row knows who made it (``batch_id``: NULL = the person); deleting moves to the trash
    (``deleted_ts``); a day mood is a check-in kind; a run remembers which of its fields the
    person edited, the data a richer copy replaced, and what the person kept when a batch went."""
    run_script(
        conn,
        """
        CREATE TABLE detached_runs (
            id         INTEGER PRIMARY KEY,
            start_ts   REAL NOT NULL,
            sport      TEXT NOT NULL,
            name       TEXT,
            setting    TEXT,
            company    TEXT,
            created_ts REAL NOT NULL
        );
        CREATE INDEX detached_runs_by_start ON detached_runs(start_ts);
        CREATE TABLE replaced_runs (
            id           INTEGER PRIMARY KEY,
            run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            batch_id     INTEGER NOT NULL,
            run_json     TEXT NOT NULL,
            laps_json    TEXT NOT NULL,
            series_codec TEXT,
            samples      INTEGER,
            series_data  BLOB,
            created_ts   REAL NOT NULL
        );
        CREATE INDEX replaced_runs_by_batch ON replaced_runs(batch_id);
        ALTER TABLE runs ADD COLUMN edited_fields TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE runs ADD COLUMN deleted_ts REAL;
        CREATE INDEX runs_by_batch ON runs(batch_id);

        CREATE TABLE checkins_new (
            id          INTEGER PRIMARY KEY,
            at_ts       REAL NOT NULL,
            kind        TEXT NOT NULL
                        CHECK (kind IN ('before', 'after', 'rest-first', 'rest-second', 'day')),
            run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            delay_s     REAL,
            note        TEXT,
            source      TEXT NOT NULL DEFAULT 'self',
            created_ts  REAL NOT NULL,
            batch_id    INTEGER REFERENCES import_batches(id),
            deleted_ts  REAL,
            detached_id INTEGER
        );
        INSERT INTO checkins_new (id, at_ts, kind, run_id, delay_s, note, source, created_ts,
                                  batch_id)
            SELECT c.id, c.at_ts, c.kind, c.run_id, c.delay_s, c.note, c.source, c.created_ts,
                   CASE WHEN c.source <> 'self' THEN r.batch_id END
            FROM checkins c LEFT JOIN runs r ON r.id = c.run_id;
        DROP TABLE checkins;
        ALTER TABLE checkins_new RENAME TO checkins;
        CREATE INDEX checkins_by_time ON checkins(at_ts);
        CREATE INDEX checkins_by_run ON checkins(run_id);
        CREATE INDEX checkins_by_batch ON checkins(batch_id);

        CREATE TABLE moments_new (
            id          INTEGER PRIMARY KEY,
            run_id      INTEGER REFERENCES runs(id) ON DELETE CASCADE,
            at_s        REAL,
            at_m        REAL,
            tags        TEXT NOT NULL DEFAULT '[]',
            note        TEXT,
            status      TEXT NOT NULL CHECK (status IN ('confirmed', 'suggested', 'dismissed')),
            source      TEXT NOT NULL DEFAULT 'self',
            created_ts  REAL NOT NULL,
            batch_id    INTEGER REFERENCES import_batches(id),
            deleted_ts  REAL,
            detached_id INTEGER,
            CHECK (at_s IS NOT NULL OR at_m IS NOT NULL)
        );
        INSERT INTO moments_new (id, run_id, at_s, at_m, tags, note, status, source, created_ts,
                                 batch_id)
            SELECT m.id, m.run_id, m.at_s, m.at_m, m.tags, m.note, m.status, m.source,
                   m.created_ts,
                   CASE WHEN m.source <> 'self' AND m.status <> 'confirmed' THEN r.batch_id END
            FROM moments m LEFT JOIN runs r ON r.id = m.run_id;
        DROP TABLE moments;
        ALTER TABLE moments_new RENAME TO moments;
        CREATE INDEX moments_by_run ON moments(run_id);
        CREATE INDEX moments_by_batch ON moments(batch_id);

        ALTER TABLE reflections ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
        ALTER TABLE reflections ADD COLUMN deleted_ts REAL;
        ALTER TABLE reflections ADD COLUMN detached_id INTEGER;
        UPDATE reflections SET batch_id = (SELECT r.batch_id FROM runs r
                                           WHERE r.id = reflections.run_id)
            WHERE origin <> 'self';
        CREATE INDEX reflections_by_batch ON reflections(batch_id);

        ALTER TABLE wellbeing ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
        ALTER TABLE wellbeing ADD COLUMN deleted_ts REAL;
        """,
    )


def m004_track_uncropped(conn: sqlite3.Connection) -> None:
    """A run whose figures come from an export's table while its track is the recording
    before it was cropped there."""
    run_script(
        conn,
        "ALTER TABLE runs ADD COLUMN track_uncropped INTEGER NOT NULL DEFAULT 0;",
    )


def m007_phone_devices_and_receipts(conn: sqlite3.Connection) -> None:
    """Paired phones (a hash of each key), receipts of the entries they sent, moments waiting
    for their run, and the phone listener's certificate authority."""
    from innerpace.store.phone_queries import PHONE_SCHEMA

    run_script(conn, PHONE_SCHEMA)


def m006_checkin_tags(conn: sqlite3.Connection) -> None:
    """A check-in carries tags, as a moment does (a JSON list): a mood diary's activities.

    Day moods Daylio brought before held their activities in the note (``a · b · c``); they
    become the tags, and an activity too long for a tag stays in the note."""
    run_script(conn, "ALTER TABLE checkins ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';")
    rows = conn.execute(
        "SELECT id, note FROM checkins WHERE kind = 'day' AND source = 'daylio'"
        " AND batch_id IS NOT NULL AND note IS NOT NULL"
    ).fetchall()
    for checkin_id, note in rows:
        if "\n" in note:
            continue
        tags, too_long = tag_words(note.split(" · "))
        if tags:
            conn.execute(
                "UPDATE checkins SET tags = ?, note = ? WHERE id = ?",
                (json.dumps(list(tags)), " · ".join(too_long) or None, checkin_id),
            )


Migration = Callable[[sqlite3.Connection], None]


def m008_reflections_by_time(conn: sqlite3.Connection) -> None:
    """Words an import would bring again are looked up by their moment (``created_ts``)."""
    run_script(conn, "CREATE INDEX reflections_by_time ON reflections(created_ts);")


MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_words_search_and_drafts,
    m003_provenance_and_trash,
    m004_track_uncropped,
    m007_phone_devices_and_receipts,
    m006_checkin_tags,
    m008_reflections_by_time,
)


def _ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ts REAL NOT NULL)"
    )


def applied(conn: sqlite3.Connection) -> list[int]:
    _ensure_table(conn)
    return [row[0] for row in conn.execute("SELECT number FROM schema_migrations ORDER BY number")]


def schema_version(conn: sqlite3.Connection) -> int:
    done = applied(conn)
    return done[-1] if done else 0


def migrate(conn: sqlite3.Connection, backup_dir: Path | None) -> Path | None:
    """Apply every pending migration. Returns the backup taken first, if any.

    A journal that already holds a schema is backed up (online backup API) before it changes.
    """
    done = set(applied(conn))
    pending = [(n, m) for n, m in enumerate(MIGRATIONS, start=1) if n not in done]
    if not pending:
        return None
    backup = None
    if done and backup_dir is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_to(conn, backup_dir / f"before-migration-{max(done):03d}-{stamp}.db")
    # A migration may rebuild a table (SQLite's way to change a constraint): with foreign keys
    # on, dropping the old table would cascade into its children. They are checked before commit.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for number, migration in pending:
            with write(conn):
                migration(conn)
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(
                        f"migration {number} would leave {len(broken)} rows without their parent"
                    )
                conn.execute(
                    "INSERT INTO schema_migrations (number, name, applied_ts) VALUES (?, ?, ?)",
                    (number, migration.__name__, datetime.now(UTC).timestamp()),
                )
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return backup
