"""Kill -9 at every instant of ``lock``, ``unlock``, a passphrase change and backup rotation,
then check that the next open finishes or undoes the operation and nothing is stranded.

Usage: ``python benchmarks/soak_encryption.py [--kills 30]`` (``make soak`` runs 30 per
operation; the test suite runs a short sweep). For each operation a small journal with a few
backups is prepared, the operation is started in its own process and killed after a delay
swept across its running time; then the journal is opened as the next command would, and:

- the journal opens (plain, or with the current passphrase) with all its runs;
- every backup opens: plain, or with the journal's key, or through the key file beside it with
  the recovery key;
- with ``journal.key.json`` deleted, the recovery key still opens the journal and every
  encrypted backup;
- no intent file is left.

Prints, per operation: kills, how many landed mid-operation, journals that could not be opened,
stranded backups. Exit status 1 if any journal or backup was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

OLD, NEW = "correct horse battery", "a new passphrase, longer"

CHILD = r"""
import sys, json
from pathlib import Path
from innerpace.services import Journal
from innerpace.store import backups
folder, op = Path(sys.argv[1]), sys.argv[2]
secret = json.loads(sys.argv[3])
if op == "lock":
    journal = Journal.open(folder)
    print("go", flush=True)
    journal.lock(secret["new"], show=lambda done: print("recovery", done.recovery_key, flush=True))
elif op == "unlock":
    journal = Journal.open(folder, passphrase=secret["old"])
    print("go", flush=True)
    journal.unlock()
elif op == "passphrase":
    journal = Journal.open(folder, passphrase=secret["old"])
    print("go", flush=True)
    journal.change_passphrase(secret["new"])
elif op == "rotation":
    journal = Journal.open(folder, passphrase=secret["old"])
    print("go", flush=True)
    for day in range(1, 13):
        journal.store.backup(backups.backup_dir(folder) / f"daily-2026-02-{day:02d}.db")
        backups.rotate(folder)
journal.close()
print("done", flush=True)
"""


@dataclass
class Tally:
    kills: int = 0
    mid: int = 0
    journals_lost: int = 0
    backups_stranded: int = 0
    backups_checked: int = 0
    problems: list[str] = field(default_factory=list)


def _fill(folder: Path, *, lock: bool) -> str | None:
    from innerpace.services import Journal

    with Journal.open(folder) as journal:
        start = datetime(2026, 1, 5, 7, tzinfo=UTC)
        for n in range(6):
            journal.log_run(at=start + timedelta(days=n), minutes=30 + n, name=f"run {n}")
        for _ in range(4):
            journal.backup()
            time.sleep(0.01)
        recovery = journal.lock(OLD).recovery_key if lock else None
        if lock:
            journal.backup()
    return recovery


def _opens(path: Path, key: bytes | None) -> bool:
    from innerpace.store.backups import _opens as opens_with

    if key is None:
        from innerpace.store.connection import is_encrypted_file

        if is_encrypted_file(path):
            return False
        import sqlite3

        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            conn.close()
            return ok
        except sqlite3.DatabaseError:
            return False
    return opens_with(path, key)


def _beside_key(backup: Path, recovery: str | None) -> bytes | None:
    from innerpace.store.backups import sidecar
    from innerpace.store.crypto import KeyFileProblem, WrongPassphrase, read_key_file

    if recovery is None or not sidecar(backup).exists():
        return None
    try:
        return read_key_file(sidecar(backup)).unwrap_recovery(recovery)
    except (KeyFileProblem, WrongPassphrase):
        return None


def _open_next(folder: Path, passphrases: list[str]):
    from innerpace.services import Journal
    from innerpace.store import JournalLocked, WrongPassphrase

    try:
        return Journal.open(folder)
    except JournalLocked:
        pass
    for secret in passphrases:
        try:
            return Journal.open(folder, passphrase=secret)
        except WrongPassphrase:
            continue
    raise RuntimeError("no passphrase opens the journal")


def check(folder: Path, passphrases: list[str], recoveries: list[str], tally: Tally) -> None:
    from innerpace.store.backups import intent_path, list_backups

    try:
        journal = _open_next(folder, passphrases)
    except Exception as exc:  # noqa: BLE001 - counted and reported
        tally.journals_lost += 1
        tally.problems.append(f"journal does not open: {exc}")
        return
    with journal:
        runs = len(journal.runs())
        key = journal.store.data_key
        if runs != 6:
            tally.journals_lost += 1
            tally.problems.append(f"journal has {runs} runs, not 6")
        if intent_path(folder).exists():
            tally.problems.append("an intent file was left after opening")
            tally.journals_lost += 1
    for backup in list_backups(folder):
        tally.backups_checked += 1
        ok = _opens(backup.path, None) or (key is not None and _opens(backup.path, key))
        if not ok:
            ok = any(
                (k := _beside_key(backup.path, r)) is not None and _opens(backup.path, k)
                for r in recoveries
            )
        if not ok:
            tally.backups_stranded += 1
            tally.problems.append(f"backup {backup.path.name} opens with no key")
    if key is not None:
        _check_without_key_file(folder, recoveries, tally)


def _check_without_key_file(folder: Path, recoveries: list[str], tally: Tally) -> None:
    from innerpace.services import Journal
    from innerpace.store.backups import list_backups

    copy = folder.with_name(folder.name + "-nokey")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder, copy)
    (copy / "journal.key.json").unlink()
    opened = None
    for recovery in recoveries:
        try:
            opened = Journal.open(copy, recovery_key=recovery)
            break
        except Exception:  # noqa: BLE001 - try the next recovery key
            continue
    if opened is None:
        tally.journals_lost += 1
        tally.problems.append("without journal.key.json the recovery key does not open it")
        shutil.rmtree(copy, ignore_errors=True)
        return
    with opened:
        key = opened.store.data_key
    for backup in list_backups(copy):
        if _opens(backup.path, None) or (key is not None and _opens(backup.path, key)):
            continue
        if not any(
            (k := _beside_key(backup.path, r)) is not None and _opens(backup.path, k)
            for r in recoveries
        ):
            tally.backups_stranded += 1
            tally.problems.append(f"without the key file, {backup.path.name} opens with nothing")
    shutil.rmtree(copy, ignore_errors=True)


def _run(folder: Path, op: str, delay: float | None) -> tuple[bool, float, list[str]]:
    """Run ``op``; kill it ``delay`` s after it starts (None: let it finish). Returns whether
    it was killed before it finished, how long the operation itself ran, and the recovery key
    it showed (a lock shows it once it is done)."""
    secret = json.dumps({"old": OLD, "new": NEW if op == "passphrase" else OLD})
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), op, secret],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    started = time.perf_counter()
    if line.strip() != "go":
        child.wait(60)
        raise RuntimeError(f"{op} did not start")
    if delay is None:
        child.wait(300)
        elapsed = time.perf_counter() - started
    else:
        time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(60)
        elapsed = time.perf_counter() - started
    rest = child.stdout.read()
    child.stdout.close()
    shown = [line.split()[1] for line in rest.splitlines() if line.startswith("recovery ")]
    return "done" not in rest, elapsed, shown


def sweep(op: str, kills: int, workdir: Path) -> Tally:
    tally = Tally()
    template = workdir / f"{op}-template"
    recovery = _fill(template, lock=op != "lock")
    recoveries = [r for r in [recovery] if r]
    probe = workdir / f"{op}-probe"
    shutil.copytree(template, probe)
    _, duration, _ = _run(probe, op, None)
    shutil.rmtree(probe)
    for n in range(kills):
        folder = workdir / f"{op}-{n}"
        shutil.copytree(template, folder)
        delay = duration * (n + 0.5) / kills
        killed, _, shown = _run(folder, op, delay)
        tally.kills += 1
        tally.mid += killed
        passphrases = [NEW, OLD] if op == "passphrase" else [OLD]
        check(folder, passphrases, recoveries + shown, tally)
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(template, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=30, help="kill points per operation")
    parser.add_argument("--ops", default="lock,unlock,passphrase,rotation")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory(prefix="innerpace-soak-") as tmp:
        for op in args.ops.split(","):
            tally = sweep(op, args.kills, Path(tmp))
            print(
                f"{op:>10}: {tally.kills} kills, {tally.mid} mid-operation; "
                f"{tally.journals_lost} journals that could not be opened, "
                f"{tally.backups_stranded} stranded backups of {tally.backups_checked} checked",
                flush=True,
            )
            for problem in sorted(set(tally.problems))[:10]:
                print(f"            {problem}")
            failed = failed or tally.journals_lost > 0 or tally.backups_stranded > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
