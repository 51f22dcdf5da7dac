"""Encryption at rest: lock, unlock, passphrase changes, the recovery key, and no plaintext."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.domain import CheckIn, CheckInKind, Reflection
from innerpace.instruments import get_instrument
from innerpace.services import Journal
from innerpace.services.journal import JournalLocked, WrongPassphrase
from innerpace.store import Store
from innerpace.store.connection import SQLITE_HEADER, is_encrypted_file

FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"
SECRET_WORDS = "zanzibarquokka"
PASSPHRASE = "correct horse battery"


pytestmark = pytest.mark.usefixtures("quick_kdf")


def _fill(journal: Journal) -> None:
    journal.import_paths([FIT], workers=1)
    run_id = journal.runs()[0].run.id
    journal.store.add_reflection(
        Reflection(
            text=f"the {SECRET_WORDS} hill felt kind today",
            created=datetime.now(UTC),
            run_id=run_id,
        )
    )
    fs = get_instrument("fs")
    journal.store.add_checkin(
        CheckIn(
            at=datetime.now(UTC) - timedelta(hours=1),
            kind=CheckInKind.BEFORE,
            responses=(fs.response({"feeling": 3}),),
        )
    )


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_lock_encrypts_in_place_and_keeps_everything(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        before = journal.store.counts()
        locked = journal.lock(PASSPHRASE)
        assert journal.encrypted
        assert journal.store.counts() == before
    assert len(locked.recovery_key.replace("-", "")) == 52
    db = data_dir / "journal.db"
    assert is_encrypted_file(db)
    assert not (data_dir / "journal.db-wal").exists()
    assert not (data_dir / "journal.db-shm").exists()
    assert SECRET_WORDS.encode() not in _all_bytes(data_dir)
    for backup in (data_dir / "backups").glob("*.db"):
        assert is_encrypted_file(backup), backup
    mode = stat.S_IMODE(os.stat(data_dir / "journal.key.json").st_mode)
    assert mode == 0o600
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        assert journal.store.counts() == before
        assert journal.store.integrity_check() == "ok"


def test_key_file_format(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    content = json.loads((data_dir / "journal.key.json").read_text())
    assert content["format"] == "innerpace-key" and content["version"] == 1
    kdf = content["passphrase"]["kdf"]
    assert kdf["name"] == "argon2id" and kdf["memory_kib"] == 1024 and len(kdf["salt"]) == 24
    assert content["passphrase"]["cipher"] == "AES-256-GCM"
    assert content["recovery"]["kdf"] == "hkdf-sha256"
    assert content["passphrase"]["wrapped_key"] != content["recovery"]["wrapped_key"]


def test_a_locked_journal_needs_its_passphrase_and_a_wrong_one_changes_nothing(data_dir):
    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    files = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    with pytest.raises(JournalLocked):
        Journal.open(data_dir)
    with pytest.raises(WrongPassphrase, match="that passphrase does not open this journal"):
        Journal.open(data_dir, passphrase="not the passphrase")
    with pytest.raises(WrongPassphrase, match="recovery key does not open"):
        Journal.open(data_dir, recovery_key="AAAA-" * 12 + "AAAA")
    assert {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()} == files


def test_the_recovery_key_opens_it_and_sets_a_new_passphrase(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        recovery = journal.lock(PASSPHRASE).recovery_key
    with Journal.open(data_dir, recovery_key=recovery.lower().replace("-", " ")) as journal:
        journal.change_passphrase("a brand new one")
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, passphrase=PASSPHRASE)
    with Journal.open(data_dir, passphrase="a brand new one") as journal:
        assert journal.store.counts()["runs"] == 1
    with Journal.open(data_dir, recovery_key=recovery) as journal:
        assert journal.store.counts()["reflections"] == 1


def test_changing_the_passphrase_does_not_touch_the_database(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        journal.store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = (data_dir / "journal.db").read_bytes()
        journal.change_passphrase("another long one")
        after = (data_dir / "journal.db").read_bytes()
    assert before == after


def test_short_passphrases_are_refused(journal: Journal) -> None:
    with pytest.raises(Exception, match="at least 8 characters"):
        journal.lock("short")
    assert not journal.encrypted


def test_every_feature_works_on_an_encrypted_journal(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.lock(PASSPHRASE)
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        _fill(journal)
        hits = journal.store.search_reflections(SECRET_WORDS)
        assert len(hits) == 1 and SECRET_WORDS in hits[0][0].text
        assert journal.store.search_reflections("kind")
        assert journal.run_detail(journal.runs()[0].run.id).series is not None
        journal.store.save_draft("d1", "half a thought")
        assert journal.store.draft("d1").text == "half a thought"
        assert journal.store.integrity_check() == "ok"
    assert SECRET_WORDS.encode() not in _all_bytes(data_dir)


def test_unlock_brings_back_a_plain_journal(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        journal.unlock()
        assert not journal.encrypted
        assert journal.store.search_reflections(SECRET_WORDS)
    assert (data_dir / "journal.db").read_bytes()[:16] == SQLITE_HEADER
    assert not (data_dir / "journal.key.json").exists()
    for backup in (data_dir / "backups").glob("*.db"):
        assert not is_encrypted_file(backup)
    with Journal.open(data_dir) as journal:
        assert journal.store.counts()["runs"] == 1


def test_lock_refuses_while_the_journal_is_open_elsewhere(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        other = Store.open(data_dir)
        try:
            with pytest.raises(Exception, match="still open in another innerpace"):
                journal.lock(PASSPHRASE)
        finally:
            other.close()
        assert not journal.encrypted
        assert journal.store.counts()["runs"] == 1
    assert not is_encrypted_file(data_dir / "journal.db")
    assert not (data_dir / "journal.db").with_name(".journal.db").exists()


def test_a_missing_key_file_is_explained(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    (data_dir / "journal.key.json").rename(data_dir / "elsewhere.json")
    for copy in (data_dir / "backups").glob("*.key.json"):
        copy.unlink()  # no spare and no copy beside a backup either
    with pytest.raises(Exception, match="no key file"):
        Journal.open(data_dir, passphrase=PASSPHRASE)


def test_cli_lock_unlock_with_env_and_passphrase_file(tmp_path, monkeypatch, capsys) -> None:
    home = tmp_path / "j"
    monkeypatch.setenv("INNERPACE_HOME", str(home))
    assert main(["import", str(FIT)]) == 0
    monkeypatch.setenv("INNERPACE_PASSPHRASE", PASSPHRASE)
    assert main(["lock"]) == 0
    out = capsys.readouterr().out
    assert "recovery key" in out
    recovery = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    monkeypatch.delenv("INNERPACE_PASSPHRASE")
    assert main(["runs", "--json"]) == 1
    assert "encrypted" in capsys.readouterr().err
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    assert main(["--passphrase-file", str(secret), "runs", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it at all\n")
    assert main(["--passphrase-file", str(wrong), "runs"]) == 1
    assert "that passphrase does not open this journal" in capsys.readouterr().err
    monkeypatch.setenv("INNERPACE_RECOVERY_KEY", recovery)
    monkeypatch.setenv("INNERPACE_NEW_PASSPHRASE", "the second passphrase")
    assert main(["passphrase"]) == 0
    monkeypatch.delenv("INNERPACE_RECOVERY_KEY")
    monkeypatch.setenv("INNERPACE_PASSPHRASE", "the second passphrase")
    assert main(["unlock"]) == 0
    monkeypatch.delenv("INNERPACE_PASSPHRASE")
    assert main(["runs", "--json"]) == 0


def test_plain_backups_left_by_an_interrupted_lock_are_encrypted_on_open(data_dir: Path):
    with Journal.open(data_dir) as journal:
        _fill(journal)
        plain = journal.backup()
        journal.lock(PASSPHRASE)
    (data_dir / "journal.db").rename(data_dir / "locked.db")
    (data_dir / "journal.key.json").rename(data_dir / "locked.key.json")
    # put a plain backup back, as if the lock had stopped before reaching the backups
    with Journal.open(data_dir / "plain-copy") as other:
        other.import_paths([FIT], workers=1)
        other.store.backup(plain)
    (data_dir / "locked.db").rename(data_dir / "journal.db")
    (data_dir / "locked.key.json").rename(data_dir / "journal.key.json")
    assert not is_encrypted_file(plain)
    with Journal.open(data_dir, passphrase=PASSPHRASE):
        pass
    assert is_encrypted_file(plain)


def test_a_terminal_asks_for_the_passphrase(data_dir: Path, monkeypatch) -> None:
    import typer

    from innerpace.cli.context import State

    with Journal.open(data_dir) as journal:
        _fill(journal)
        journal.lock(PASSPHRASE)
    monkeypatch.delenv("INNERPACE_PASSPHRASE", raising=False)
    asked: list[str] = []

    def prompt(text: str, hide_input: bool = False, **_: object) -> str:
        asked.append(text)
        assert hide_input
        return PASSPHRASE

    monkeypatch.setattr(typer, "prompt", prompt)
    with State(data_dir=str(data_dir)).open(prompt=True) as journal:
        assert journal.encrypted
    assert asked == ["Passphrase for this journal"]
    with pytest.raises(JournalLocked):
        State(data_dir=str(data_dir)).open(prompt=False)
