"""No network: the main journeys run with every connection off this computer made to fail."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from innerpace.services import Journal
from innerpace.store import crypto

FIT_DIR = Path(__file__).resolve().parents[1] / "data" / "fit"


def _is_local(address: object) -> bool:
    if isinstance(address, str | bytes):  # a Unix socket path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every non-loopback connect, connect_ex, create_connection or name lookup raises and is
    recorded."""
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def refuse(what: object) -> OSError:
        attempts.append(what)
        return OSError(f"no network in this test: {what!r}")

    def connect(self, address):
        if not _is_local(address):
            raise refuse(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _is_local(address):
            raise refuse(address)
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        if not _is_local(address):
            raise refuse(address)
        return real_create(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local((host,)):
            raise refuse(("getaddrinfo", host))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(crypto, "ARGON2_MEMORY_KIB", 1024)
    yield attempts


def test_the_guard_does_refuse_the_network(offline: list[object]) -> None:
    with pytest.raises(OSError, match="no network"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    with pytest.raises(OSError, match="no network"):
        socket.getaddrinfo("example.org", 443)
    assert len(offline) == 2
    offline.clear()


def test_the_main_journeys_never_leave_this_computer(
    offline: list[object], data_dir: Path, tmp_path: Path
) -> None:
    from innerpace.web.server import LocalServer

    with Journal.open(data_dir) as journal:
        report = journal.import_paths([FIT_DIR], workers=1)
        assert report.imported >= 3
        run_id = journal.runs()[0].run.id
        now = datetime.now(UTC)
        journal.check_in("before", feeling=2, arousal=3, at=now - timedelta(hours=2))
        journal.check_in("after", feeling=4, at=now - timedelta(minutes=30), run_id=run_id)
        journal.reflect("the long hill felt lighter today", run_id=run_id)
        assert journal.search("hill")
        session = journal.guide_sessions()[0]
        try:
            journal.render_guide(session.id, tmp_path / "guide.wav", cadence=170, minutes=1)
        except Exception as exc:  # noqa: BLE001 - an optional voice may be missing here
            assert "no network" not in str(exc)
        if hasattr(journal, "insights"):
            journal.insights()
        journal.backup()
        journal.export(tmp_path / "export.zip")
        journal.lock("a long enough passphrase")
        assert journal.search("hill")

        server = LocalServer(journal, port=0)
        server.start()
        try:
            headers = {"Authorization": f"token {server.token}"}
            with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
                for page in ("/", f"/runs/{run_id}", "/today", "/journal", "/wellbeing",
                             "/insights", "/guide", "/healthz"):  # fmt: skip
                    response = client.get(page)
                    assert response.status_code == 200, (page, response.status_code)
        finally:
            server.stop()
        journal.unlock()
    assert offline == [], f"tried to reach the network: {offline}"
