"""Running the web app on this computer: port, launch token, redirect file, quiet logs."""

from __future__ import annotations

import contextlib
import html
import ipaddress
import logging
import os
import re
import secrets
import shutil
import signal
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
from innerpace.words import text

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
    # IPPROTO_TCP named, so asyncio sets TCP_NODELAY on every accepted connection (it checks
    # the protocol): two requests in a row then take no 40 ms delayed-ACK pause.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = exc.strerror or exc
        key = "web.server.cannot_listen_port" if port else "web.server.cannot_listen"
        raise UserError(text(key, host=host, port=port, reason=reason)) from None
    sock.listen(128)
    sock.set_inheritable(False)  # no child process keeps our port
    return sock


_PID_MARK = re.compile(r'<meta name="innerpace-pid" content="(\d+)">')


def _signin_page(action: str, key: str) -> str:
    """A page that posts the one-time key to ``action`` at once (a button if scripts are off)."""
    safe_action = html.escape(action, quote=True)
    safe_key = html.escape(key, quote=True)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="innerpace-pid" content="{os.getpid()}">\n'
        "<title>Opening innerpace</title>\n</head>\n<body>\n"
        f'<form id="signin" method="post" action="{safe_action}">\n'
        f'<input type="hidden" name="key" value="{safe_key}">\n'
        "<p>Opening innerpace… If nothing happens, "
        '<button type="submit">open innerpace</button>.</p>\n</form>\n'
        '<script>document.getElementById("signin").submit();</script>\n'
        "</body>\n</html>\n"
    )


def write_redirect_file(folder: Path, port: int, action: str, key: str) -> Path:
    """Write ``open-<port>.html`` (mode 0600, atomically) in ``folder``: a page that posts the
    sign-in ``key`` to ``action``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"open-{port}.html"
    tmp = folder / f".open-{port}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_signin_page(action, key))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


_OWNED = re.compile(r"^(?:upload|spool|guide)-(\d+)-")


def sweep_runtime(folder: Path) -> list[str]:
    """Remove what a program that ended without cleaning up (kill -9, power cut) left in the
    private runtime folder: sign-in files, uploads and spools of processes no longer alive.
    Returns the names removed."""
    removed: list[str] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        name = entry.name
        stale = False
        if name.startswith("open-") and name.endswith(".html"):
            try:
                found = _PID_MARK.search(entry.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            stale = found is None or not _alive(int(found.group(1)))
        elif name.startswith(".open-") and name.endswith(".tmp"):
            stale = True
        elif name.startswith(("upload-", "spool-", "guide-")):
            owner = _OWNED.match(name)
            stale = owner is None or not _alive(int(owner.group(1)))
        if not stale:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
        removed.append(name)
    return removed


def url_host_for(host: str) -> str:
    """The host part of the link to print for a server listening on ``host``."""
    if host in ("0.0.0.0", ""):  # noqa: S104 - a wildcard listener: the link names loopback
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


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
        backup_check_s: float | None = None,
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise UserError(text("web.server.local_only", host=host))
        self.journal = journal
        self.host = host
        self.remote = not is_loopback(host)
        self._backup_check_s = backup_check_s
        self._socket = _bind(host, port)
        try:
            self._prepare(journal, host, log_level)
        except BaseException:
            self._socket.close()
            raise

    def _prepare(self, journal: Journal, host: str, log_level: str) -> None:
        self.port: int = self._socket.getsockname()[1]
        self._token = secrets.token_urlsafe(32)
        url_host = url_host_for(host)
        self.url = f"http://{url_host}:{self.port}/"
        allowed: tuple[str, ...] = ("127.0.0.1", "localhost")
        if url_host not in allowed:
            allowed += (url_host,)
        if self.remote and host not in allowed:
            allowed += (host,)
        extra = {} if self._backup_check_s is None else {"backup_check_s": self._backup_check_s}
        self.app = create_app(
            journal, token=self._token, port=self.port, allowed_hosts=allowed, **extra
        )
        folder = runtime_dir(journal.data_dir)
        sweep_runtime(folder)
        guard = self.app.state.guard
        action = f"{self.url}auth"
        self.redirect_file = folder / f"open-{self.port}.html"
        self._closed = False

        def rewrite(key: str) -> None:
            if not self._closed:
                write_redirect_file(folder, self.port, action, key)

        guard.on_new_signin_key = rewrite
        write_redirect_file(folder, self.port, action, guard.signin_key)
        config = uvicorn.Config(
            self.app,
            access_log=False,
            log_level=log_level,
            server_header=False,
            date_header=False,
            lifespan="on",  # the daily backup runs in the app's lifespan
            proxy_headers=False,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        _install_redaction()

    @property
    def token(self) -> str:
        """The launch token, for scripts (``Authorization: token …``). Never printed or logged."""
        return self._token

    @property
    def signin_key(self) -> str:
        """The current one-time sign-in key (the one the sign-in file holds)."""
        return self.app.state.guard.signin_key

    def run(self) -> None:
        """Serve until interrupted (Ctrl+C or SIGTERM), then remove the sign-in file."""
        try:
            with _sigterm_as_exit(self._server):
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
        self._closed = True
        with contextlib.suppress(FileNotFoundError):
            self.redirect_file.unlink()
        with contextlib.suppress(OSError):
            self._socket.close()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Termination:
    """What a SIGTERM asked, recorded by a handler that only sets flags.

    A handler that raised would be lost now and then: Python runs it between two steps of the
    main thread, and when that step is a weakref callback or a ``__del__``, an exception raised
    there is printed as "ignored" and the server went on running. So the handler records the
    signal and asks uvicorn to stop; the exit code is raised afterwards, from ordinary code.
    """

    def __init__(self, server: uvicorn.Server | None = None) -> None:
        self.received: int | None = None
        self.server = server

    def handle(self, signum: int, _frame: object) -> None:
        self.received = signum
        if self.server is not None:
            self.server.should_exit = True


@contextlib.contextmanager
def _sigterm_as_exit(server: uvicorn.Server | None = None):
    """In the main thread, SIGTERM ends the server like Ctrl+C: clean-up runs, and the process
    then exits with 128 + SIGTERM. (uvicorn stops on SIGTERM and then raises it again with the
    handler it found; the default one would end the process on the spot, skipping every
    ``finally``.)"""
    termination = _Termination(server)
    if threading.current_thread() is not threading.main_thread():
        yield termination
        return
    previous = signal.signal(signal.SIGTERM, termination.handle)
    try:
        yield termination
    finally:
        signal.signal(signal.SIGTERM, previous)
    if termination.received is not None:
        raise SystemExit(128 + termination.received)


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
    backup_check_s: float | None = None,
) -> None:
    """Serve ``journal`` on ``host:port`` until interrupted (Ctrl+C).

    Prints (through ``on_ready``) the file to open and the plain address, never the token.
    """
    with _sigterm_as_exit() as termination:  # from the first moment: a SIGTERM while
        server = LocalServer(  # starting cleans up too
            journal, host=host, port=port, allow_remote=allow_remote, backup_check_s=backup_check_s
        )
        termination.server = server._server  # from here a SIGTERM asks uvicorn to stop
        try:
            if server.remote:
                message = text("web.server.remote_warning", host=host)
                warnings.warn(message, stacklevel=2)
                on_ready(message)
            if phone is not None:
                phone_listener.attach(server.app, phone, on_ready)
            file_url = server.redirect_file.as_uri()
            on_ready(text("web.server.open_at", url=server.url))
            on_ready(text("web.server.sign_in_file", file=file_url))
            on_ready(text("web.server.stop"))
            if open_browser and termination.received is None:
                webbrowser.open(file_url)
            if termination.received is None:
                server.run()
        finally:
            server.close()
