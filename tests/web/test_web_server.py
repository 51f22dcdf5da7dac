"""Running the server: loopback only, a private redirect file, no token in output or logs."""

from __future__ import annotations

import io
import logging
import os
import stat
import time

import httpx
import pytest

from innerpace.errors import UserError
from innerpace.web import LocalServer, serve
from innerpace.web import server as server_module


def test_the_server_binds_loopback_and_writes_a_private_redirect_file(journal):
    server = LocalServer(journal, port=0)
    try:
        assert server.host == "127.0.0.1"
        assert server._socket.getsockname()[0] == "127.0.0.1"
        path = server.redirect_file
        assert path == journal.data_dir / "runtime" / f"open-{server.port}.html"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text("utf-8")
        assert f'action="http://127.0.0.1:{server.port}/auth"' in text
        assert 'method="post"' in text
        assert f'name="key" value="{server.signin_key}"' in text
        assert server.token not in text  # the scripts' token never leaves the process
        assert "?token=" not in text
    finally:
        server.close()
    assert not path.exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_a_non_loopback_host_is_refused_without_the_flag(journal, host):
    with pytest.raises(UserError, match="only listens on this computer"):
        LocalServer(journal, host=host, port=0)
    assert not (journal.data_dir / "runtime").exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_are_recognised(host):
    assert server_module.is_loopback(host)


def test_a_port_in_use_is_a_plain_error(journal):
    first = LocalServer(journal, port=0)
    try:
        with pytest.raises(UserError, match="cannot listen"):
            LocalServer(journal, port=first.port)
    finally:
        first.close()


def test_serve_prints_the_file_and_the_address_but_never_the_token(journal, monkeypatch):
    printed: list[str] = []
    opened: list[str] = []
    seen: dict[str, LocalServer] = {}

    def fake_run(self: LocalServer) -> None:
        seen["server"] = self
        assert self.redirect_file.exists()
        self.close()

    monkeypatch.setattr(LocalServer, "run", fake_run)
    monkeypatch.setattr(server_module.webbrowser, "open", opened.append)
    serve(journal, port=0, on_ready=printed.append)
    server = seen["server"]
    output = "\n".join(printed)
    assert server.token not in output
    assert server.redirect_file.as_uri() in output
    assert f"http://127.0.0.1:{server.port}/" in output
    assert opened == [server.redirect_file.as_uri()]
    assert not server.redirect_file.exists()


def test_serve_can_leave_the_browser_closed(journal, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(LocalServer, "run", lambda self: self.close())
    monkeypatch.setattr(server_module.webbrowser, "open", opened.append)
    serve(journal, port=0, open_browser=False, on_ready=lambda line: None)
    assert opened == []


def test_no_log_line_holds_the_token_during_a_real_sign_in(journal, capfd):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", "starlette", "innerpace"]
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with LocalServer(journal, port=0, log_level="debug") as server:
            with httpx.Client(base_url=server.url, follow_redirects=False) as http:
                key = server.signin_key
                signed_in = http.post("/auth", data={"key": key})
                assert signed_in.status_code == 200
                assert http.get("/").status_code == 200
                assert http.get("/auth?token=wrong-" + server.token).status_code == 403
                assert http.post("/auth", data={"key": key}).status_code == 403
            token = server.token
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    captured = capfd.readouterr()
    logged = stream.getvalue() + captured.out + captured.err
    assert token not in logged and key not in logged
    assert "POST /auth" not in logged  # the access log is off


def test_the_redaction_filter_hides_tokens_in_any_uvicorn_record():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '"GET /auth?token=%s HTTP/1.1"',
        ("abc_-1",),
        None,
    )
    assert server_module.RedactTokens().filter(record)
    assert "abc_-1" not in record.getMessage()
    assert "[hidden]" in record.getMessage()


def test_a_remote_host_with_the_explicit_flag_warns_loudly(journal, monkeypatch):
    real_bind = server_module._bind
    monkeypatch.setattr(server_module, "_bind", lambda host, port: real_bind("127.0.0.1", 0))
    monkeypatch.setattr(LocalServer, "run", lambda self: self.close())
    printed: list[str] = []
    with pytest.warns(UserWarning, match="other computers can reach it"):
        serve(
            journal,
            host="192.0.2.1",
            port=0,
            allow_remote=True,
            open_browser=False,
            on_ready=printed.append,
        )
    assert printed[0].startswith("WARNING")


def test_each_sign_in_rewrites_the_file_with_a_fresh_key(journal):
    with LocalServer(journal, port=0) as server:
        first = server.signin_key
        with httpx.Client(base_url=server.url, follow_redirects=False) as http:
            assert http.post("/auth", data={"key": first}).status_code == 200
        text = server.redirect_file.read_text("utf-8")
        assert first not in text
        assert f'value="{server.signin_key}"' in text
        assert stat.S_IMODE(server.redirect_file.stat().st_mode) == 0o600
        with httpx.Client(base_url=server.url, follow_redirects=False) as other:
            assert other.post("/auth", data={"key": server.signin_key}).status_code == 200
    assert not server.redirect_file.exists()


@pytest.mark.may_skip_in_ci  # a machine without IPv6 loopback
def test_an_ipv6_loopback_server_prints_a_link_that_reaches_it(journal):
    try:
        server = LocalServer(journal, host="::1", port=0)
    except UserError as exc:  # pragma: no cover - a machine without IPv6
        pytest.skip(f"no IPv6 loopback here: {exc}")
    with server:
        assert server.url == f"http://[::1]:{server.port}/"
        assert f'action="http://[::1]:{server.port}/auth"' in server.redirect_file.read_text()
        with httpx.Client(base_url=server.url, follow_redirects=False) as http:
            assert http.get("/healthz").status_code == 200
            assert http.post("/auth", data={"key": server.signin_key}).status_code == 200
            assert http.get("/").status_code == 200


def test_stale_sign_in_files_and_uploads_are_swept_at_start(journal):
    runtime = journal.data_dir / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    dead = _a_dead_pid()
    (runtime / "open-9.html").write_text(f'<meta name="innerpace-pid" content="{dead}">')
    (runtime / "open-10.html").write_text("<p>an older sign-in file without its owner</p>")
    (runtime / f"upload-{dead}-abc").mkdir()
    (runtime / f"upload-{dead}-abc" / "run.gpx").write_text("<gpx/>")
    (runtime / "upload-old1234").mkdir()
    alive = runtime / f"upload-{os.getppid()}-live"
    alive.mkdir()
    with LocalServer(journal, port=0) as server:
        names = sorted(p.name for p in runtime.iterdir())
        assert names == sorted([server.redirect_file.name, alive.name])


def _a_dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_long_running_app_takes_its_daily_backup(journal, monkeypatch, web):
    import innerpace.web.app as app_module

    calls = []
    monkeypatch.setattr(app_module, "BACKUP_CHECK_S", 0.01)
    monkeypatch.setattr(journal, "backup_if_due", lambda: calls.append(1) or [])
    app = app_module.create_app(journal, token=web.token, port=web.port)
    with web.TestClient(app, base_url=web.base):
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.02)
    assert calls
