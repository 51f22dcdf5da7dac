"""The parsing workers: spawned, not forked; they keep nothing of the server and die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from innerpace.importer import pipeline
from innerpace.services import Journal

TEST_DATA = Path(__file__).resolve().parents[1] / "data"

PARENT = """
import os, sys, time
from pathlib import Path
from innerpace.importer.pipeline import worker_pool
from innerpace.services import Journal
from innerpace.web import LocalServer

journal = Journal.open(Path(sys.argv[1]))
server = LocalServer(journal, port=0)
pool = worker_pool(2)
futures = [pool.submit(time.sleep, 120) for _ in range(2)]
while len(pool._processes) < 2:
    time.sleep(0.05)
print(server._socket.fileno(), *pool._processes, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    if state.exists():  # a zombie waiting for its (dead) parent to reap it has ended too
        return state.read_text().split(") ", 1)[1][0] != "Z"
    return True


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def test_the_pool_spawns_rather_than_forks():
    pool = pipeline.worker_pool(1)
    try:
        assert pool._mp_context.get_start_method() == "spawn"
        assert pool.submit(os.getppid).result(timeout=60) == os.getpid()
    finally:
        pool.shutdown()


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_workers_hold_no_listening_socket_and_die_with_a_killed_server(data_dir):
    process = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().split()
        assert line, "the parent did not start its workers"
        listening_fd, *workers = (int(x) for x in line)
        listening = os.readlink(f"/proc/{process.pid}/fd/{listening_fd}")
        for worker in workers:
            assert listening not in _socket_inodes(worker)
        process.kill()  # kill -9: nothing runs in the parent any more
        process.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_a_parallel_import_still_imports_every_file(data_dir):
    files = sorted((TEST_DATA / "gpx").glob("*.gpx"))[:6]
    with Journal.open(data_dir) as journal:
        report = journal.import_paths(files, workers=2)
    assert report.failed == [] or all(f.message for f in report.failed)
    assert len(report.files) == len(files)


def test_workers_ignore_ctrl_c_and_end_on_sigterm():
    pool = pipeline.worker_pool(1)
    try:
        assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=60) == signal.SIG_IGN
        assert pool.submit(signal.getsignal, signal.SIGTERM).result(timeout=60) == signal.SIG_DFL
    finally:
        pool.shutdown()
