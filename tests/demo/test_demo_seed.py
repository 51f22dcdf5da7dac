"""Writing the demo year into a journal: one transaction, ids mapped, identical every time."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from innerpace.demo import generate, seed_store
from innerpace.services import Journal
from innerpace.store import Store

END = date(2026, 11, 25)
VOLATILE = {"created_ts", "applied_ts"}  # when a row was written, not what it says


def _rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for table in sorted(tables):
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")  # noqa: S608
            keep = [i for i, col in enumerate(cursor.description) if col[0] not in VOLATILE]
            found[table] = [tuple(row[i] for i in keep) for row in cursor]
        return found
    finally:
        conn.close()


def test_seeding_writes_everything_and_returns_counts(tmp_path: Path) -> None:
    journal = generate(7, end=END)
    with Store.open(tmp_path / "journal") as store:
        counts = seed_store(store, 7, end=END)
        stored = store.counts()
        runs = store.list_runs(newest_first=False)
        series = store.get_series(runs[0].id or 0)
    assert counts["runs"] == stored["runs"] == len(journal.runs)
    expected_checkins = len(journal.checkins) + len(journal.rest_checkins)
    assert counts["checkins"] == stored["checkins"] == expected_checkins
    assert counts["moments"] == stored["moments"] == len(journal.moments)
    assert counts["reflections"] == stored["reflections"] == 60
    assert counts["wellbeing"] == stored["wellbeing"] == len(journal.wellbeing)
    assert [r.start for r in runs] == [r.start for r in journal.runs]
    assert runs[0].laps == journal.runs[0].laps
    assert (series is None) == (journal.runs[0].series is None)


def test_check_ins_moments_and_reflections_point_at_the_right_runs(tmp_path: Path) -> None:
    journal = generate(7, end=END, runs=40)
    with Store.open(tmp_path / "journal") as store:
        seed_store(store, 7, end=END, runs=40)
        runs = store.list_runs(newest_first=False)
        by_run = store.checkins_for_runs([r.id or 0 for r in runs])
        moments = store.list_moments()
    for entry in journal.checkins:
        run_id = runs[entry.run_index].id
        assert any(c.at == entry.item.at for c in by_run[run_id or 0])
    for stored, entry in zip(moments, journal.moments, strict=True):
        assert stored.run_id == runs[entry.run_index].id


def test_two_journals_seeded_alike_hold_identical_rows(tmp_path: Path) -> None:
    for name in ("a", "b"):
        with Store.open(tmp_path / name) as store:
            seed_store(store, 3, end=END, runs=60)
    first = _rows(Store.open(tmp_path / "a").path)
    second = _rows(Store.open(tmp_path / "b").path)
    assert first["runs"] and first["series"] and first["answers"]
    assert first == second


def test_a_new_journal_seeds_the_demo(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "demo") as journal:
        counts = journal.seed_demo()
        assert counts["runs"] >= 150
        assert journal.store.integrity_check() == "ok"
