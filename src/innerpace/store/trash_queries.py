"""SQL for the trash: a deleted row keeps its place with a ``deleted_ts`` until it is restored
or, after its days in the trash, removed for good. Every other query leaves trashed rows out."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from innerpace.store.rows import from_ts

# What a person can delete, and the table that holds it.
TABLES = {
    "checkin": "checkins",
    "moment": "moments",
    "reflection": "reflections",
    "wellbeing": "wellbeing",
    "run": "runs",
}

# The words each kind of row shows in the trash.
_SUMMARY = {
    "checkin": "SELECT c.id, c.deleted_ts, c.at_ts AS at, c.kind || '' AS label,"
    " c.note AS words, a.instrument_id, a.instrument_version, a.item_id, a.value"
    " FROM checkins c LEFT JOIN answers a"
    " ON a.id = (SELECT MIN(id) FROM answers WHERE checkin_id = c.id)"
    " WHERE c.deleted_ts IS NOT NULL",
    "moment": "SELECT m.id, m.deleted_ts, COALESCE(r.start_ts, m.created_ts) AS at,"
    " m.tags AS label, m.note AS words FROM moments m LEFT JOIN runs r ON r.id = m.run_id"
    " WHERE m.deleted_ts IS NOT NULL",
    "reflection": "SELECT id, deleted_ts, created_ts AS at, '' AS label, text AS words"
    " FROM reflections WHERE deleted_ts IS NOT NULL",
    "wellbeing": "SELECT id, deleted_ts, at_ts AS at, '' AS label, NULL AS words"
    " FROM wellbeing WHERE deleted_ts IS NOT NULL",
    "run": "SELECT id, deleted_ts, start_ts AS at, sport AS label, name AS words"
    " FROM runs WHERE deleted_ts IS NOT NULL",
}


@dataclass(frozen=True, slots=True)
class TrashedRow:
    """One row in the trash, with what it takes to name it for the person."""

    kind: str
    id: int
    deleted_ts: float
    at_ts: float
    label: str  # a check-in's kind, a moment's tags (JSON), a run's sport
    words: str | None  # its note, its text or its title
    # a check-in's first answer: (instrument id, version, item id, value), e.g. a day mood's level
    answer: tuple[str, str, str, float] | None = None


def _table(kind: str) -> str:
    try:
        return TABLES[kind]
    except KeyError:
        raise ValueError(f"{kind!r} is not something that can be deleted") from None


def move_to_trash(conn: sqlite3.Connection, kind: str, row_id: int, now_ts: float) -> bool:
    """Trash one row; False when there is no such row outside the trash."""
    cur = conn.execute(
        f"UPDATE {_table(kind)} SET deleted_ts = ? WHERE id = ? AND deleted_ts IS NULL",  # noqa: S608
        (now_ts, row_id),
    )
    return cur.rowcount > 0


def restore(conn: sqlite3.Connection, kind: str, row_id: int) -> bool:
    """Bring one row back from the trash; False when it is not in the trash."""
    cur = conn.execute(
        f"UPDATE {_table(kind)} SET deleted_ts = NULL WHERE id = ? AND deleted_ts IS NOT NULL",  # noqa: S608
        (row_id,),
    )
    return cur.rowcount > 0


def _first_answer(row: sqlite3.Row) -> tuple[str, str, str, float] | None:
    columns = row.keys()  # a Row's ``in`` looks at its values, not its column names
    if "instrument_id" not in columns or row["instrument_id"] is None:
        return None
    return (row["instrument_id"], row["instrument_version"], row["item_id"], row["value"])


def in_trash(conn: sqlite3.Connection) -> list[TrashedRow]:
    found: list[TrashedRow] = []
    for kind, sql in _SUMMARY.items():
        for row in conn.execute(sql):
            found.append(
                TrashedRow(
                    kind=kind,
                    id=row["id"],
                    deleted_ts=row["deleted_ts"],
                    at_ts=row["at"],
                    label=row["label"] or "",
                    words=row["words"],
                    answer=_first_answer(row),
                )
            )
    found.sort(key=lambda r: r.deleted_ts, reverse=True)
    return found


def has_expired(conn: sqlite3.Connection, before_ts: float) -> bool:
    return any(
        conn.execute(
            f"SELECT 1 FROM {table} WHERE deleted_ts < ? LIMIT 1",  # noqa: S608
            (before_ts,),
        ).fetchone()
        for table in TABLES.values()
    )


def purge(conn: sqlite3.Connection, before_ts: float) -> int:
    """Remove for good what went to the trash before ``before_ts``. Returns how many rows."""
    removed = 0
    for table in TABLES.values():
        cur = conn.execute(f"DELETE FROM {table} WHERE deleted_ts < ?", (before_ts,))  # noqa: S608
        removed += cur.rowcount
    return removed


__all__ = ["TABLES", "TrashedRow", "from_ts", "has_expired", "in_trash", "move_to_trash", "purge"]
