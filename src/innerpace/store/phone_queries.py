"""SQL for phone access: paired devices, receipts of what a phone sent, moments waiting for
their run, and the phone listener's own certificate authority."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from innerpace.store.rows import from_ts, ts


@dataclass(frozen=True, slots=True)
class Device:
    """A paired phone. Only a hash of its key is kept."""

    id: int
    name: str
    paired: datetime
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class Receipt:
    """An entry a phone sent, by the id the phone gave it: sending it again changes nothing."""

    client_id: str
    kind: str
    entry_id: int | None
    received: datetime


@dataclass(frozen=True, slots=True)
class WaitingMoment:
    """A moment marked on the phone, kept until a run that holds its time arrives."""

    id: int
    at: datetime
    tags: tuple[str, ...]
    note: str | None
    moment_id: int | None


def _device(row: sqlite3.Row) -> Device:
    last = row["last_seen_ts"]
    return Device(
        id=int(row["id"]),
        name=str(row["name"]),
        paired=from_ts(row["paired_ts"]),
        last_seen=None if last is None else from_ts(last),
    )


def _waiting(row: sqlite3.Row) -> WaitingMoment:
    return WaitingMoment(
        id=int(row["id"]),
        at=from_ts(row["at_ts"]),
        tags=tuple(json.loads(row["tags"])),
        note=row["note"],
        moment_id=row["moment_id"],
    )


class PhoneRecords:
    """The phone tables of one open journal; every write joins the store's transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        transaction: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self._conn = conn
        self.transaction = transaction

    # -- devices -----------------------------------------------------------------------------
    def add_device(self, name: str, key_hash: str, now: datetime) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO phone_devices (name, key_hash, paired_ts, last_seen_ts)"
                " VALUES (?, ?, ?, ?)",
                (name, key_hash, ts(now), ts(now)),
            )
            return int(cur.lastrowid or 0)

    def device_by_key_hash(self, key_hash: str) -> Device | None:
        row = self._conn.execute(
            "SELECT * FROM phone_devices WHERE key_hash = ?", (key_hash,)
        ).fetchone()
        return None if row is None else _device(row)

    def devices(self) -> list[Device]:
        rows = self._conn.execute("SELECT * FROM phone_devices ORDER BY paired_ts, id")
        return [_device(row) for row in rows]

    def seen(self, device_id: int, now: datetime) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE phone_devices SET last_seen_ts = ? WHERE id = ?", (ts(now), device_id)
            )

    def remove_device(self, device_id: int) -> bool:
        with self.transaction():
            cur = self._conn.execute("DELETE FROM phone_devices WHERE id = ?", (device_id,))
            return cur.rowcount > 0

    # -- receipts ----------------------------------------------------------------------------
    def receipt(self, client_id: str) -> Receipt | None:
        row = self._conn.execute(
            "SELECT * FROM phone_receipts WHERE client_id = ?", (client_id,)
        ).fetchone()
        if row is None:
            return None
        return Receipt(
            client_id=str(row["client_id"]),
            kind=str(row["kind"]),
            entry_id=row["entry_id"],
            received=from_ts(row["received_ts"]),
        )

    def add_receipt(
        self, client_id: str, kind: str, entry_id: int, device_id: int | None, now: datetime
    ) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO phone_receipts (client_id, device_id, kind, entry_id, received_ts)"
                " VALUES (?, ?, ?, ?, ?)",
                (client_id, device_id, kind, entry_id, ts(now)),
            )

    def receipt_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM phone_receipts").fetchone()[0])

    # -- moments waiting for their run -----------------------------------------------------
    def add_waiting_moment(
        self, at: datetime, tags: tuple[str, ...], note: str | None, now: datetime
    ) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO phone_moments (at_ts, tags, note, created_ts) VALUES (?, ?, ?, ?)",
                (ts(at), json.dumps(list(tags)), note, ts(now)),
            )
            return int(cur.lastrowid or 0)

    def waiting_moments(self) -> list[WaitingMoment]:
        rows = self._conn.execute(
            "SELECT * FROM phone_moments WHERE moment_id IS NULL ORDER BY at_ts, id"
        )
        return [_waiting(row) for row in rows]

    def waiting_moment(self, waiting_id: int) -> WaitingMoment | None:
        row = self._conn.execute(
            "SELECT * FROM phone_moments WHERE id = ?", (waiting_id,)
        ).fetchone()
        return None if row is None else _waiting(row)

    def joined(self, waiting_id: int, moment_id: int) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE phone_moments SET moment_id = ? WHERE id = ?", (moment_id, waiting_id)
            )

    # -- the listener's certificate authority and certificate ------------------------------
    def credential(self, name: str) -> tuple[bytes, bytes] | None:
        row = self._conn.execute(
            "SELECT cert_pem, key_pem FROM phone_credentials WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else (bytes(row[0]), bytes(row[1]))

    def keep_credential(self, name: str, cert_pem: bytes, key_pem: bytes, now: datetime) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO phone_credentials (name, cert_pem, key_pem, created_ts)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET cert_pem ="
                " excluded.cert_pem, key_pem = excluded.key_pem, created_ts = excluded.created_ts",
                (name, cert_pem, key_pem, ts(now)),
            )

    def forget_credential(self, name: str) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM phone_credentials WHERE name = ?", (name,))


PHONE_SCHEMA = """
CREATE TABLE phone_devices (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    paired_ts    REAL NOT NULL,
    last_seen_ts REAL
);
CREATE TABLE phone_receipts (
    client_id   TEXT PRIMARY KEY,
    device_id   INTEGER REFERENCES phone_devices(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL,
    entry_id    INTEGER,
    received_ts REAL NOT NULL
);
CREATE TABLE phone_moments (
    id         INTEGER PRIMARY KEY,
    at_ts      REAL NOT NULL,
    tags       TEXT NOT NULL,
    note       TEXT,
    moment_id  INTEGER REFERENCES moments(id) ON DELETE SET NULL,
    created_ts REAL NOT NULL
);
CREATE INDEX phone_moments_waiting ON phone_moments(moment_id, at_ts);
CREATE TABLE phone_credentials (
    name       TEXT PRIMARY KEY,
    cert_pem   BLOB NOT NULL,
    key_pem    BLOB NOT NULL,
    created_ts REAL NOT NULL
);
"""
