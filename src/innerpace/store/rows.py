"""Conversions between SQLite rows and domain objects."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Company,
    Lap,
    LapTrigger,
    Moment,
    MomentStatus,
    Reflection,
    Response,
    Run,
    Setting,
    Sport,
)


@dataclass(frozen=True, slots=True)
class Draft:
    """Words being typed, kept as they are typed under a key (one per run, or per day)."""

    key: str
    text: str
    run_id: int | None
    prompt_id: str | None
    updated_ts: float


@dataclass(frozen=True, slots=True)
class HunchRow:
    """A hunch insight remembers: when it was first seen, and how it stands."""

    predictor: str
    first_seen_ts: float
    first_seen_runs: int
    direction: int
    status: str


def draft_from_row(row: sqlite3.Row) -> Draft:
    return Draft(row["key"], row["text"], row["run_id"], row["prompt_id"], row["updated_ts"])


def hunch_from_row(row: sqlite3.Row) -> HunchRow:
    return HunchRow(
        row["predictor"],
        row["first_seen_ts"],
        row["first_seen_runs"],
        row["direction"],
        row["status"],
    )


IN_CHUNK = 500  # well under SQLite's limit on bound parameters


def rows_with_ids_in(conn: sqlite3.Connection, sql: str, ids: list[int]) -> Iterator[sqlite3.Row]:
    """Rows of ``sql``, whose ``IN ({marks})`` takes every id in ``ids``, asked in chunks."""
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        yield from conn.execute(sql.replace("{marks}", ",".join("?" * len(chunk))), chunk)


def ts(value: datetime) -> float:
    return value.timestamp()


def from_ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def run_from_row(row: sqlite3.Row, laps: tuple[Lap, ...] = ()) -> Run:
    return Run(
        id=row["id"],
        start=from_ts(row["start_ts"]),
        utc_offset_min=row["utc_offset_min"],
        duration_s=row["duration_s"],
        moving_s=row["moving_s"],
        distance_m=row["distance_m"],
        sport=Sport(row["sport"]),
        sport_name=row["sport_name"],
        setting=Setting(row["setting"]),
        company=Company(row["company"]),
        name=row["name"],
        avg_hr=row["avg_hr"],
        max_hr=row["max_hr"],
        avg_cadence_spm=row["avg_cadence_spm"],
        elevation_gain_m=row["elevation_gain_m"],
        elevation_loss_m=row["elevation_loss_m"],
        device=row["device"],
        source=row["source"],
        track_uncropped=bool(row["track_uncropped"]),
        laps=laps,
    )


def lap_from_row(row: sqlite3.Row) -> Lap:
    return Lap(
        start=from_ts(row["start_ts"]),
        elapsed_s=row["elapsed_s"],
        distance_m=row["distance_m"],
        trigger=LapTrigger(row["trigger"]),
        avg_hr=row["avg_hr"],
    )


def responses_from_rows(rows: list[sqlite3.Row]) -> tuple[Response, ...]:
    grouped: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for row in rows:
        key = (row["instrument_id"], row["instrument_version"])
        grouped.setdefault(key, []).append((row["item_id"], row["value"]))
    return tuple(Response(iid, ver, tuple(answers)) for (iid, ver), answers in grouped.items())


def checkin_from_row(row: sqlite3.Row, responses: tuple[Response, ...]) -> CheckIn:
    return CheckIn(
        id=row["id"],
        at=from_ts(row["at_ts"]),
        kind=CheckInKind(row["kind"]),
        responses=responses,
        run_id=row["run_id"],
        delay_s=row["delay_s"],
        note=row["note"],
        source=row["source"],
        batch_id=row["batch_id"],
        tags=tuple(json.loads(row["tags"])),
    )


def moment_from_row(row: sqlite3.Row) -> Moment:
    return Moment(
        id=row["id"],
        run_id=row["run_id"],
        at_s=row["at_s"],
        at_m=row["at_m"],
        tags=tuple(json.loads(row["tags"])),
        note=row["note"],
        status=MomentStatus(row["status"]),
        source=row["source"],
        batch_id=row["batch_id"],
    )


def reflection_from_row(row: sqlite3.Row) -> Reflection:
    return Reflection(
        id=row["id"],
        run_id=row["run_id"],
        day=date.fromisoformat(row["day"]) if row["day"] else None,
        text=row["text"],
        prompt_id=row["prompt_id"],
        private=bool(row["private"]),
        origin=row["origin"],
        created=from_ts(row["created_ts"]),
        updated=from_ts(row["updated_ts"]) if row["updated_ts"] is not None else None,
        batch_id=row["batch_id"],
    )
