"""Restoring a backup made under an earlier key: a copy kept elsewhere (with its key file) after
the journal was unlocked and locked again, or any encrypted backup into a journal now plain.

The key file that came with the backup is unlocked with the passphrase or recovery key of its
time; the backup is restored under the journal's current key (or plain), and the current
passphrase opens the journal afterwards. Real files, real SQLCipher, real Argon2id (with the
cost the other safety tests use, which the key files record).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.services.safety import BackupKeyFileMissing, BackupLocked
from innerpace.store import WrongPassphrase, backups, crypto
from innerpace.store.connection import connect, copy_with_key, is_encrypted_file

OLD = "correct horse battery"
NEW = "a new passphrase, longer"
EARLY = datetime(2026, 3, 1, 7, tzinfo=UTC)
LATER = datetime(2026, 3, 9, 7, tzinfo=UTC)
KEPT_WORDS = "the hills felt lighter today"
LATER_WORDS = "written after the copy was made"


pytestmark = pytest.mark.usefixtures("quick_kdf")


def _usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir(exist_ok=True)
    return folder / "journal-2026-03-01.db"


def _copy_then_new_key(data_dir: Path, tmp_path: Path) -> tuple[Path, str]:
    """lock → backup --to elsewhere → unlock → lock with a new passphrase → add an entry.
    Returns the copy kept elsewhere and the recovery key of its time."""
    with Journal.open(data_dir) as journal:
        run = journal.log_run(at=EARLY, minutes=30)
        journal.reflect(KEPT_WORDS, run_id=run.id)
        old_recovery = journal.lock(OLD).recovery_key
        copy = journal.backup(_usb(tmp_path))
        journal.unlock()
        journal.lock(NEW)
        later = journal.log_run(at=LATER, minutes=45)
        journal.reflect(LATER_WORDS, run_id=later.id)
    assert (copy.parent / (copy.name + ".key.json")).is_file()
    return copy, old_recovery


def _runs_in(path: Path, key: bytes | None) -> int:
    conn = connect(path, key)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    finally:
        conn.close()


def _digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _settled(data_dir: Path) -> dict[str, str]:
    """The data folder after an open and close (the day's backups made), as a digest."""
    Journal.open(data_dir, passphrase=NEW).close()
    return _digest(data_dir)


def _texts(journal: Journal) -> list[str]:
    return sorted(r.text for r in journal.reflections())


def test_a_copy_made_under_an_earlier_key_restores_under_the_current_one(data_dir, tmp_path):
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    key_file_before = (data_dir / "journal.key.json").read_bytes()
    copy_before = _digest(copy.parent)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert journal.backup_made_under_other_key(copy)
        with pytest.raises(BackupLocked, match="passphrase it was made with"):
            journal.restore_backup(copy)
        kept = journal.restore_backup(copy, passphrase=OLD)
        assert _texts(journal) == [KEPT_WORDS]  # the backup's data
        assert len(journal.runs()) == 1
        assert journal.encrypted
        new_key = journal.store.data_key
    assert new_key is not None
    # The journal's key file is the current one, untouched: the new passphrase opens it.
    assert (data_dir / "journal.key.json").read_bytes() == key_file_before
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]
        assert journal.store.integrity_check() == "ok"
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, passphrase=OLD)
    # The journal as it was, with the entry added later, is kept under the current key.
    assert kept.name.startswith("before-restore-")
    assert is_encrypted_file(kept) and _runs_in(kept, new_key) == 2
    with Journal.open(tmp_path / "check", passphrase=None) as other:
        other.restore_backup(kept, passphrase=NEW)  # it carries the current key file beside it
        assert _texts(other) == sorted([KEPT_WORDS, LATER_WORDS])
    assert _digest(copy.parent) == copy_before  # the copy and its key file stay as they were


def test_the_recovery_key_of_that_time_opens_it_too(data_dir, tmp_path, capsys):
    copy, old_recovery = _copy_then_new_key(data_dir, tmp_path)
    args = ["--data-dir", str(data_dir), "--passphrase-file", str(_secret(tmp_path, NEW))]
    assert main([*args, "restore", str(copy), "--backup-recovery-key", old_recovery]) == 0
    out = capsys.readouterr().out
    assert "Restored from" in out and "your current passphrase opens it" in out
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]


def _secret(tmp_path: Path, value: str) -> Path:
    path = tmp_path / f"secret-{hashlib.sha256(value.encode()).hexdigest()[:8]}"
    path.write_text(value + "\n")
    return path


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--backup-passphrase-file", "WRONG"], "that passphrase does not open the key file"),
        (["--backup-recovery-key", "AAAA-BBBB"], "that recovery key does not open the key file"),
        ([], "was made under another key than this journal's"),
    ],
)
def test_a_wrong_or_missing_secret_is_refused_and_nothing_changes(
    data_dir, tmp_path, capsys, monkeypatch, option, expected
):
    copy, old_recovery = _copy_then_new_key(data_dir, tmp_path)
    monkeypatch.setenv("INNERPACE_PASSPHRASE", NEW)
    monkeypatch.delenv("INNERPACE_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    option = [str(_secret(tmp_path, "not the old one")) if o == "WRONG" else o for o in option]
    before = _settled(data_dir)
    assert main(["--data-dir", str(data_dir), "restore", str(copy), *option]) == 1
    err = capsys.readouterr().err
    assert expected in err and "nothing was changed" in err
    assert _digest(data_dir) == before
    # A recovery key of another time is refused just the same.
    with Journal.open(data_dir, passphrase=NEW) as journal:
        with pytest.raises(WrongPassphrase, match="recovery key does not open the key file"):
            journal.restore_backup(copy, recovery_key=crypto.new_recovery_key())
        assert len(journal.runs()) == 2
    assert old_recovery  # (the right one is tested above)


def _flip_a_bit_of_the_wrapped_key(path: Path) -> None:
    content = json.loads(path.read_text())
    wrapped = bytearray(crypto._unb64(content["passphrase"]["wrapped_key"]))
    wrapped[3] ^= 0x10
    content["passphrase"]["wrapped_key"] = crypto._b64(bytes(wrapped))
    path.write_text(json.dumps(content))


def test_a_damaged_key_file_is_called_damaged_and_nothing_changes(data_dir, tmp_path):
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    beside = backups.sidecar(copy)
    _flip_a_bit_of_the_wrapped_key(beside)
    before = _settled(data_dir)
    with (
        Journal.open(data_dir, passphrase=NEW) as journal,
        pytest.raises(crypto.KeyFileDamaged, match="cannot use the key file .*damaged"),
    ):
        journal.restore_backup(copy, passphrase=OLD)
    assert _digest(data_dir) == before
    # Without its checksum the flipped bit is found by AES-GCM: refused, not a wrong "key".
    content = json.loads(beside.read_text())
    content.pop("checksum", None)
    beside.write_text(json.dumps(content))
    with (
        Journal.open(data_dir, passphrase=NEW) as journal,
        pytest.raises(WrongPassphrase, match="does not open the key file"),
    ):
        journal.restore_backup(copy, passphrase=OLD)
    beside.write_text("{ not json")
    with Journal.open(data_dir, passphrase=NEW) as journal:
        with pytest.raises(crypto.KeyFileDamaged, match="cannot use the key file"):
            journal.restore_backup(copy, passphrase=OLD)
        assert len(journal.runs()) == 2


def test_a_damaged_backup_is_refused_and_nothing_changes(data_dir, tmp_path):
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    data = bytearray(copy.read_bytes())
    for at in range(4096 + 100, len(data), 4096):  # a byte in every page after the first
        data[at] ^= 0xFF
    copy.write_bytes(bytes(data))
    before = _settled(data_dir)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        with pytest.raises(UserError, match="cannot be restored|damaged") as refused:
            journal.restore_backup(copy, passphrase=OLD)
        assert "nothing was changed" in str(refused.value)
    assert _digest(data_dir) == before


def test_a_key_file_of_another_backup_is_refused(data_dir, tmp_path):
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        other = journal.backup(tmp_path / "other.db")  # under the current key
    with Journal.open(data_dir, passphrase=NEW) as journal:
        with pytest.raises(UserError, match="its key does not open"):
            journal.restore_backup(copy, passphrase=NEW, key_file=backups.sidecar(other))
        assert len(journal.runs()) == 2


def test_a_missing_key_file_asks_for_key_file(data_dir, tmp_path, capsys, monkeypatch):
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    moved = tmp_path / "elsewhere.key.json"
    backups.sidecar(copy).rename(moved)
    monkeypatch.setenv("INNERPACE_PASSPHRASE", NEW)
    monkeypatch.setenv("INNERPACE_BACKUP_PASSPHRASE", OLD)
    before = _settled(data_dir)
    root = ["--data-dir", str(data_dir)]
    assert main([*root, "restore", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"its key file {copy.name}.key.json is not beside it" in err
    assert "--key-file FILE" in err
    missing = tmp_path / "nowhere.key.json"
    assert main([*root, "restore", str(copy), "--key-file", str(missing)]) == 1
    assert f"there is no key file {missing}" in capsys.readouterr().err
    assert _digest(data_dir) == before
    assert main([*root, "restore", str(copy), "--key-file", str(moved)]) == 0
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]
    assert not backups.sidecar(copy).exists()  # nothing is written beside the copy either


def test_an_encrypted_backup_restores_plain_into_an_unlocked_journal(data_dir, tmp_path, capsys):
    with Journal.open(data_dir) as journal:
        journal.reflect(KEPT_WORDS)
        journal.lock(OLD)
        copy = journal.backup(_usb(tmp_path))
        journal.unlock()
        journal.reflect(LATER_WORDS)
    secret = _secret(tmp_path, OLD)
    root = ["--data-dir", str(data_dir)]
    assert main([*root, "restore", str(copy), "--backup-passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert "restored unencrypted" in out
    journal_file = data_dir / "journal.db"
    assert not is_encrypted_file(journal_file)
    assert not (data_dir / "journal.key.json").exists()  # the old key file stays beside the copy
    assert not backups.spare_key_path(data_dir).exists()
    with Journal.open(data_dir) as journal:  # no passphrase
        assert _texts(journal) == [KEPT_WORDS]
    (kept,) = (data_dir / "backups").glob("before-restore-*.db")
    assert not is_encrypted_file(kept) and not backups.sidecar(kept).exists()


def test_a_plain_backup_into_a_locked_journal_asks_for_nothing(data_dir, tmp_path, monkeypatch):
    import typer

    with Journal.open(data_dir) as journal:
        journal.reflect(KEPT_WORDS)
        plain = journal.backup(tmp_path / "plain.db")
        journal.lock(NEW)
        journal.reflect(LATER_WORDS)
    monkeypatch.setenv("INNERPACE_PASSPHRASE", NEW)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(typer, "prompt", lambda *a, **k: pytest.fail("asked for a passphrase"))
    plain_before = plain.read_bytes()
    assert main(["--data-dir", str(data_dir), "restore", str(plain)]) == 0
    assert is_encrypted_file(data_dir / "journal.db")
    assert plain.read_bytes() == plain_before  # checking and copying it only read it
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]


def test_a_terminal_asks_for_the_backups_passphrase_only_when_needed(
    data_dir, tmp_path, monkeypatch, capsys
):
    import typer

    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    monkeypatch.setenv("INNERPACE_PASSPHRASE", NEW)
    monkeypatch.delenv("INNERPACE_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked: list[str] = []

    def prompt(text: str, hide_input: bool = False, **_: object) -> str:
        asked.append(text)
        assert hide_input
        return OLD

    monkeypatch.setattr(typer, "prompt", prompt)
    assert main(["--data-dir", str(data_dir), "restore", str(copy)]) == 0
    assert asked == ["Passphrase this backup was made with"]
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]
        same = journal.backup(tmp_path / "same.db")  # under the current key: nothing asked
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "restore", str(same)]) == 0
    assert asked == ["Passphrase this backup was made with"]
    assert "earlier key" not in capsys.readouterr().out


def test_without_the_key_file_nothing_is_asked(data_dir, tmp_path, monkeypatch):
    import typer

    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    backups.sidecar(copy).unlink()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(typer, "prompt", lambda *a, **k: pytest.fail("asked for a passphrase"))
    with (
        Journal.open(data_dir, passphrase=NEW) as journal,
        pytest.raises(BackupKeyFileMissing, match="is not beside it"),
    ):
        journal.restore_backup(copy)


# -- kill -9 mid-restore --------------------------------------------------------------------

CHILD = r"""
import sys
from pathlib import Path
from innerpace.services import Journal
folder, copy, new, old = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
journal = Journal.open(folder, passphrase=new)
print("go", flush=True)
journal.restore_backup(copy, passphrase=old)
print("done", flush=True)
journal.close()
"""


def _restore_in_a_child(folder: Path, copy: Path, delay: float | None) -> tuple[bool, float]:
    """Restore in its own process; ``kill -9`` it ``delay`` s after it starts. Returns whether
    it was killed before it finished, and how long the restore itself ran."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(copy), NEW, OLD],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "INNERPACE_HOME": str(folder)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "go"
    started = time.perf_counter()
    if delay is not None:
        time.sleep(delay)
        child.kill()
        child.wait()
        return child.stdout.read().strip() != "done", 0.0
    assert child.stdout.readline().strip() == "done"
    elapsed = time.perf_counter() - started
    assert child.wait() == 0
    return False, elapsed


def test_a_restore_killed_at_any_moment_leaves_a_journal_the_current_passphrase_opens(
    data_dir, tmp_path
):
    """No intent file is needed: the before-restore backup and the restored copy are each
    written under a temporary name and renamed; the journal file is replaced by one rename and
    the key file is never touched. So after a kill the journal is either as it was or the
    whole restored copy, under the current key; leftover temporary files are swept."""
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    with Journal.open(data_dir, passphrase=NEW):
        pass  # the day's backups are made
    key_file = (data_dir / "journal.key.json").read_bytes()
    durations = []
    for n in range(2):  # the quicker of two, as the machine is shared
        trial = tmp_path / f"trial-{n}"
        shutil.copytree(data_dir, trial)
        durations.append(_restore_in_a_child(trial, copy, None)[1])
        with Journal.open(trial, passphrase=NEW) as journal:
            assert _texts(journal) == [KEPT_WORDS]
    duration = min(durations)
    kills, mid, outcomes = 12, 0, set()
    for n in range(kills):
        folder = tmp_path / f"kill-{n}"
        shutil.copytree(data_dir, folder)
        # Swept over twice the time it took: the rename comes late, and a kill takes a moment.
        killed, _ = _restore_in_a_child(folder, copy, 2 * duration * (n + 0.5) / kills)
        mid += killed
        assert (folder / "journal.key.json").read_bytes() == key_file
        assert not backups.intent_path(folder).exists()
        backups.sweep_leftovers(folder, older_than_s=-1)  # as a later open would, an hour on
        leftovers = (".tmp", ".partial", ".tmp-wal", ".tmp-shm")
        assert not [p for p in folder.rglob(".*") if p.name.endswith(leftovers)]
        with Journal.open(folder, passphrase=NEW) as journal:
            texts = _texts(journal)
            assert journal.store.integrity_check() == "ok"
        assert texts in ([KEPT_WORDS], sorted([KEPT_WORDS, LATER_WORDS])), n
        outcomes.add(len(texts))
        for kept in folder.glob("backups/before-restore-*.db"):  # whole, or not there
            assert _runs_in(kept, crypto.read_key_file(backups.sidecar(kept)).unwrap(NEW)) == 2
    assert mid >= 1, (mid, duration)
    print(f"restore ran {duration * 1000:.0f} ms; {mid}/{kills} kills mid-restore; {outcomes}")


def test_killed_after_the_copy_before_the_rename_the_journal_is_as_it_was(data_dir, tmp_path):
    """The state a kill leaves between the checked copy and the rename, made step by step."""
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        key = journal.store.data_key
        journal.store.backup(backups.backup_dir(data_dir) / "before-restore-x.db")
    old_key = crypto.read_key_file(backups.sidecar(copy)).unwrap(OLD)
    temp = backups._temp_name(data_dir, "journal.db")
    copy_with_key(copy, old_key, temp, key)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == sorted([KEPT_WORDS, LATER_WORDS])
    assert temp.exists()  # a fresh leftover stays an hour (another program may be writing it)
    os.utime(temp, (time.time() - 7200, time.time() - 7200))
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert len(journal.runs()) == 2
    assert not temp.exists()


def test_killed_right_after_the_rename_the_journal_is_the_restored_one(data_dir, tmp_path):
    """Nothing comes after the rename that the journal needs: the key file was never touched."""
    copy, _ = _copy_then_new_key(data_dir, tmp_path)
    with Journal.open(data_dir, passphrase=NEW) as journal:
        key = journal.store.data_key
    old_key = crypto.read_key_file(backups.sidecar(copy)).unwrap(OLD)
    backups.restore_files(data_dir, copy, key, old_key)  # the journal closed, as restore does
    with Journal.open(data_dir, passphrase=NEW) as journal:
        assert _texts(journal) == [KEPT_WORDS]
    assert not backups.intent_path(data_dir).exists()
