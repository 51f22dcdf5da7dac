"""SQL for runs, their laps and their series."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from innerpace.domain import Lap, Run, Series
from innerpace.store import series_codec
from innerpace.store.rows import from_ts, lap_from_row, rows_with_ids_in, run_from_row, ts

_RUN_COLUMNS = (
    "start_ts, utc_offset_min, duration_s, moving_s, distance_m, sport, sport_name, setting,"
    " company, name, avg_hr, max_hr, avg_cadence_spm, elevation_gain_m, elevation_loss_m,"
    " device, source, original_id, batch_id, created_ts"
)


def _values(
    run: Run, created_ts: float, batch_id: int | None, original_id: int | None
) -> tuple[object, ...]:
    return (
        ts(run.start),
        run.utc_offset_min,
        run.duration_s,
        run.moving_s,
        run.distance_m,
        run.sport.value,
        run.sport_name,
        run.setting.value,
        run.company.value,
        run.name,
        run.avg_hr,
        run.max_hr,
        run.avg_cadence_spm,
        run.elevation_gain_m,
        run.elevation_loss_m,
        run.device,
        run.source,
        original_id,
        batch_id,
        created_ts,
    )


def _insert_children(conn: sqlite3.Connection, run_id: int, run: Run) -> None:
    conn.executemany(
        "INSERT INTO laps (run_id, idx, start_ts, elapsed_s, distance_m, trigger, avg_hr)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (run_id, i, ts(lap.start), lap.elapsed_s, lap.distance_m, lap.trigger.value, lap.avg_hr)
            for i, lap in enumerate(run.laps)
        ],
    )
    if run.series is not None and len(run.series):
        conn.execute(
            "INSERT INTO series (run_id, samples, codec, data) VALUES (?, ?, ?, ?)",
            (run_id, len(run.series), series_codec.CODEC, series_codec.encode(run.series)),
        )


def insert_run(
    conn: sqlite3.Connection,
    run: Run,
    *,
    created_ts: float,
    batch_id: int | None = None,
    original_id: int | None = None,
) -> int:
    cur = conn.execute(
        f"INSERT INTO runs ({_RUN_COLUMNS}) VALUES ({', '.join('?' * 20)})",  # noqa: S608
        _values(run, created_ts, batch_id, original_id),
    )
    run_id = int(cur.lastrowid or 0)
    _insert_children(conn, run_id, run)
    return run_id


def replace_data(conn: sqlite3.Connection, run_id: int, run: Run, original_id: int | None) -> None:
    """Put a richer recording's data in place of a run's; its id (and so its feelings), its
    batch and whatever the person set (title, setting, company) stay."""
    row = conn.execute(
        "SELECT name, setting, company, edited_fields FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    edited = set(json.loads(row["edited_fields"] or "[]"))
    names = [c.strip() for c in _RUN_COLUMNS.split(",")]
    values = dict(zip(names, _values(run, 0, None, None), strict=True))
    for gone in ("batch_id", "created_ts"):
        values.pop(gone)
    values["original_id"] = original_id
    for field in ("name", "setting", "company"):
        if field in edited or values[field] in (None, "unknown"):
            values[field] = row[field]
    conn.execute(
        f"UPDATE runs SET {', '.join(f'{c} = ?' for c in values)} WHERE id = ?",  # noqa: S608
        (*values.values(), run_id),
    )
    conn.execute("DELETE FROM laps WHERE run_id = ?", (run_id,))
    conn.execute("DELETE FROM series WHERE run_id = ?", (run_id,))
    _insert_children(conn, run_id, run)


def _laps_for(conn: sqlite3.Connection, run_ids: Iterable[int]) -> dict[int, list[Lap]]:
    ids = list(run_ids)
    found: dict[int, list[Lap]] = {i: [] for i in ids}
    sql = "SELECT * FROM laps WHERE run_id IN ({marks}) ORDER BY run_id, idx"
    for row in rows_with_ids_in(conn, sql, ids):
        found[row["run_id"]].append(lap_from_row(row))
    return found


def get_run(conn: sqlite3.Connection, run_id: int) -> Run | None:
    row = conn.execute(
        "SELECT * FROM runs WHERE id = ? AND deleted_ts IS NULL", (run_id,)
    ).fetchone()
    if row is None:
        return None
    return run_from_row(row, tuple(_laps_for(conn, [run_id])[run_id]))


def get_series(conn: sqlite3.Connection, run_id: int) -> Series | None:
    row = conn.execute("SELECT codec, data FROM series WHERE run_id = ?", (run_id,)).fetchone()
    if row is None:
        return None
    if row["codec"] != series_codec.CODEC:
        raise ValueError(f"run {run_id}: unknown series encoding {row['codec']!r}")
    return series_codec.decode(row["data"])


def list_runs(
    conn: sqlite3.Connection,
    *,
    sports: Iterable[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = True,
) -> list[Run]:
    where, params = "WHERE deleted_ts IS NULL", list[object]()
    if sports is not None:
        wanted = list(sports)
        where += f" AND sport IN ({','.join('?' * len(wanted))})"
        params.extend(wanted)
    order = "DESC" if newest_first else "ASC"
    sql = f"SELECT * FROM runs {where} ORDER BY start_ts {order}, id {order}"  # noqa: S608
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params.extend([limit, offset])
    rows = conn.execute(sql, params).fetchall()
    laps = _laps_for(conn, [row["id"] for row in rows])
    return [run_from_row(row, tuple(laps[row["id"]])) for row in rows]


def runs_near(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[Run]:
    """Runs that overlap the interval [start_ts, end_ts]."""
    rows = conn.execute(
        "SELECT * FROM runs WHERE start_ts <= ? AND start_ts + duration_s >= ?"
        " AND deleted_ts IS NULL ORDER BY start_ts",
        (end_ts, start_ts),
    ).fetchall()
    return [run_from_row(row) for row in rows]


def first_and_last_start(conn: sqlite3.Connection) -> tuple[object, object]:
    row = conn.execute(
        "SELECT MIN(start_ts), MAX(start_ts) FROM runs WHERE deleted_ts IS NULL"
    ).fetchone()
    if row[0] is None:
        return None, None
    return from_ts(row[0]), from_ts(row[1])


def edited_fields(conn: sqlite3.Connection, run_id: int) -> tuple[str, ...]:
    """The run's fields the person changed by hand (an import leaves them alone)."""
    row = conn.execute("SELECT edited_fields FROM runs WHERE id = ?", (run_id,)).fetchone()
    return () if row is None else tuple(json.loads(row[0] or "[]"))


def update_details(
    conn: sqlite3.Connection,
    run_id: int,
    *,
    name: str | None,
    setting: str,
    company: str,
    edited: tuple[str, ...],
) -> None:
    conn.execute(
        "UPDATE runs SET name = ?, setting = ?, company = ?, edited_fields = ? WHERE id = ?",
        (name, setting, company, json.dumps(sorted(set(edited))), run_id),
    )
