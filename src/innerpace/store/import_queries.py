"""SQL for import batches, kept original files, and finding a run already in the journal."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from innerpace.domain import Run
from innerpace.store.rows import from_ts, run_from_row, ts


@dataclass(frozen=True, slots=True)
class Batch:
    id: int
    started_ts: float
    finished_ts: float | None
    status: str
    summary: dict[str, Any]
    runs: int


def start_batch(conn: sqlite3.Connection, now_ts: float) -> int:
    cur = conn.execute(
        "INSERT INTO import_batches (started_ts, status) VALUES (?, 'running')", (now_ts,)
    )
    return int(cur.lastrowid or 0)


def finish_batch(
    conn: sqlite3.Connection, batch_id: int, now_ts: float, summary: dict[str, Any]
) -> None:
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


def delete_original(conn: sqlite3.Connection, original_id: int) -> None:
    conn.execute("DELETE FROM originals WHERE id = ?", (original_id,))


def get_original(conn: sqlite3.Connection, original_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM originals WHERE id = ?", (original_id,)
    ).fetchone()
    return row


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
    "KeptRow",
    "UndoOutcome",
    "batch_run_ids",
    "delete_original",
    "kept_without_run",
    "rejoin_kept",
    "save_replaced",
    "undo_batch",
    "upgraded_run_ids",
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


# -- provenance: what a batch brought, what the person made ----------------------------------
# The tables whose rows know their maker (batch_id NULL: the person).
_MADE = ("checkins", "moments", "reflections")
# A run's columns an import may replace with a richer copy (never its id, batch or the person's).
_DATA_COLUMNS = (
    "start_ts",
    "utc_offset_min",
    "duration_s",
    "moving_s",
    "distance_m",
    "sport",
    "sport_name",
    "setting",
    "company",
    "name",
    "avg_hr",
    "max_hr",
    "avg_cadence_spm",
    "elevation_gain_m",
    "elevation_loss_m",
    "device",
    "source",
    "original_id",
)
_PERSON_FIELDS = ("name", "setting", "company")


@dataclass(frozen=True, slots=True)
class KeptRow:
    """A person-made row whose run an undo took away: it stays, waiting for that run."""

    kind: str  # checkin, moment, reflection, title
    id: int
    run_start_ts: float
    run_sport: str
    run_name: str | None
    words: str | None


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    """What taking a batch back did (or, in a preview, would do)."""

    batch_id: int
    runs: int
    restored_runs: int
    handed_over: int  # runs it brought that a later batch made richer: now that batch's
    checkins: int
    moments: int
    reflections: int
    wellbeing: int
    kept: tuple[KeptRow, ...]


def save_replaced(conn: sqlite3.Connection, run_id: int, by_batch: int, now_ts: float) -> None:
    """Keep a run's data as it is now, before ``by_batch`` replaces it with a richer copy."""
    row = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
    laps = [dict(r) for r in conn.execute("SELECT * FROM laps WHERE run_id = ?", (run_id,))]
    series = conn.execute(
        "SELECT codec, samples, data FROM series WHERE run_id = ?", (run_id,)
    ).fetchone()
    conn.execute(
        "INSERT INTO replaced_runs (run_id, batch_id, run_json, laps_json, series_codec, samples,"
        " series_data, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            run_id,
            by_batch,
            json.dumps({c: row[c] for c in _DATA_COLUMNS}),
            json.dumps(laps),
            None if series is None else series["codec"],
            None if series is None else series["samples"],
            None if series is None else series["data"],
            now_ts,
        ),
    )


def _keep_person_fields(
    conn: sqlite3.Connection, run_id: int, values: dict[str, Any]
) -> dict[str, Any]:
    row = conn.execute("SELECT edited_fields FROM runs WHERE id = ?", (run_id,)).fetchone()
    edited = set(json.loads(row[0] or "[]")) if row else set()
    return {k: v for k, v in values.items() if k not in edited}


def _put_back(conn: sqlite3.Connection, run_id: int, row: sqlite3.Row) -> None:
    """Give a run the data kept in one ``replaced_runs`` row (the person's fields stay)."""
    values = _keep_person_fields(conn, run_id, json.loads(row["run_json"]))
    conn.execute(
        f"UPDATE runs SET {', '.join(f'{c} = ?' for c in values)} WHERE id = ?",  # noqa: S608
        (*values.values(), run_id),
    )
    conn.execute("DELETE FROM laps WHERE run_id = ?", (run_id,))
    for lap in json.loads(row["laps_json"]):
        conn.execute(
            f"INSERT INTO laps ({', '.join(lap)}) VALUES ({', '.join('?' * len(lap))})",  # noqa: S608
            tuple(lap.values()),
        )
    conn.execute("DELETE FROM series WHERE run_id = ?", (run_id,))
    if row["series_data"] is not None:
        conn.execute(
            "INSERT INTO series (run_id, samples, codec, data) VALUES (?, ?, ?, ?)",
            (run_id, row["samples"], row["series_codec"], row["series_data"]),
        )


def _take_back_copies(conn: sqlite3.Connection, batch_id: int) -> tuple[int, int]:
    """Take one batch's copies out of each run's line of copies, leaving the line as if the
    batch had never been imported. A run's line is the copy its batch brought, then each
    richer copy a later batch found (each kept ``replaced_runs`` row holds the copy before its
    batch's). Returns (runs put back to an earlier copy, runs handed to the batch whose richer
    copy they now are). Runs the batch brought that no later batch made richer are left to
    the caller to remove."""
    restored = handed = 0
    touched = conn.execute(
        "SELECT id FROM runs WHERE batch_id = ? UNION"
        " SELECT run_id FROM replaced_runs WHERE batch_id = ?",
        (batch_id, batch_id),
    ).fetchall()
    for (run_id,) in touched:
        while True:
            owner = conn.execute("SELECT batch_id FROM runs WHERE id = ?", (run_id,)).fetchone()
            line = conn.execute(
                "SELECT * FROM replaced_runs WHERE run_id = ? ORDER BY id", (run_id,)
            ).fetchall()
            batches = [owner[0], *(row["batch_id"] for row in line)]
            if batch_id not in batches:
                break
            at = len(batches) - 1 - batches[::-1].index(batch_id)  # its latest copy
            if at == 0 and not line:  # the batch's own run, never made richer: it goes
                break
            if at == 0:  # the next copy's batch now owns the run; the batch's copy goes
                conn.execute(
                    "UPDATE runs SET batch_id = ? WHERE id = ?", (line[0]["batch_id"], run_id)
                )
                conn.execute("DELETE FROM replaced_runs WHERE id = ?", (line[0]["id"],))
                handed += 1
            elif at == len(line):  # the latest copy: the run goes back to the one before
                _put_back(conn, run_id, line[-1])
                conn.execute("DELETE FROM replaced_runs WHERE id = ?", (line[-1]["id"],))
                restored += 1
            else:  # a copy in the middle: the next batch's copy replaced the one before it
                conn.execute(
                    "UPDATE replaced_runs SET batch_id = ? WHERE id = ?",
                    (line[at]["batch_id"], line[at - 1]["id"]),
                )
                conn.execute("DELETE FROM replaced_runs WHERE id = ?", (line[at]["id"],))
    return restored, handed


def _detach_person_rows(
    conn: sqlite3.Connection, batch_id: int, now_ts: float
) -> tuple[KeptRow, ...]:
    """Untie what is not the batch's from the batch's runs, remembering each run's start and
    sport (and the person's own title, setting, company) so they join it again on re-import."""
    kept: list[KeptRow] = []
    runs = conn.execute("SELECT * FROM runs WHERE batch_id = ?", (batch_id,)).fetchall()
    for run in runs:
        edited = json.loads(run["edited_fields"] or "[]")
        rows = {
            table: conn.execute(
                f"SELECT * FROM {table} WHERE run_id = ?"  # noqa: S608
                " AND (batch_id IS NULL OR batch_id <> ?)",
                (run["id"], batch_id),
            ).fetchall()
            for table in _MADE
        }
        if not edited and not any(rows.values()):
            continue
        person = {f: run[f] if f in edited else None for f in _PERSON_FIELDS}
        cur = conn.execute(
            "INSERT INTO detached_runs (start_ts, sport, name, setting, company, created_ts)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (run["start_ts"], run["sport"], *person.values(), now_ts),
        )
        detached_id = int(cur.lastrowid or 0)
        name = run["name"]
        if "name" in edited:
            kept.append(KeptRow("title", run["id"], run["start_ts"], run["sport"], name, name))
        for table, found in rows.items():
            for row in found:
                conn.execute(
                    f"UPDATE {table} SET run_id = NULL, detached_id = ? WHERE id = ?",  # noqa: S608
                    (detached_id, row["id"]),
                )
                words = row["text"] if table == "reflections" else row["note"]
                kind = table.removesuffix("s")
                kept.append(KeptRow(kind, row["id"], run["start_ts"], run["sport"], name, words))
    return tuple(kept)


def undo_batch(conn: sqlite3.Connection, batch_id: int, now_ts: float) -> UndoOutcome | None:
    """Take back exactly what one batch brought: its runs (with laps, series, originals), its
    device check-ins, suggested moments, imported reflections and answers; runs it upgraded go
    back to the data they had. A run it brought that a later batch made richer stays, as that
    batch's copy and now that batch's run. Everything else stays; what the person made on the
    batch's runs stays too (on a run that goes, kept without a run). None when there is no
    such batch."""
    if conn.execute("SELECT 1 FROM import_batches WHERE id = ?", (batch_id,)).fetchone() is None:
        return None
    restored, handed = _take_back_copies(conn, batch_id)
    kept = _detach_person_rows(conn, batch_id, now_ts)
    removed = {
        table: conn.execute(
            f"DELETE FROM {table} WHERE batch_id = ?",  # noqa: S608
            (batch_id,),
        ).rowcount
        for table in (*_MADE, "wellbeing")
    }
    runs = conn.execute("DELETE FROM runs WHERE batch_id = ?", (batch_id,)).rowcount
    conn.execute("DELETE FROM import_batches WHERE id = ?", (batch_id,))
    return UndoOutcome(
        batch_id=batch_id,
        runs=runs,
        restored_runs=restored,
        handed_over=handed,
        checkins=removed["checkins"],
        moments=removed["moments"],
        reflections=removed["reflections"],
        wellbeing=removed["wellbeing"],
        kept=kept,
    )


def kept_without_run(conn: sqlite3.Connection) -> list[KeptRow]:
    """Every person-made row still waiting for its run to be imported again."""
    kept: list[KeptRow] = []
    for detached in conn.execute("SELECT * FROM detached_runs ORDER BY start_ts"):
        start, sport, name = detached["start_ts"], detached["sport"], detached["name"]
        if name is not None:
            kept.append(KeptRow("title", detached["id"], start, sport, name, name))
        for table in _MADE:
            rows = conn.execute(
                f"SELECT * FROM {table} WHERE detached_id = ? AND deleted_ts IS NULL",  # noqa: S608
                (detached["id"],),
            )
            for row in rows:
                words = row["text"] if table == "reflections" else row["note"]
                kept.append(KeptRow(table.removesuffix("s"), row["id"], start, sport, name, words))
    return kept


def rejoin_kept(conn: sqlite3.Connection, run_id: int, window_s: float) -> list[int]:
    """Tie what the person kept from an earlier copy of this run back to it (same sport,
    start within ``window_s``): rows, and their own title, setting and company. A suggested
    moment the kept ones already cover goes. Returns the ids of the kept groups re-joined."""
    run = conn.execute(
        "SELECT start_ts, sport, edited_fields FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    if run is None:
        return []
    found = conn.execute(
        "SELECT * FROM detached_runs WHERE sport = ? AND start_ts BETWEEN ? AND ?"
        " ORDER BY ABS(start_ts - ?)",
        (run["sport"], run["start_ts"] - window_s, run["start_ts"] + window_s, run["start_ts"]),
    ).fetchall()
    edited = set(json.loads(run["edited_fields"] or "[]"))
    for detached in found:
        for table in _MADE:
            conn.execute(
                f"UPDATE {table} SET run_id = ?, detached_id = NULL"  # noqa: S608
                " WHERE detached_id = ?",
                (run_id, detached["id"]),
            )
        for field in _PERSON_FIELDS:
            if detached[field] is not None:
                conn.execute(
                    f"UPDATE runs SET {field} = ? WHERE id = ?",  # noqa: S608
                    (detached[field], run_id),
                )
                edited.add(field)
        conn.execute("DELETE FROM detached_runs WHERE id = ?", (detached["id"],))
    if found:
        conn.execute(
            "UPDATE runs SET edited_fields = ? WHERE id = ?", (json.dumps(sorted(edited)), run_id)
        )
        conn.execute(
            "DELETE FROM moments WHERE run_id = ? AND status = 'suggested'"
            " AND batch_id IS NOT NULL AND EXISTS (SELECT 1 FROM moments k"
            " WHERE k.run_id = moments.run_id AND k.batch_id IS NULL"
            " AND ABS(COALESCE(k.at_s, -1e9) - COALESCE(moments.at_s, 1e9)) <= 1)",
            (run_id,),
        )
    return [d["id"] for d in found]


def batch_run_ids(conn: sqlite3.Connection, batch_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM runs WHERE batch_id = ?", (batch_id,))]


def upgraded_run_ids(conn: sqlite3.Connection, batch_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT run_id FROM replaced_runs WHERE batch_id = ?", (batch_id,)
        )
    ]
