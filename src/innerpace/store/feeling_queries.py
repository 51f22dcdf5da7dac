"""SQL for check-ins, answers, moments, reflections and weekly well-being."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

from innerpace.domain import CheckIn, Moment, Reflection, Response, WellbeingCheck
from innerpace.store.rows import (
    checkin_from_row,
    from_ts,
    moment_from_row,
    reflection_from_row,
    responses_from_rows,
    rows_with_ids_in,
    ts,
)


def _insert_answers(
    conn: sqlite3.Connection,
    responses: Iterable[Response],
    *,
    checkin_id: int | None = None,
    wellbeing_id: int | None = None,
) -> None:
    conn.executemany(
        "INSERT INTO answers (checkin_id, wellbeing_id, instrument_id, instrument_version,"
        " item_id, value) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (checkin_id, wellbeing_id, r.instrument_id, r.instrument_version, item, value)
            for r in responses
            for item, value in r.answers
        ],
    )


def insert_checkin(conn: sqlite3.Connection, checkin: CheckIn, *, created_ts: float) -> int:
    cur = conn.execute(
        "INSERT INTO checkins (at_ts, kind, run_id, delay_s, note, source, created_ts, batch_id,"
        " tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ts(checkin.at),
            checkin.kind.value,
            checkin.run_id,
            checkin.delay_s,
            checkin.note,
            checkin.source,
            created_ts,
            checkin.batch_id,
            json.dumps(list(checkin.tags)),
        ),
    )
    checkin_id = int(cur.lastrowid or 0)
    _insert_answers(conn, checkin.responses, checkin_id=checkin_id)
    return checkin_id


def _answers_by(
    conn: sqlite3.Connection, column: str, ids: list[int]
) -> dict[int, list[sqlite3.Row]]:
    found: dict[int, list[sqlite3.Row]] = {i: [] for i in ids}
    sql = f"SELECT * FROM answers WHERE {column} IN ({{marks}}) ORDER BY id"  # noqa: S608
    for row in rows_with_ids_in(conn, sql, ids):
        found[row[column]].append(row)
    return found


def _checkins_from(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[CheckIn]:
    answers = _answers_by(conn, "checkin_id", [row["id"] for row in rows])
    return [checkin_from_row(row, responses_from_rows(answers[row["id"]])) for row in rows]


def checkins_for_runs(conn: sqlite3.Connection, run_ids: list[int]) -> dict[int, list[CheckIn]]:
    found: dict[int, list[CheckIn]] = {i: [] for i in run_ids}
    sql = "SELECT * FROM checkins WHERE run_id IN ({marks}) AND deleted_ts IS NULL ORDER BY at_ts"
    rows = list(rows_with_ids_in(conn, sql, run_ids))
    for checkin in _checkins_from(conn, rows):
        if checkin.run_id is not None:  # always: these rows were asked for by run
            found[checkin.run_id].append(checkin)
    return found


def list_checkins(conn: sqlite3.Connection, kinds: Iterable[str] | None = None) -> list[CheckIn]:
    if kinds is None:
        rows = conn.execute(
            "SELECT * FROM checkins WHERE deleted_ts IS NULL ORDER BY at_ts"
        ).fetchall()
    else:
        wanted = list(kinds)
        rows = conn.execute(
            f"SELECT * FROM checkins WHERE kind IN ({','.join('?' * len(wanted))})"  # noqa: S608
            " AND deleted_ts IS NULL ORDER BY at_ts",
            wanted,
        ).fetchall()
    return _checkins_from(conn, rows)


def insert_moment(conn: sqlite3.Connection, moment: Moment, *, created_ts: float) -> int:
    cur = conn.execute(
        "INSERT INTO moments (run_id, at_s, at_m, tags, note, status, source, created_ts,"
        " batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            moment.run_id,
            moment.at_s,
            moment.at_m,
            json.dumps(list(moment.tags)),
            moment.note,
            moment.status.value,
            moment.source,
            created_ts,
            moment.batch_id,
        ),
    )
    return int(cur.lastrowid or 0)


def moments_for_run(conn: sqlite3.Connection, run_id: int) -> list[Moment]:
    rows = conn.execute(
        "SELECT * FROM moments WHERE run_id = ? AND deleted_ts IS NULL"
        " ORDER BY COALESCE(at_s, 0), COALESCE(at_m, 0)",
        (run_id,),
    ).fetchall()
    return [moment_from_row(row) for row in rows]


def list_moments(conn: sqlite3.Connection) -> list[Moment]:
    rows = conn.execute(
        "SELECT * FROM moments WHERE deleted_ts IS NULL AND run_id IS NOT NULL ORDER BY run_id, id"
    )
    return [moment_from_row(r) for r in rows]


def insert_reflection(conn: sqlite3.Connection, reflection: Reflection) -> int:
    cur = conn.execute(
        "INSERT INTO reflections (run_id, day, text, prompt_id, private, origin, created_ts,"
        " updated_ts, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            reflection.run_id,
            reflection.day.isoformat() if reflection.day else None,
            reflection.text,
            reflection.prompt_id,
            int(reflection.private),
            reflection.origin,
            ts(reflection.created),
            ts(reflection.updated) if reflection.updated else None,
            reflection.batch_id,
        ),
    )
    return int(cur.lastrowid or 0)


def reflections_for_run(conn: sqlite3.Connection, run_id: int) -> list[Reflection]:
    rows = conn.execute(
        "SELECT * FROM reflections WHERE run_id = ? AND deleted_ts IS NULL ORDER BY created_ts",
        (run_id,),
    ).fetchall()
    return [reflection_from_row(row) for row in rows]


def list_reflections(conn: sqlite3.Connection) -> list[Reflection]:
    rows = conn.execute(
        "SELECT * FROM reflections WHERE deleted_ts IS NULL ORDER BY created_ts"
    ).fetchall()
    return [reflection_from_row(row) for row in rows]


def insert_wellbeing(conn: sqlite3.Connection, check: WellbeingCheck, *, created_ts: float) -> int:
    cur = conn.execute(
        "INSERT INTO wellbeing (at_ts, created_ts, batch_id) VALUES (?, ?, ?)",
        (ts(check.at), created_ts, check.batch_id),
    )
    wellbeing_id = int(cur.lastrowid or 0)
    _insert_answers(conn, [check.response], wellbeing_id=wellbeing_id)
    return wellbeing_id


def list_wellbeing(conn: sqlite3.Connection) -> list[WellbeingCheck]:
    rows = conn.execute(
        "SELECT * FROM wellbeing WHERE deleted_ts IS NULL ORDER BY at_ts"
    ).fetchall()
    return _wellbeing_from(conn, rows)


def _wellbeing_from(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[WellbeingCheck]:
    answers = _answers_by(conn, "wellbeing_id", [row["id"] for row in rows])
    checks = []
    for row in rows:
        responses = responses_from_rows(answers[row["id"]])
        checks.append(
            WellbeingCheck(
                id=row["id"],
                at=from_ts(row["at_ts"]),
                response=responses[0],
                batch_id=row["batch_id"],
            )
        )
    return checks


def orphan_checkins(conn: sqlite3.Connection) -> list[CheckIn]:
    rows = conn.execute(
        "SELECT * FROM checkins WHERE run_id IS NULL AND kind IN ('before', 'after')"
        " AND deleted_ts IS NULL AND detached_id IS NULL ORDER BY at_ts"
    ).fetchall()
    return _checkins_from(conn, rows)


def link_checkin(
    conn: sqlite3.Connection, checkin_id: int, run_id: int, delay_s: float | None
) -> None:
    conn.execute(
        "UPDATE checkins SET run_id = ?, delay_s = ? WHERE id = ?", (run_id, delay_s, checkin_id)
    )


def get_moment(conn: sqlite3.Connection, moment_id: int) -> Moment | None:
    row = conn.execute(
        "SELECT * FROM moments WHERE id = ? AND deleted_ts IS NULL", (moment_id,)
    ).fetchone()
    return None if row is None else moment_from_row(row)


def update_moment(conn: sqlite3.Connection, moment: Moment) -> None:
    conn.execute(
        "UPDATE moments SET at_s = ?, at_m = ?, tags = ?, note = ?, status = ?, batch_id = ?"
        " WHERE id = ?",
        (
            moment.at_s,
            moment.at_m,
            json.dumps(list(moment.tags)),
            moment.note,
            moment.status.value,
            moment.batch_id,
            moment.id,
        ),
    )


def get_reflection(conn: sqlite3.Connection, reflection_id: int) -> Reflection | None:
    row = conn.execute(
        "SELECT * FROM reflections WHERE id = ? AND deleted_ts IS NULL", (reflection_id,)
    ).fetchone()
    return None if row is None else reflection_from_row(row)


def words_query(words: str) -> str | None:
    """An FTS5 query matching every word (prefixes too), or None when there is no word."""
    terms = re.findall(r"\w+", words, flags=re.UNICODE)
    return " ".join(f'"{t}"*' for t in terms) if terms else None


def search_reflections(
    conn: sqlite3.Connection, query: str, limit: int
) -> list[tuple[Reflection, str]]:
    rows = conn.execute(
        "SELECT r.*, snippet(reflections_fts, 0, char(2), char(3), ' … ', 12) AS snip"
        " FROM reflections_fts JOIN reflections r ON r.id = reflections_fts.rowid"
        " WHERE reflections_fts MATCH ? AND r.deleted_ts IS NULL"
        " ORDER BY bm25(reflections_fts), r.created_ts DESC"
        " LIMIT ?",
        (query, limit),
    ).fetchall()
    return [(reflection_from_row(row), row["snip"]) for row in rows]


def save_draft(
    conn: sqlite3.Connection,
    key: str,
    text: str,
    run_id: int | None,
    prompt_id: str | None,
    updated_ts: float,
) -> None:
    conn.execute(
        "INSERT INTO drafts (key, text, run_id, prompt_id, updated_ts) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET text = excluded.text, run_id = excluded.run_id,"
        " prompt_id = excluded.prompt_id, updated_ts = excluded.updated_ts",
        (key, text, run_id, prompt_id, updated_ts),
    )


def get_draft(conn: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM drafts WHERE key = ?", (key,)).fetchone()
    return row


def delete_draft(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM drafts WHERE key = ?", (key,))


def list_drafts(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM drafts ORDER BY updated_ts DESC").fetchall()


def get_checkin(conn: sqlite3.Connection, checkin_id: int) -> CheckIn | None:
    row = conn.execute(
        "SELECT * FROM checkins WHERE id = ? AND deleted_ts IS NULL", (checkin_id,)
    ).fetchone()
    return None if row is None else _checkins_from(conn, [row])[0]


def checkin_like_exists(conn: sqlite3.Connection, checkin: CheckIn) -> bool:
    row = conn.execute(
        "SELECT 1 FROM checkins WHERE at_ts = ? AND kind = ? AND source IS ?"
        " AND deleted_ts IS NULL LIMIT 1",
        (ts(checkin.at), checkin.kind.value, checkin.source),
    ).fetchone()
    return row is not None


def reflection_like_exists(conn: sqlite3.Connection, reflection: Reflection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM reflections WHERE created_ts = ? AND origin = ? AND deleted_ts IS NULL"
        " AND (batch_id IS NULL OR text = ?) LIMIT 1",
        (ts(reflection.created), reflection.origin, reflection.text),
    ).fetchone()
    return row is not None


def update_checkin(conn: sqlite3.Connection, checkin: CheckIn) -> None:
    """Replace a check-in's time, run, note, tags, answers and the batch it counts as brought by
    (None once the person changed it); its kind stays."""
    conn.execute(
        "UPDATE checkins SET at_ts = ?, run_id = ?, delay_s = ?, note = ?, tags = ?,"
        " batch_id = ?, detached_id = NULL WHERE id = ?",
        (
            ts(checkin.at),
            checkin.run_id,
            checkin.delay_s,
            checkin.note,
            json.dumps(list(checkin.tags)),
            checkin.batch_id,
            checkin.id,
        ),
    )
    conn.execute("DELETE FROM answers WHERE checkin_id = ?", (checkin.id,))
    _insert_answers(conn, checkin.responses, checkin_id=checkin.id)


def get_wellbeing(conn: sqlite3.Connection, wellbeing_id: int) -> WellbeingCheck | None:
    rows = conn.execute(
        "SELECT * FROM wellbeing WHERE id = ? AND deleted_ts IS NULL", (wellbeing_id,)
    ).fetchall()
    found = _wellbeing_from(conn, rows)
    return found[0] if found else None


def update_wellbeing(conn: sqlite3.Connection, check: WellbeingCheck) -> None:
    conn.execute(
        "UPDATE wellbeing SET at_ts = ?, batch_id = ? WHERE id = ?",
        (ts(check.at), check.batch_id, check.id),
    )
    conn.execute("DELETE FROM answers WHERE wellbeing_id = ?", (check.id,))
    _insert_answers(conn, [check.response], wellbeing_id=check.id)


def update_reflection(conn: sqlite3.Connection, reflection: Reflection, updated_ts: float) -> None:
    conn.execute(
        "UPDATE reflections SET text = ?, private = ?, run_id = ?, updated_ts = ?, batch_id = ?"
        " WHERE id = ?",
        (
            reflection.text,
            int(reflection.private),
            reflection.run_id,
            updated_ts,
            reflection.batch_id,
            reflection.id,
        ),
    )
