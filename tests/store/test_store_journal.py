import math
import sqlite3
import threading
from array import array
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Lap,
    LapTrigger,
    Moment,
    MomentStatus,
    Reflection,
    Run,
    Series,
    Setting,
    WellbeingCheck,
)
from innerpace.errors import DataDirError
from innerpace.instruments import get_instrument
from innerpace.store import JournalDamaged, Store, migrations

T0 = datetime(2026, 5, 1, 6, 30, tzinfo=UTC)


def a_run(**overrides) -> Run:
    nan = float("nan")
    n = 5
    series = Series(
        t_s=array("d", range(n)),
        distance_m=array("d", [i * 2.9 for i in range(n)]),
        hr=array("d", [120, 121, nan, 124, 125]),
        cadence_spm=array("d", [170, 171, 172, 173, 174]),
        altitude_m=array("d", [30.5] * n),
        lat=array("d", [52.520008 + i * 1e-5 for i in range(n)]),
        lon=array("d", [13.404954 + i * 1e-5 for i in range(n)]),
    )
    values = dict(
        start=T0,
        duration_s=5,
        distance_m=11.6,
        setting=Setting.ROAD,
        laps=(Lap(start=T0, elapsed_s=3, distance_m=8.7, trigger=LapTrigger.MANUAL),),
        series=series,
        source="fit",
        device="garmin fr255",
    )
    values.update(overrides)
    return Run(**values)


def test_a_new_journal_is_opened_the_careful_way(data_dir):
    with Store.open(data_dir) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert store.schema_version() == len(migrations.MIGRATIONS)
        names = [r[1] for r in conn.execute("SELECT * FROM schema_migrations")]
        assert names[0] == "m001_initial"
    assert (data_dir / "journal.db").exists()


def test_a_run_reads_back_whole(data_dir):
    with Store.open(data_dir) as store:
        run_id = store.add_run(a_run())
        back = store.get_run(run_id)
        series = store.get_series(run_id)
    assert back.start == T0
    assert back.laps[0].trigger is LapTrigger.MANUAL
    assert back.device == "garmin fr255"
    assert len(series) == 5
    assert math.isnan(series.hr[2])
    assert series.lat[4] == pytest.approx(52.520048, abs=1e-9)
    assert series.distance_m[4] == pytest.approx(11.6, abs=1e-3)


def test_a_failed_write_changes_nothing(data_dir):
    with Store.open(data_dir) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.add_run(a_run())
            raise RuntimeError("power cut")
        assert store.counts()["runs"] == 0


def test_deleting_a_run_takes_its_laps_series_and_moments_but_keeps_words(data_dir):
    with Store.open(data_dir) as store:
        run_id = store.add_run(a_run())
        store.add_moment(Moment(run_id=run_id, at_s=2, tags=("release",)))
        store.add_reflection(Reflection(text="kept", created=T0, run_id=run_id))
        with store.transaction():
            store._conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        assert store._conn.execute("SELECT COUNT(*) FROM laps").fetchone()[0] == 0
        assert store._conn.execute("SELECT COUNT(*) FROM series").fetchone()[0] == 0
        assert store.list_moments() == []
        assert store.list_reflections()[0].text == "kept"
        assert store.list_reflections()[0].run_id is None


def test_checkins_keep_instrument_and_version(data_dir):
    fs, fas = get_instrument("fs"), get_instrument("fas")
    with Store.open(data_dir) as store:
        run_id = store.add_run(a_run())
        checkin = CheckIn(
            at=T0 - timedelta(minutes=10),
            kind=CheckInKind.BEFORE,
            responses=(fs.response({"feeling": -2}), fas.response({"arousal": 2})),
            run_id=run_id,
            note="heavy day",
        )
        store.add_checkin(checkin)
        found = store.checkins_for_runs([run_id])[run_id]
    assert found[0].response("fs").instrument_version == "1"
    assert found[0].response("fs").value("feeling") == -2
    assert found[0].response("fas").value("arousal") == 2
    assert found[0].note == "heavy day"


def test_wellbeing_reads_back(data_dir):
    who5 = get_instrument("who5")
    answers = {item.id: 3 for item in who5.items}
    with Store.open(data_dir) as store:
        store.add_wellbeing(WellbeingCheck(at=T0, response=who5.response(answers)))
        (check,) = store.list_wellbeing()
    assert who5.score(check.response) == 60


text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text, note=text, body=text, tags=st.lists(text, max_size=4))
def test_any_text_reads_back_unchanged(tmp_path_factory, name, note, body, tags):
    with Store.open(tmp_path_factory.mktemp("j")) as store:
        run_id = store.add_run(a_run(name=name))
        store.add_moment(Moment(run_id=run_id, at_m=5, note=note, tags=tuple(tags)))
        store.add_reflection(Reflection(text=body, created=T0, run_id=run_id))
        assert store.get_run(run_id).name == name
        (moment,) = store.moments_for_run(run_id)
        assert (moment.note, moment.tags, moment.status) == (
            note,
            tuple(tags),
            MomentStatus.CONFIRMED,
        )
        assert store.reflections_for_run(run_id)[0].text == body


def test_an_existing_journal_is_backed_up_before_a_migration(data_dir, monkeypatch):
    with Store.open(data_dir) as store:
        store.add_run(a_run())

    def m_next_add_column(conn):
        conn.execute("ALTER TABLE runs ADD COLUMN mood_colour TEXT")

    shipped = len(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m_next_add_column))
    with Store.open(data_dir) as store:
        assert store.schema_version() == shipped + 1
    (backup,) = (data_dir / "backups").glob(f"before-migration-{shipped:03d}-*.db")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    assert old.execute("SELECT MAX(number) FROM schema_migrations").fetchone()[0] == shipped
    old.close()


def test_a_failing_migration_leaves_the_journal_as_it_was(data_dir, monkeypatch):
    with Store.open(data_dir) as store:
        store.add_run(a_run())

    def m_next_broken(conn):
        conn.execute("ALTER TABLE runs ADD COLUMN half_done TEXT")
        conn.execute("THIS IS NOT SQL")

    shipped = len(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m_next_broken))
    with pytest.raises(sqlite3.OperationalError):
        Store.open(data_dir)
    monkeypatch.undo()
    with Store.open(data_dir) as store:
        assert store.schema_version() == shipped
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(runs)")]
        assert "half_done" not in columns
        assert store.counts()["runs"] == 1


def test_a_damaged_journal_file_is_reported_not_overwritten(data_dir):
    data_dir.mkdir()
    damaged = data_dir / "journal.db"
    damaged.write_bytes(b"this is not a database, it is a poem" * 200)
    before = damaged.read_bytes()
    with pytest.raises(JournalDamaged, match="cannot be read"):
        Store.open(data_dir)
    assert damaged.read_bytes() == before


def test_a_data_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    with pytest.raises(DataDirError, match="is a file"):
        Store.open(target)


def test_two_writers_lose_nothing(data_dir):
    Store.open(data_dir).close()
    errors = []

    def writer(offset: int) -> None:
        try:
            with Store.open(data_dir) as store:
                for i in range(40):
                    store.add_run(a_run(start=T0 + timedelta(hours=offset * 100 + i)))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(data_dir) as store:
        assert store.counts()["runs"] == 80
        assert store.integrity_check() == "ok"


def test_the_open_export_carries_every_table_the_schema_has(data_dir):
    from innerpace.store import EXPORT_TABLES, LOCAL_ONLY_TABLES

    with Store.open(data_dir) as store:
        tables = {
            row[0]
            for row in store._conn.execute(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'reflections_fts%'"
            )
        }
    assert tables - {"schema_migrations", *LOCAL_ONLY_TABLES} == set(EXPORT_TABLES)


def test_a_new_journal_is_private_to_its_owner(data_dir):
    with Store.open(data_dir) as store:
        store.add_run(a_run())
    for name in ("journal.db", "journal.db-wal"):
        path = data_dir / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, name
