"""The real server in its own process, as ``innerpace serve`` runs it: signals, clean-up and the
jobs it does in the background."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from innerpace.services import Journal

SERVE_WITH_QUICK_BACKUPS = """
import sys
from pathlib import Path
from innerpace.services import Journal
from innerpace.web.server import serve
with Journal.open(Path(sys.argv[1])) as journal:
    serve(journal, port=0, open_browser=False, backup_check_s=0.2)
"""


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "INNERPACE_HOME": str(data_dir), "PYTHONUNBUFFERED": "1"}


def _start(args: list[str], data_dir: Path) -> tuple[subprocess.Popen, str, Path]:
    process = subprocess.Popen(
        args,
        env=_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = file = None
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while (url is None or file is None) and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if "is open at " in line:
            url = line.split("is open at ", 1)[1].strip()
        if "file://" in line:
            file = line[line.index("file://") + len("file://") :].strip()
    if url is None or file is None:
        process.kill()
        pytest.fail(f"the server did not start: {process.stderr.read() if process.stderr else ''}")
    return process, url, Path(file)


def _cli_serve(data_dir: Path) -> tuple[subprocess.Popen, str, Path]:
    innerpace = Path(sys.executable).with_name("innerpace")
    return _start([str(innerpace), "serve", "--no-browser", "--port", "0"], data_dir)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(10)


def test_sigterm_cleans_up_like_ctrl_c(data_dir):
    with Journal.open(data_dir):
        pass
    process, url, sign_in_file = _cli_serve(data_dir)
    try:
        assert sign_in_file.exists()
        assert httpx.get(url + "healthz").status_code == 200
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    finally:
        _stop(process)
    assert code == 128 + signal.SIGTERM
    assert not sign_in_file.exists()
    assert not (data_dir / "journal.db-wal").exists()  # closed cleanly: the WAL is folded in


def test_ctrl_c_cleans_up(data_dir):
    with Journal.open(data_dir):
        pass
    process, _url, sign_in_file = _cli_serve(data_dir)
    try:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    finally:
        _stop(process)
    assert not sign_in_file.exists()
    assert not (data_dir / "journal.db-wal").exists()


def test_a_sign_in_file_left_by_kill_9_is_removed_at_the_next_start(data_dir):
    with Journal.open(data_dir):
        pass
    process, _url, first_file = _cli_serve(data_dir)
    process.kill()
    process.wait(10)
    assert first_file.exists()  # nothing can clean up after kill -9 ...
    process, _url, second_file = _cli_serve(data_dir)
    try:
        assert second_file.exists()
        assert not first_file.exists() or first_file == second_file  # ... the next start does
        leftovers = sorted(p.name for p in second_file.parent.glob("open-*.html"))
        assert leftovers == [second_file.name]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        _stop(process)


def test_the_real_server_takes_the_daily_backup_while_it_runs(data_dir):
    """uvicorn must run the app's lifespan: the backup loop lives there."""
    with Journal.open(data_dir) as journal:
        journal.log_run(at=datetime(2026, 5, 1, 7, tzinfo=UTC), minutes=30)
    backups = data_dir / "backups"
    process, url, _file = _start(
        [sys.executable, "-c", SERVE_WITH_QUICK_BACKUPS, str(data_dir)], data_dir
    )
    try:
        for made in backups.glob("*.db"):
            made.unlink()  # the backups made at opening are gone; the server must make new ones
        deadline = time.monotonic() + 20
        while not list(backups.glob("daily-*.db")) and time.monotonic() < deadline:
            time.sleep(0.1)
        found = sorted(p.name for p in backups.glob("*.db"))
        assert any(name.startswith("daily-") for name in found), found
        assert httpx.get(url + "healthz").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        _stop(process)
