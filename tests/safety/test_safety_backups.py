"""Backups: daily and weekly while in use, before imports, rotation, backup and restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.services import Journal
from innerpace.store import backups
from innerpace.store.connection import is_encrypted_file

FIT_DIR = Path(__file__).resolve().parents[1] / "data" / "fit"
FIT = FIT_DIR / "fitparse--garmin-fenix-5-run.fit"
PASSPHRASE = "correct horse battery"


pytestmark = pytest.mark.usefixtures("quick_kdf")


def _names(data_dir: Path, pattern: str = "*.db") -> list[str]:
    return sorted(p.name for p in (data_dir / "backups").glob(pattern))


def test_an_empty_journal_has_no_backups(data_dir: Path) -> None:
    with Journal.open(data_dir):
        pass
    with Journal.open(data_dir):
        pass
    assert _names(data_dir) == []


def test_a_daily_and_weekly_backup_while_in_use(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
    with Journal.open(data_dir) as journal:
        made = _names(data_dir, "daily-*.db") + _names(data_dir, "weekly-*.db")
        assert len(made) == 2
        assert journal.backup_if_due() == []  # the same day: nothing more


def test_rotation_keeps_seven_daily_and_four_weekly(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
        start = datetime(2026, 1, 1, 8, tzinfo=UTC)
        for day in range(40):
            journal.store.backup_if_due(start + timedelta(days=day))
    daily = _names(data_dir, "daily-*.db")
    weekly = _names(data_dir, "weekly-*.db")
    assert daily == [f"daily-2026-02-{day:02d}.db" for day in range(3, 10)]
    assert weekly == [f"weekly-2026-W{week:02d}.db" for week in range(4, 8)]


def test_rotation_by_names(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 20):
        (folder / f"daily-2026-03-{day:02d}.db").write_bytes(b"")
    for week in range(1, 9):
        (folder / f"weekly-2026-W{week:02d}.db").write_bytes(b"")
    (folder / "manual-20260101T000000Z.db").write_bytes(b"")
    backups.rotate(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert [n for n in names if n.startswith("daily")][0] == "daily-2026-03-13.db"
    assert [n for n in names if n.startswith("weekly")] == [
        f"weekly-2026-W{w:02d}.db" for w in range(5, 9)
    ]
    assert "manual-20260101T000000Z.db" in names


def test_every_import_is_backed_up_first(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)  # empty before: nothing to keep
        assert _names(data_dir, "before-import-*.db") == []
        journal.import_paths([FIT_DIR / "fitparse--strava-android-app-201.10-b1218918.fit"])
        (kept,) = (data_dir / "backups").glob("before-import-*.db")
    old = sqlite3.connect(kept)
    assert old.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    old.close()


def test_backup_and_restore(data_dir: Path, tmp_path: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
        copy = journal.backup(tmp_path / "copy.db")
        journal.import_paths([FIT_DIR / "fitparse--strava-android-app-201.10-b1218918.fit"])
        assert journal.store.counts()["runs"] == 2
        kept = journal.restore(copy)
        assert journal.store.counts()["runs"] == 1
        assert journal.store.integrity_check() == "ok"
    with Journal.open(data_dir) as journal:
        assert journal.store.counts()["runs"] == 1
        journal.restore(kept)  # the journal as it was before is kept, and comes back
        assert journal.store.counts()["runs"] == 2


def test_restore_checks_the_file_before_replacing_anything(data_dir: Path, tmp_path: Path):
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
        before = journal.store.counts()
        junk = tmp_path / "junk.db"
        junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
        other = tmp_path / "other.db"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
        for bad in (junk, other, tmp_path / "missing.db"):
            with pytest.raises(Exception, match="cannot|no backup file|not an innerpace"):
                journal.restore(bad)
            assert journal.store.counts() == before
    assert _names(data_dir, "before-restore-*.db") == []


def test_backups_of_an_encrypted_journal_stay_encrypted(data_dir: Path, tmp_path: Path):
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
        journal.lock(PASSPHRASE)
        copy = journal.backup(tmp_path / "copy.db")
        manual = journal.backup()
        assert is_encrypted_file(copy) and is_encrypted_file(manual)
        assert (tmp_path / "copy.db.key.json").exists()
        journal.import_paths([FIT_DIR / "fitparse--strava-android-app-201.10-b1218918.fit"])
        journal.restore(copy)
        assert journal.store.counts()["runs"] == 1
        assert journal.encrypted
    for path in (data_dir / "backups").glob("*.db"):
        assert is_encrypted_file(path), path


def test_a_plain_backup_restores_into_an_encrypted_journal(data_dir: Path, tmp_path: Path):
    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
        plain = journal.backup(tmp_path / "plain.db")
        journal.lock(PASSPHRASE)
        journal.restore(plain)
        assert journal.encrypted and journal.store.counts()["runs"] == 1
    assert is_encrypted_file(data_dir / "journal.db")


def test_leftover_temporary_files_are_swept(data_dir: Path) -> None:
    import os
    import time

    with Journal.open(data_dir) as journal:
        journal.import_paths([FIT], workers=1)
    stale = data_dir / "backups" / ".daily-2026-01-01.db.abcd.partial"
    fresh = data_dir / ".journal.db.1234.tmp"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    with Journal.open(data_dir):
        pass
    assert not stale.exists() and fresh.exists()


def test_cli_backup_list_and_restore(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INNERPACE_HOME", str(tmp_path / "j"))
    assert main(["import", str(FIT)]) == 0
    assert main(["backup", "--to", str(tmp_path / "b.db")]) == 0
    assert main(["backup", "--to", str(tmp_path / "b.db")]) == 1
    assert main(["backup", "--list"]) == 0
    assert "manual" not in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "b.db")]) == 0
    assert "kept in" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "nothing.db")]) == 1
