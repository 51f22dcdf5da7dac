"""Running the web app on this computer: port, launch token, redirect file, quiet logs."""

from __future__ import annotations

import contextlib
import html
import ipaddress
import logging
import os
import re
import secrets
import socket
import threading
import warnings
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from innerpace.errors import UserError
from innerpace.paths import runtime_dir
from innerpace.services import Journal
from innerpace.web.app import create_app
from innerpace.web.phone import listener as phone_listener

DEFAULT_PORT = 8765
LOOPBACK_NAMES = ("localhost",)
_TOKEN_PATTERN = re.compile(r"(token[=:\s]+)[A-Za-z0-9_\-]+", re.IGNORECASE)


class RedactTokens(logging.Filter):
    """Blanks out anything that looks like ``token=…`` in a log record, just in case."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "token" in message.lower():
            record.msg = _TOKEN_PATTERN.sub(r"\1[hidden]", message)
            record.args = ()
        return True


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = " (try --port 0 to pick a free one)" if port else ""
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _redirect_page(url: str) -> str:
    safe = html.escape(url, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0;url={safe}">\n'
        '<meta name="referrer" content="no-referrer">\n<title>Opening innerpace</title>\n'
        "</head>\n<body>\n"
        f'<p>Opening innerpace… If nothing happens, <a href="{safe}">follow this link</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_redirect_file(folder: Path, port: int, url: str) -> Path:
    """Write ``open-<port>.html`` (mode 0600) in ``folder``: a page that redirects to ``url``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"open-{port}.html"
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_redirect_page(url))
    return path


class LocalServer:
    """The web app bound to a socket, with its launch token and redirect file.

    ``port=0`` picks a free port. Use :meth:`run` to serve until interrupted, or
    :meth:`start` / :meth:`stop` to serve from a background thread.
    """

    def __init__(
        self,
        journal: Journal,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        allow_remote: bool = False,
        log_level: str = "warning",
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise UserError(
                f"innerpace only listens on this computer (127.0.0.1), not on {host}: "
                "your journal is private. Opening it to the network needs an explicit "
                "allow_remote=True."
            )
        self.journal = journal
        self.host = host
        self.remote = not is_loopback(host)
        self._socket = _bind(host, port)
        try:
            self._prepare(journal, host, log_level)
        except BaseException:
            self._socket.close()
            raise

    def _prepare(self, journal: Journal, host: str, log_level: str) -> None:
        self.port: int = self._socket.getsockname()[1]
        self._token = secrets.token_urlsafe(32)
        url_host = "127.0.0.1" if host in ("0.0.0.0", "::") or not self.remote else host  # noqa: S104
        self.url = f"http://{url_host}:{self.port}/"
        allowed = ("127.0.0.1", "localhost") + ((host,) if self.remote else ())
        self.app = create_app(journal, token=self._token, port=self.port, allowed_hosts=allowed)
        self.redirect_file = write_redirect_file(
            runtime_dir(journal.data_dir), self.port, f"{self.url}auth?token={self._token}"
        )
        config = uvicorn.Config(
            self.app,
            access_log=False,
            log_level=log_level,
            server_header=False,
            date_header=False,
            lifespan="off",
            proxy_headers=False,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        _install_redaction()

    @property
    def token(self) -> str:
        """The launch token. Never print or log it; the redirect file carries it."""
        return self._token

    @property
    def auth_url(self) -> str:
        return f"{self.url}auth?token={self._token}"

    def run(self) -> None:
        """Serve until interrupted, then remove the redirect file."""
        try:
            phone_listener.serve_together(
                self._server, self._socket, getattr(self.app.state, "phone", None)
            )
        finally:
            self.close()

    def start(self) -> None:
        """Serve from a background thread; returns once the server accepts requests."""
        self._thread = threading.Thread(target=self.run, name="innerpace-web", daemon=True)
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the web server stopped while starting")
            self._thread.join(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.redirect_file.unlink()
        with contextlib.suppress(OSError):
            self._socket.close()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _install_redaction() -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "starlette"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


def serve(
    journal: Journal,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    allow_remote: bool = False,
    on_ready: Callable[[str], object] = print,
    phone: phone_listener.PhoneAccess | None = None,
) -> None:
    """Serve ``journal`` on ``host:port`` until interrupted (Ctrl+C).

    Prints (through ``on_ready``) the file to open and the plain address, never the token.
    """
    server = LocalServer(journal, host=host, port=port, allow_remote=allow_remote)
    if server.remote:
        message = (
            f"WARNING: innerpace is listening on {host}, so other computers can reach it. "
            "Anyone who gets the link can read your journal. Stop it with Ctrl+C when done."
        )
        warnings.warn(message, stacklevel=2)
        on_ready(message)
    if phone is not None:
        phone_listener.attach(server.app, phone, on_ready)
    file_url = server.redirect_file.as_uri()
    on_ready(f"innerpace is open at {server.url}")
    on_ready(f"To sign in, open this file in your browser: {file_url}")
    on_ready("Stop it with Ctrl+C.")
    if open_browser:
        webbrowser.open(file_url)
    server.run()
