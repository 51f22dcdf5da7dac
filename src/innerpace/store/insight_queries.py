"""SQL for what the insights remember between readings: when each hunch was first seen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def load_hunches(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM hunches ORDER BY predictor").fetchall()


def save_hunches(
    conn: sqlite3.Connection,
    hunches: Iterable[tuple[str, float, int, int, str]],
    now_ts: float,
) -> None:
    """Replace the remembered hunches with ``(predictor, first_seen_ts, first_seen_runs,
    direction, status)`` rows."""
    conn.execute("DELETE FROM hunches")
    conn.executemany(
        "INSERT INTO hunches (predictor, first_seen_ts, first_seen_runs, direction, status,"
        " updated_ts) VALUES (?, ?, ?, ?, ?, ?)",
        [(*row, now_ts) for row in hunches],
    )
