"""Running the server: loopback only, a private redirect file, no token in output or logs."""

from __future__ import annotations

import io
import logging
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
        assert f"http://127.0.0.1:{server.port}/auth?token={server.token}" in text
        assert 'http-equiv="refresh"' in text
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
                signed_in = http.get(f"/auth?token={server.token}")
                assert signed_in.status_code == 303
                assert http.get("/").status_code == 200
                assert http.get("/auth?token=wrong-" + server.token).status_code == 403
            token = server.token
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    captured = capfd.readouterr()
    logged = stream.getvalue() + captured.out + captured.err
    assert token not in logged
    assert "GET /auth" not in logged  # the access log is off


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
