"""Encryption operations that finish or roll back, and a key file that is not a single point of
failure."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import pytest

from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.store import WrongPassphrase, backups, crypto
from innerpace.store.connection import is_encrypted_file

PASSPHRASE = "correct horse battery"
SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak_encryption.py"


pytestmark = pytest.mark.usefixtures("quick_kdf")


def _locked(data_dir: Path) -> str:
    from datetime import UTC, datetime

    with Journal.open(data_dir) as journal:
        journal.log_run(at=datetime(2026, 3, 1, 7, tzinfo=UTC), minutes=30)
        journal.backup()
        journal.backup()
        recovery = journal.lock(PASSPHRASE).recovery_key
        journal.backup()
    return recovery


def _backups_open_with(data_dir: Path, key: bytes) -> bool:
    return all(backups._opens(b.path, key) for b in backups.list_backups(data_dir))


def test_lock_never_overwrites_an_existing_key_file(data_dir):
    with Journal.open(data_dir) as journal:
        journal.log_run(at=_when(), minutes=20)
        kept = b'{"an older key file": "that older backups may need"}'
        (data_dir / "journal.key.json").write_bytes(kept)
        with pytest.raises(UserError, match="never replaces"):
            journal.lock(PASSPHRASE)
    assert (data_dir / "journal.key.json").read_bytes() == kept
    assert not is_encrypted_file(data_dir / "journal.db")


def _when():
    from datetime import UTC, datetime

    return datetime(2026, 3, 2, 7, tzinfo=UTC)


def test_the_recovery_key_opens_everything_without_the_key_file(data_dir):
    recovery = _locked(data_dir)
    (data_dir / "journal.key.json").unlink()
    with Journal.open(data_dir, recovery_key=recovery) as journal:
        assert len(journal.runs()) == 1
        key = journal.store.data_key
    assert key is not None
    assert _backups_open_with(data_dir, key)
    assert len(backups.list_backups(data_dir)) >= 3
    assert (data_dir / "journal.key.json").exists()  # put back from the spare copy
    for backup in backups.list_backups(data_dir):  # each carries the key file that opens it
        beside = crypto.read_key_file(backups.sidecar(backup.path))
        assert beside.unwrap_recovery(recovery) == key


def test_a_backup_opens_from_the_key_file_beside_it_alone(data_dir, tmp_path):
    recovery = _locked(data_dir)
    (newest,) = backups.list_backups(data_dir)[:1]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / newest.path.name
    copy.write_bytes(newest.path.read_bytes())
    beside = crypto.read_key_file(backups.sidecar(newest.path))
    assert backups._opens(copy, beside.unwrap_recovery(recovery))
    assert backups._opens(copy, beside.unwrap(PASSPHRASE))


def _flip_a_bit_of_the_wrapped_key(path: Path) -> None:
    content = json.loads(path.read_text())
    wrapped = bytearray(crypto._unb64(content["passphrase"]["wrapped_key"]))
    wrapped[3] ^= 0x10
    content["passphrase"]["wrapped_key"] = crypto._b64(bytes(wrapped))
    path.write_text(json.dumps(content))


def test_a_damaged_key_file_is_reported_as_damaged_not_as_a_wrong_passphrase(data_dir):
    _locked(data_dir)
    _flip_a_bit_of_the_wrapped_key(data_dir / "journal.key.json")
    for copy in (data_dir / "backups").glob("*.key.json"):
        copy.unlink()
    with pytest.raises(crypto.KeyFileDamaged, match="damaged"):
        Journal.open(data_dir, passphrase=PASSPHRASE)


def test_a_damaged_key_file_is_repaired_from_its_spare(data_dir):
    _locked(data_dir)
    _flip_a_bit_of_the_wrapped_key(data_dir / "journal.key.json")
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        assert len(journal.runs()) == 1
    crypto.read_key_file(data_dir / "journal.key.json").unwrap(PASSPHRASE)  # whole again


def test_a_wrong_passphrase_is_still_called_wrong(data_dir):
    _locked(data_dir)
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, passphrase="not the passphrase at all")


@pytest.mark.parametrize(
    ("name", "value"),
    [("memory_kib", 2**31), ("time_cost", 10**6), ("parallelism", 0), ("time_cost", "3")],
)
def test_kdf_parameters_outside_sane_bounds_are_refused_at_once(data_dir, name, value):
    _locked(data_dir)
    for copy in (data_dir / "backups").glob("*.key.json"):
        copy.unlink()
    path = data_dir / "journal.key.json"
    content = json.loads(path.read_text())
    content["passphrase"]["kdf"][name] = value
    content.pop("checksum")  # as an older file without one would be
    path.write_text(json.dumps(content))
    started = time.perf_counter()
    with pytest.raises(crypto.KeyFileProblem, match="outside"):
        Journal.open(data_dir, passphrase=PASSPHRASE)
    assert time.perf_counter() - started < 30  # refused, not computed (10^6 passes would hang)


def test_the_issue_state_after_a_killed_unlock_is_finished_at_the_next_open(data_dir):
    """An unlock killed after its swap: journal plain, key file and intent still there."""
    _locked(data_dir)
    with Journal.open(data_dir, passphrase=PASSPHRASE) as journal:
        key = journal.store.data_key
    assert key is not None
    backups._write_intent(data_dir, "unlock")
    backups.rekey_backups(data_dir, key, None)
    temp = backups.rekeyed_copy(data_dir / "journal.db", key, None)
    backups._swap_in(temp, data_dir / "journal.db")
    with Journal.open(data_dir) as journal:  # the next command: no passphrase needed
        assert len(journal.runs()) == 1
        assert not journal.encrypted
    assert not (data_dir / "journal.key.json").exists()
    assert not backups.intent_path(data_dir).exists()
    assert not any(is_encrypted_file(b.path) for b in backups.list_backups(data_dir))
    with Journal.open(data_dir) as journal:
        journal.lock(PASSPHRASE)  # and locking again works: no key file is in the way


def test_a_short_kill_sweep_strands_nothing(tmp_path, capsys):
    """The CI version of ``make soak``'s sweep over lock, unlock, passphrase and rotation."""
    spec = importlib.util.spec_from_file_location("soak_encryption", SOAK)
    assert spec is not None and spec.loader is not None
    soak = importlib.util.module_from_spec(spec)
    sys.modules["soak_encryption"] = soak
    spec.loader.exec_module(soak)
    code = soak.main(["--kills", "3"])
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
    assert out.count(" 0 journals that could not be opened, 0 stranded backups") == 4
