"""Migration 3: provenance on every feeling row, the trash, a day mood."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Moment,
    MomentStatus,
    Reflection,
    Run,
    WellbeingCheck,
)
from innerpace.instruments import get_instrument
from innerpace.paths import JOURNAL_FILE
from innerpace.store import Store, migrations
from innerpace.store.connection import connect, write

T0 = datetime(2026, 5, 1, 6, 30, tzinfo=UTC)


def _feeling(value: float = 3) -> tuple:
    return (get_instrument("fs").response({"feeling": value}),)


def _who5():
    who5 = get_instrument("who5")
    return who5.response({item.id: 3 for item in who5.items})


def _journal_at_schema_2(folder) -> None:
    """A journal as the previous version left it: an imported run with a device check-in, a
    kept lap moment, a suggestion, an imported reflection and the person's own check-in."""
    folder.mkdir(parents=True)
    conn = connect(folder / JOURNAL_FILE)
    with write(conn):
        migrations._ensure_table(conn)
        for number, migration in enumerate(migrations.MIGRATIONS[:2], start=1):
            migration(conn)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 0)", (number, migration.__name__)
            )
        conn.execute("INSERT INTO import_batches (id, started_ts) VALUES (1, 0)")
        conn.execute(
            "INSERT INTO runs (id, start_ts, duration_s, sport, setting, company, source,"
            " batch_id, created_ts) VALUES (1, ?, 1800, 'running', 'road', 'alone', 'fit', 1, 0)",
            (T0.timestamp(),),
        )
        rows = [
            (1, "after", "device"),
            (2, "before", "self"),
        ]
        for checkin_id, kind, source in rows:
            conn.execute(
                "INSERT INTO checkins (id, at_ts, kind, run_id, source, created_ts)"
                " VALUES (?, ?, ?, 1, ?, 0)",
                (checkin_id, T0.timestamp(), kind, source),
            )
            conn.execute(
                "INSERT INTO answers (checkin_id, instrument_id, instrument_version, item_id,"
                " value) VALUES (?, 'fs', '1', 'feeling', 2)",
                (checkin_id,),
            )
        conn.execute(
            "INSERT INTO moments (id, run_id, at_s, status, source, created_ts)"
            " VALUES (1, 1, 60, 'confirmed', 'lap', 0), (2, 1, 90, 'suggested', 'lap', 0)"
        )
        conn.execute(
            "INSERT INTO reflections (id, run_id, text, origin, created_ts)"
            " VALUES (1, 1, 'from strava', 'strava', 0), (2, 1, 'mine', 'self', 0)"
        )
    conn.close()


def test_an_older_journal_learns_who_made_each_row_and_keeps_every_answer(data_dir):
    _journal_at_schema_2(data_dir)
    with Store.open(data_dir) as store:
        assert store.schema_version() == len(migrations.MIGRATIONS)
        checkins = {c.id: c for c in store.checkins_for_runs([1])[1]}
        assert checkins[1].batch_id == 1 and checkins[2].batch_id is None
        assert all(c.response("fs").value("feeling") == 2 for c in checkins.values())
        moments = {m.id: m for m in store.moments_for_run(1)}
        assert moments[1].batch_id is None  # kept by the person: theirs now
        assert moments[2].batch_id == 1
        reflections = {r.id: r for r in store.reflections_for_run(1)}
        assert reflections[1].batch_id == 1 and reflections[2].batch_id is None
        assert store.integrity_check() == "ok"
        assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_day_mood_is_a_check_in_of_its_own_kind(data_dir):
    with Store.open(data_dir) as store:
        checkin_id = store.add_checkin(
            CheckIn(at=T0, kind=CheckInKind.DAY, responses=_feeling(), source="daylio")
        )
        [found] = store.list_checkins()
        assert found.id == checkin_id and found.kind is CheckInKind.DAY


def test_a_bad_kind_is_still_refused(data_dir):
    with Store.open(data_dir) as store, pytest.raises(sqlite3.IntegrityError):
        store._conn.execute(
            "INSERT INTO checkins (at_ts, kind, created_ts) VALUES (0, 'sideways', 0)"
        )


def test_writers_keep_the_batch_and_readers_give_it_back(data_dir):
    with Store.open(data_dir) as store:
        batch = store.start_batch()
        run_id = store.add_run(Run(start=T0, duration_s=1800, source="fit"), batch_id=batch)
        store.add_checkin(
            CheckIn(
                at=T0, kind=CheckInKind.AFTER, responses=_feeling(), run_id=run_id, batch_id=batch
            )
        )
        store.add_moment(
            Moment(run_id=run_id, at_s=5, status=MomentStatus.SUGGESTED, batch_id=batch)
        )
        store.add_reflection(Reflection(text="w", created=T0, run_id=run_id, batch_id=batch))
        store.add_wellbeing(
            WellbeingCheck(
                at=T0,
                response=_who5(),
                batch_id=batch,
            )
        )
        assert {c.batch_id for c in store.list_checkins()} == {batch}
        assert {m.batch_id for m in store.list_moments()} == {batch}
        assert {r.batch_id for r in store.list_reflections()} == {batch}
        assert {w.batch_id for w in store.list_wellbeing()} == {batch}


def test_trashed_rows_leave_every_reading_and_come_back_whole(data_dir):
    with Store.open(data_dir) as store:
        run_id = store.add_run(Run(start=T0, duration_s=1800, source="manual"))
        checkin_id = store.add_checkin(
            CheckIn(at=T0, kind=CheckInKind.BEFORE, responses=_feeling(), run_id=run_id)
        )
        reflection_id = store.add_reflection(
            Reflection(text="quiet river", created=T0, run_id=run_id)
        )
        assert store.move_to_trash("checkin", checkin_id)
        assert store.move_to_trash("reflection", reflection_id)
        assert store.move_to_trash("run", run_id)
        assert not store.move_to_trash("run", run_id)  # already there
        assert store.list_runs() == [] and store.get_run(run_id) is None
        assert store.list_checkins() == [] and store.list_reflections() == []
        assert store.search_reflections('"river"*') == []
        assert {(t.kind, t.id) for t in store.trashed()} == {
            ("checkin", checkin_id),
            ("reflection", reflection_id),
            ("run", run_id),
        }
        for kind, row_id in (
            ("run", run_id),
            ("checkin", checkin_id),
            ("reflection", reflection_id),
        ):
            assert store.restore_from_trash(kind, row_id)
        assert store.checkins_for_runs([run_id])[run_id][0].response("fs").value("feeling") == 3
        assert [r for r, _ in store.search_reflections('"river"*')][0].id == reflection_id
        assert store.trashed() == []


def test_the_trash_is_emptied_only_of_what_is_old_enough(data_dir):
    with Store.open(data_dir) as store:
        first = store.add_reflection(Reflection(text="one", created=T0))
        second = store.add_reflection(Reflection(text="two", created=T0))
        store.move_to_trash("reflection", first)
        now = datetime.now(UTC)
        assert store.purge_trash(now - timedelta(days=30)) == 0
        store.move_to_trash("reflection", second)
        store._conn.execute(
            "UPDATE reflections SET deleted_ts = ? WHERE id = ?",
            ((now - timedelta(days=31)).timestamp(), first),
        )
        assert store.purge_trash(now - timedelta(days=30)) == 1
        assert [t.id for t in store.trashed()] == [second]


def test_drafts_and_hunches_come_back_as_named_rows(data_dir):
    with Store.open(data_dir) as store:
        store.save_draft("run-3", "half a thought", run_id=None, prompt_id="p1")
        store.replace_hunches([("delay", 100.0, 12, 1, "hunch")])
        (draft,) = store.drafts()
        assert (draft.key, draft.text, draft.prompt_id) == ("run-3", "half a thought", "p1")
        assert store.draft("run-3") == draft and store.draft("other") is None
        (hunch,) = store.remembered_hunches()
        assert (hunch.predictor, hunch.first_seen_runs, hunch.status) == ("delay", 12, "hunch")
        assert store.version() == 0  # neither is the journal's content
