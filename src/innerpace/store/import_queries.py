"""SQL for import batches, kept original files, and finding a run already in the journal."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from innerpace.domain import Run
from innerpace.store.rows import from_ts, run_from_row, ts


@dataclass(frozen=True, slots=True)
class Batch:
    id: int
    started_ts: float
    finished_ts: float | None
    status: str
    summary: dict
    runs: int


def start_batch(conn: sqlite3.Connection, now_ts: float) -> int:
    cur = conn.execute(
        "INSERT INTO import_batches (started_ts, status) VALUES (?, 'running')", (now_ts,)
    )
    return int(cur.lastrowid or 0)


def finish_batch(conn: sqlite3.Connection, batch_id: int, now_ts: float, summary: dict) -> None:
    conn.execute(
        "UPDATE import_batches SET finished_ts = ?, status = 'done', summary_json = ? WHERE id = ?",
        (now_ts, json.dumps(summary, sort_keys=True), batch_id),
    )


def list_batches(conn: sqlite3.Connection) -> list[Batch]:
    rows = conn.execute(
        "SELECT b.*, (SELECT COUNT(*) FROM runs r WHERE r.batch_id = b.id) AS n_runs"
        " FROM import_batches b ORDER BY b.id DESC"
    ).fetchall()
    return [
        Batch(
            id=row["id"],
            started_ts=row["started_ts"],
            finished_ts=row["finished_ts"],
            status=row["status"],
            summary=json.loads(row["summary_json"]) if row["summary_json"] else {},
            runs=row["n_runs"],
        )
        for row in rows
    ]


def delete_batch(conn: sqlite3.Connection, batch_id: int) -> int | None:
    """Remove a batch with its runs and originals; device check-ins of those runs go too.

    Returns how many runs were removed, or None when there is no such batch.
    """
    if conn.execute("SELECT 1 FROM import_batches WHERE id = ?", (batch_id,)).fetchone() is None:
        return None
    run_ids = [r[0] for r in conn.execute("SELECT id FROM runs WHERE batch_id = ?", (batch_id,))]
    conn.execute(
        "DELETE FROM checkins WHERE source <> 'self' AND run_id IN"
        " (SELECT id FROM runs WHERE batch_id = ?)",
        (batch_id,),
    )
    for table in ("checkins", "moments", "reflections", "wellbeing"):  # what the batch brought
        conn.execute(f"DELETE FROM {table} WHERE batch_id = ?", (batch_id,))  # noqa: S608
    conn.execute("DELETE FROM runs WHERE batch_id = ?", (batch_id,))
    conn.execute("DELETE FROM import_batches WHERE id = ?", (batch_id,))
    return len(run_ids)


def original_exists(conn: sqlite3.Connection, sha256: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM originals WHERE sha256 = ?", (sha256,)).fetchone() is not None
    )


def insert_original(
    conn: sqlite3.Connection,
    *,
    sha256: str,
    fmt: str,
    name: str,
    size: int,
    codec: str,
    data: bytes,
    batch_id: int | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO originals (sha256, format, name, size, codec, data, batch_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (sha256, fmt, name, size, codec, data, batch_id),
    )
    return int(cur.lastrowid or 0)


def get_original(conn: sqlite3.Connection, original_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM originals WHERE id = ?", (original_id,)).fetchone()


def runs_starting_near(conn: sqlite3.Connection, run: Run, window_s: float) -> list[Run]:
    start = ts(run.start)
    rows = conn.execute(
        "SELECT * FROM runs WHERE start_ts BETWEEN ? AND ? AND deleted_ts IS NULL"
        " ORDER BY ABS(start_ts - ?)",
        (start - window_s, start + window_s, start),
    ).fetchall()
    return [run_from_row(row) for row in rows]


def series_samples(conn: sqlite3.Connection, run_id: int) -> int:
    row = conn.execute("SELECT samples FROM series WHERE run_id = ?", (run_id,)).fetchone()
    return 0 if row is None else int(row[0])


__all__ = [
    "Batch",
    "delete_batch",
    "finish_batch",
    "from_ts",
    "get_original",
    "insert_original",
    "list_batches",
    "original_exists",
    "runs_starting_near",
    "series_samples",
    "start_batch",
]
