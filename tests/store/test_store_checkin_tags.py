"""A check-in carries tags (a mood diary's activities, or the person's own words)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from innerpace.domain import CheckIn, CheckInKind
from innerpace.instruments import get_instrument
from innerpace.paths import JOURNAL_FILE
from innerpace.store import Store, migrations
from innerpace.store.connection import connect, write

T0 = datetime(2026, 5, 1, 6, 30, tzinfo=UTC)
TAGS = migrations.MIGRATIONS.index(migrations.m006_checkin_tags) + 1


def _journal_before_tags(folder) -> None:
    """A journal as the version before check-in tags left it: the person's check-ins and day
    moods an earlier Daylio import brought, their activities in the note."""
    folder.mkdir(parents=True)
    conn = connect(folder / JOURNAL_FILE)
    with write(conn):
        migrations._ensure_table(conn)
        for number, migration in enumerate(migrations.MIGRATIONS[: TAGS - 1], start=1):
            migration(conn)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 0)", (number, migration.__name__)
            )
        conn.execute("INSERT INTO import_batches (id, started_ts) VALUES (1, 0)")
        rows = [
            (1, "before", "heavy legs", "self", None),
            (2, "after", None, "self", None),
            (3, "day", "friends · movies", "self", None),  # the person's own words: kept
            (4, "day", "Friends · good meal · " + "x" * 41, "daylio", 1),
            (5, "day", "a line\nand · another", "daylio", 1),
        ]
        for checkin_id, kind, note, source, batch in rows:
            conn.execute(
                "INSERT INTO checkins (id, at_ts, kind, note, source, created_ts, batch_id)"
                " VALUES (?, ?, ?, ?, ?, 0, ?)",
                (checkin_id, T0.timestamp() + checkin_id, kind, note, source, batch),
            )
            conn.execute(
                "INSERT INTO answers (checkin_id, instrument_id, instrument_version, item_id,"
                " value) VALUES (?, 'fs', '1', 'feeling', ?)",
                (checkin_id, checkin_id),
            )
    conn.close()


def test_an_older_journal_gains_check_in_tags_and_keeps_every_row(data_dir):
    _journal_before_tags(data_dir)
    with Store.open(data_dir) as store:
        assert store.schema_version() == len(migrations.MIGRATIONS)
        found = store.list_checkins()
        assert [(c.id, c.kind.value, c.note, c.tags) for c in found] == [
            (1, "before", "heavy legs", ()),
            (2, "after", None, ()),
            (3, "day", "friends · movies", ()),
            (4, "day", "x" * 41, ("friends", "good meal")),
            (5, "day", "a line\nand · another", ()),
        ]
        assert [c.response("fs").value("feeling") for c in found] == [1, 2, 3, 4, 5]
        assert store.integrity_check() == "ok"


def test_tags_are_written_read_and_changed(data_dir):
    fs = get_instrument("fs")
    with Store.open(data_dir) as store:
        checkin_id = store.add_checkin(
            CheckIn(
                at=T0,
                kind=CheckInKind.DAY,
                responses=(fs.response({"feeling": 2}),),
                tags=("friends", "good meal"),
            )
        )
        saved = store.get_checkin(checkin_id)
        assert saved is not None and saved.tags == ("friends", "good meal")
        store.update_checkin(replace(saved, tags=("rain",)))
        assert [c.tags for c in store.list_checkins()] == [("rain",)]
