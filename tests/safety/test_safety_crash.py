"""Crash proof: ``kill -9`` during a 1,000-file import leaves a whole journal, and two writers
at once lose nothing.

Run as a script for a longer soak: ``python tests/safety/test_safety_crash.py --kills 200``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIT_EPOCH = 631065600
FIRST_START = 1_600_000_000  # 2020-09-13
DUPLICATES = 5
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip
# code: (struct format, FIT base type, size): "e" an enum, "u" uint8, "H" uint16, "I" uint32,
# "i" sint32
_BASE = {"e": ("B", 0x00, 1), "u": ("B", 0x02, 1), "H": ("H", 0x84, 2), "I": ("I", 0x86, 4),
         "i": ("i", 0x85, 4)}  # fmt: skip


# -- a minimal FIT encoder -------------------------------------------------------------------
def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16, nibble by nibble as the FIT SDK computes it."""
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def _message(local: int, number: int, fields: list[tuple[int, str, int]]) -> bytes:
    definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
    for field_number, code, _ in fields:
        definition += struct.pack("<BBB", field_number, _BASE[code][2], _BASE[code][1])
    values = b"".join(struct.pack("<" + _BASE[code][0], value) for _, code, value in fields)
    return definition + bytes([local]) + values


def minimal_fit(start_unix: int, *, samples: int = 20, laps: int = 2, seed: int = 0) -> bytes:
    """A small valid FIT activity: file_id, records (time, distance, heart rate, position),
    laps, a session and an activity message, with both CRCs."""
    start = start_unix - FIT_EPOCH
    body = _message(0, 0, [(0, "e", 4), (1, "H", 255), (2, "H", 1), (3, "I", 1000 + seed),
                           (4, "I", start)])  # fmt: skip
    step, speed = 10, 3.0
    for i in range(samples):
        body += _message(1, 20, [
            (253, "I", start + i * step),
            (5, "I", int(i * step * speed * 100)),
            (3, "u", 120 + (i + seed) % 40),
            (0, "i", int((51.5 + i * 1e-4) * 2**31 / 180)),
            (1, "i", int((-0.12 + i * 1e-4) * 2**31 / 180)),
        ])  # fmt: skip
    total = samples * step
    per_lap = total // laps
    for k in range(laps):
        lap_start = start + k * per_lap
        body += _message(2, 19, [
            (253, "I", lap_start + per_lap), (2, "I", lap_start), (7, "I", per_lap * 1000),
            (8, "I", per_lap * 1000), (9, "I", int(per_lap * speed * 100)), (0, "e", 9),
            (1, "e", 1), (24, "e", 0),
        ])  # fmt: skip
    body += _message(3, 18, [
        (253, "I", start + total), (2, "I", start), (7, "I", total * 1000),
        (8, "I", total * 1000), (9, "I", int(total * speed * 100)), (5, "e", 1), (6, "e", 0),
        (25, "H", 0), (26, "H", laps), (0, "e", 8), (1, "e", 1),
    ])  # fmt: skip
    body += _message(4, 34, [(253, "I", start + total), (0, "I", total * 1000), (1, "H", 1),
                             (2, "e", 0), (3, "e", 26), (4, "e", 1)])  # fmt: skip
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    return header + body + struct.pack("<H", fit_crc(header + body))


@dataclass(frozen=True, slots=True)
class Expected:
    samples: int
    laps: int


def make_files(folder: Path, count: int = 1000) -> dict[float, Expected]:
    """``count`` FIT files a day apart (plus a few byte-identical copies); returns what each
    run should hold, by start time."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for i in range(count):
        start = FIRST_START + i * 86400
        samples, laps = 10 + i % 30, 1 + i % 3
        data = minimal_fit(start, samples=samples, laps=laps, seed=i)
        (folder / f"run-{i:04d}.fit").write_bytes(data)
        if i < DUPLICATES:
            (folder / f"zz-copy-{i:04d}.fit").write_bytes(data)
        expected[float(start)] = Expected(samples, laps)
    return expected


# -- running the CLI in a subprocess --------------------------------------------------------
def _cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "innerpace", "--data-dir", str(data_dir), *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("INNERPACE_PASSPHRASE", None)
    return env


def _kill_group(process: subprocess.Popen) -> None:
    """``kill -9`` the import and its parsing workers (its whole process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@dataclass
class Acknowledged:
    """Writes the CLI confirmed (exit 0), and the messages of those it refused."""

    notes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _write_feelings(data_dir: Path, tag: str, seen: Acknowledged) -> None:
    note = f"note {tag}"
    done = subprocess.run(
        _cli(data_dir, "checkin", "--before", "--feeling", "2", "--note", note),
        capture_output=True, text=True, env=_env(), timeout=60,
    )  # fmt: skip
    if done.returncode == 0:
        seen.notes.append(note)
    else:
        seen.refused.append(done.stderr.strip().splitlines()[-1] if done.stderr else "?")
    words = f"words {tag}"
    done = subprocess.run(
        _cli(data_dir, "reflect", "--day", "2026-05-01"),
        input=words, capture_output=True, text=True, env=_env(), timeout=60,
    )  # fmt: skip
    if done.returncode == 0:
        seen.words.append(words)
    else:
        seen.refused.append(done.stderr.strip().splitlines()[-1] if done.stderr else "?")


# -- checking the journal --------------------------------------------------------------------
def check_journal(data_dir: Path, expected: dict[float, Expected], seen: Acknowledged) -> int:
    """Assert the journal is whole; returns how many runs it holds."""
    conn = sqlite3.connect(data_dir / "journal.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        runs = conn.execute(
            "SELECT r.id, r.start_ts, r.original_id, s.samples,"
            " (SELECT COUNT(*) FROM laps l WHERE l.run_id = r.id)"
            " FROM runs r LEFT JOIN series s ON s.run_id = r.id"
        ).fetchall()
        starts = [row[1] for row in runs]
        assert len(starts) == len(set(starts)), "a run was imported twice"
        for run_id, start, original_id, samples, laps in runs:
            want = expected[start]
            assert original_id is not None, f"run {run_id} lost its original"
            assert samples == want.samples, f"run {run_id}: {samples} samples, not {want.samples}"
            assert laps == want.laps, f"run {run_id}: {laps} laps, not {want.laps}"
        orphans = conn.execute(
            "SELECT COUNT(*) FROM originals o WHERE NOT EXISTS"
            " (SELECT 1 FROM runs r WHERE r.original_id = o.id)"
        ).fetchone()[0]
        assert orphans == 0, f"{orphans} original files without their run"
        notes = {row[0] for row in conn.execute("SELECT note FROM checkins")}
        missing = [n for n in seen.notes if n not in notes]
        assert not missing, f"acknowledged check-ins lost: {missing}"
        words = {row[0].strip() for row in conn.execute("SELECT text FROM reflections")}
        missing = [w for w in seen.words if w not in words]
        assert not missing, f"acknowledged reflections lost: {missing}"
        return len(runs)
    finally:
        conn.close()


def _finish(data_dir: Path, source: Path, expected: dict, seen: Acknowledged) -> int:
    done = subprocess.run(
        _cli(data_dir, "import", str(source)), capture_output=True, text=True, env=_env(),
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    total = check_journal(data_dir, expected, seen)
    assert total == len(expected), f"{total} runs after the final import, not {len(expected)}"
    return total


def soak(workdir: Path, kills: int, seed: int = 2026, files: int = 1000) -> dict[str, object]:
    """Import ``files`` FIT files, ``kill -9`` the import ``kills`` times at random moments
    (writing check-ins and reflections alongside), check the journal after every kill. Once a
    journal holds every run, the import is run once more to the end and checked, and a new
    journal starts. An import that finished before its moment came is not a kill; the round is
    tried again (at most three times as many rounds as kills). Returns the figures."""
    rng = random.Random(seed)
    source = workdir / "files"
    expected = make_files(source, files)
    started = time.monotonic()
    mid_import = checkins = reflections = 0
    refused: list[str] = []
    rounds = 1
    data_dir, seen = workdir / "journal-1", Acknowledged()
    runs_seen = []
    attempts = 0
    while mid_import < kills and attempts < 3 * kills:
        k = attempts
        attempts += 1
        process = subprocess.Popen(
            _cli(data_dir, "import", str(source), "--json"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + rng.uniform(0.3, 2.0)
        writer = threading.Thread(target=_write_feelings, args=(data_dir, f"{k}", seen))
        writer.start()
        time.sleep(max(0.0, deadline - time.monotonic()))
        if process.poll() is None:
            mid_import += 1
        _kill_group(process)
        writer.join()
        runs = check_journal(data_dir, expected, seen)
        runs_seen.append(runs)
        if runs == files:
            _finish(data_dir, source, expected, seen)
            checkins, reflections = checkins + len(seen.notes), reflections + len(seen.words)
            refused += seen.refused
            rounds += 1
            data_dir, seen = workdir / f"journal-{rounds}", Acknowledged()
    if (data_dir / "journal.db").exists():
        _finish(data_dir, source, expected, seen)
    checkins, reflections = checkins + len(seen.notes), reflections + len(seen.words)
    refused += seen.refused
    return {
        "kills": kills,
        "rounds": attempts,
        "killed_mid_import": mid_import,
        "journals": rounds,
        "runs_after_each_kill": runs_seen,
        "checkins_acknowledged": checkins,
        "reflections_acknowledged": reflections,
        "writes_refused": sorted(set(refused)),
        "writes_refused_count": len(refused),
        "seconds": round(time.monotonic() - started, 1),
    }


def test_kill_9_during_a_1000_file_import_leaves_a_whole_journal(tmp_path: Path) -> None:
    figures = soak(tmp_path, kills=int(os.environ.get("INNERPACE_SOAK_KILLS", "20")))
    assert figures["killed_mid_import"] == figures["kills"], figures
    # A refused write said so (exit 1, one line) and is not counted; none acknowledged is lost.
    assert figures["checkins_acknowledged"] >= figures["kills"] * 3 // 4, figures
    assert figures["reflections_acknowledged"] >= figures["kills"] * 3 // 4, figures


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    from innerpace.domain import CheckIn, CheckInKind, Reflection
    from innerpace.instruments import get_instrument
    from innerpace.services import Journal

    source, data_dir = tmp_path / "files", tmp_path / "journal"
    expected = make_files(source, 300)
    with Journal.open(data_dir):
        pass
    process = subprocess.Popen(
        _cli(data_dir, "import", str(source)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=_env(), text=True,
    )  # fmt: skip
    fs = get_instrument("fs")
    seen = Acknowledged()
    now = datetime.now(UTC)
    with Journal.open(data_dir) as journal:
        i = 0
        while process.poll() is None or i < 30:
            note = f"in-process {i}"
            journal.store.add_checkin(
                CheckIn(at=now - timedelta(minutes=i), kind=CheckInKind.BEFORE,
                        responses=(fs.response({"feeling": 1}),), note=note)
            )  # fmt: skip
            seen.notes.append(note)
            words = f"in-process words {i}"
            journal.store.add_reflection(Reflection(text=words, created=now))
            seen.words.append(words)
            i += 1
            time.sleep(0.01)  # a person or the web app, not a tight loop
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert check_journal(data_dir, expected, seen) == 300
    assert len(seen.notes) >= 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kill -9 an import many times, then check")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="innerpace-soak-") as temp:
        workdir = args.workdir or Path(temp)
        figures = soak(workdir, args.kills, args.seed, args.files)
    for key, value in figures.items():
        if key != "runs_after_each_kill":
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
