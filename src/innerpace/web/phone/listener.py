"""The second listener: HTTPS only, on the home-network address, on its own port.

:class:`PhoneAccess` is the switch. It runs the phone app in the same event loop as the
127.0.0.1 app (one SQLite connection, one thread), so turning it on or off from the Settings
page of a running server is an ``await``. Off closes the listening socket and every open
connection at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import secrets
import socket
import ssl
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import uvicorn
from cryptography.hazmat.primitives import serialization

from innerpace.domain import utc_now
from innerpace.errors import UserError
from innerpace.paths import runtime_dir
from innerpace.phone import address, inbox
from innerpace.phone.authority import Names, served_names
from innerpace.phone.keys import ListenerCredentials, credentials_for, own_certificate
from innerpace.phone.pairing import PairingCodes
from innerpace.services import Journal
from innerpace.words import text

DEFAULT_PHONE_PORT = 8766
KEEP_EVERY_S = 60.0
RENEW_EVERY_S = 6 * 3600.0
log = logging.getLogger("innerpace")


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the signal handlers to the main server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _tls_context(creds: ListenerCredentials, folder: Path) -> ssl.SSLContext:
    """A TLS 1.2+ server context holding ``creds``. Python reads keys only from files: the key
    is written encrypted under a one-use password, read, and removed at once."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    load_into(context, creds, folder)
    return context


def load_into(context: ssl.SSLContext, creds: ListenerCredentials, folder: Path) -> None:
    password = secrets.token_urlsafe(24)
    key = serialization.load_pem_private_key(creds.leaf.key_pem, password=None)
    sealed = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )
    stem = folder / f"phone-{secrets.token_hex(6)}"
    cert_path, key_path = stem.with_suffix(".crt"), stem.with_suffix(".key")
    try:
        for path, data in ((cert_path, creds.leaf.cert_pem), (key_path, sealed)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path, password=password)
    finally:
        for path in (cert_path, key_path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(
            text("web.phone.cannot_listen", host=host, port=port, reason=exc.strerror or exc)
        ) from None
    sock.listen(64)
    return sock


class PhoneAccess:
    """Phone access for one journal: off until :meth:`start`, closed again by :meth:`stop`.

    ``host`` is the address to serve on (found in the home network when None); ``cert_file``
    and ``key_file`` use the person's own certificate instead of innerpace's authority.
    """

    def __init__(
        self,
        journal: Journal,
        *,
        host: str | None = None,
        port: int = DEFAULT_PHONE_PORT,
        cert_file: Path | None = None,
        key_file: Path | None = None,
        wanted: bool = False,
    ) -> None:
        if (cert_file is None) != (key_file is None):
            raise UserError(text("web.phone.cert_and_key"))
        if host is not None:
            try:
                ipaddress.ip_address(host)
            except ValueError:
                raise UserError(text("web.phone.host_not_ip", host=repr(host))) from None
        self.journal = journal
        self.chosen_host = host
        self.port = port
        self.cert_file = cert_file
        self.key_file = key_file
        self.wanted = wanted
        self.codes = PairingCodes()
        self.label = address.hostname().split(".")[0] or "this computer"
        self.host: str | None = None
        self.names: Names | None = None
        self.credentials: ListenerCredentials | None = None
        self._server: _QuietServer | None = None
        self._task: asyncio.Task | None = None
        self._keeper: asyncio.Task | None = None
        self._context: ssl.SSLContext | None = None
        self._socket: socket.socket | None = None
        self.problem: str | None = None
        self.announce: Callable[[str], object] = lambda _line: None

    # -- what the pages show -----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def url(self) -> str | None:
        if self.host is None:
            return None
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{shown}:{self.port}/"

    @property
    def name_url(self) -> str | None:
        if self.names is None or not self.names.dns:
            return None
        return f"https://{self.names.dns[0]}:{self.port}/"

    def pairing_link(self, code: str) -> str:
        """The link in the QR code: the code rides in the fragment, never sent in a request
        line and removed from the address bar by the page at once."""
        return f"{self.url}pair#{code}"

    # -- on and off --------------------------------------------------------------------------
    def _prepare(self, now: datetime) -> None:
        host = self.chosen_host or address.home_address()
        if host is None:
            raise UserError(text("web.phone.no_address"))
        self.host = host
        self.names = served_names([host], address.hostname())
        if self.cert_file is not None and self.key_file is not None:
            try:
                self.credentials = own_certificate(
                    self.cert_file.read_bytes(), self.key_file.read_bytes()
                )
            except (OSError, ValueError) as exc:
                raise UserError(text("web.phone.bad_certificate", reason=exc)) from None
        else:
            self.credentials = credentials_for(
                self.journal.store.phone, self.names, now, label=self.label
            )

    async def start(self) -> None:
        """Listen for phones (HTTPS only). Returns once the listener accepts connections."""
        if self.running:
            return
        from innerpace.web.phone.app import create_phone_app

        self._prepare(utc_now())
        assert self.host is not None and self.names is not None and self.credentials
        folder = runtime_dir(self.journal.data_dir)
        self._context = _tls_context(self.credentials, folder)
        self._socket = _bind(self.host, self.port)
        self.port = self._socket.getsockname()[1]
        hosts = (self.host, *self.names.dns)
        app = create_phone_app(self, port=self.port, allowed_hosts=hosts)
        config = uvicorn.Config(
            app,
            access_log=False,
            log_level="warning",
            server_header=False,
            date_header=False,
            lifespan="off",
            proxy_headers=False,
            timeout_graceful_shutdown=1,
        )
        config.load()
        config.ssl = self._context  # TLS only: the server answers nothing in plain HTTP
        self._server = _QuietServer(config)
        self._task = asyncio.get_running_loop().create_task(
            self._server.serve(sockets=[self._socket])
        )
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise UserError(text("web.phone.stopped_starting"))
            await asyncio.sleep(0.01)
        self._keeper = asyncio.get_running_loop().create_task(self._keep())
        self._follow_changes()
        self.wanted = True
        self.problem = None
        self.announce(text("web.phone.on", url=self.url))
        if self.credentials.authority_fingerprint:
            self.announce(
                text("web.phone.fingerprint", fingerprint=self.credentials.authority_fingerprint)
            )

    async def stop(self) -> None:
        """Close the listener and every phone connection now."""
        self.wanted = False
        self.codes.cancel()
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, timeout=5)
            self._task = None
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
        self._server = None

    def _follow_changes(self) -> None:
        """Where the journal announces its writes (``journal.changes.subscribe``), a moment
        marked on the phone joins its run as soon as the run is written; otherwise the upkeep
        loop below does it within a minute."""
        changes = getattr(self.journal, "changes", None)
        subscribe = getattr(changes, "subscribe", None)
        if subscribe is None or getattr(self, "_following", False):
            return
        journal = self.journal

        def on_change(change: object) -> None:
            if getattr(change, "kind", "") in ("run", "import", "undo", "trash"):
                try:
                    inbox.join_waiting_moments(journal)
                except Exception:  # noqa: BLE001 - a write that landed must not fail here
                    log.warning("phone moments could not join their run", exc_info=True)

        subscribe(on_change)
        self._following = True

    async def _keep(self) -> None:
        """While on: moments from the phone join runs that have arrived; the certificate is
        renewed before it runs out."""
        since_renewal = 0.0
        while True:
            await asyncio.sleep(KEEP_EVERY_S)
            since_renewal += KEEP_EVERY_S
            try:
                inbox.join_waiting_moments(self.journal)
                if since_renewal >= RENEW_EVERY_S:
                    since_renewal = 0.0
                    self.renew_if_due(utc_now())
            except Exception:  # noqa: BLE001 - keeping must never stop the listener
                log.warning("phone upkeep failed", exc_info=True)

    def renew_if_due(self, now: datetime) -> bool:
        """Issue a fresh certificate when the current one has under 30 days; new connections
        get it at once. Returns True when it changed."""
        if self.cert_file is not None or self.names is None or self._context is None:
            return False
        fresh = credentials_for(self.journal.store.phone, self.names, now, label=self.label)
        if self.credentials is not None and fresh.leaf.cert_pem == self.credentials.leaf.cert_pem:
            return False
        self.credentials = fresh
        load_into(self._context, fresh, runtime_dir(self.journal.data_dir))
        return True


def attach(app, access: PhoneAccess, on_ready: Callable[[str], object] | None = None):
    """Give the 127.0.0.1 app its phone switch (the Settings page turns it on and off)."""
    app.state.phone = access
    if on_ready is not None:
        access.announce = on_ready
    return access


def serve_together(server: uvicorn.Server, sock: socket.socket, access: PhoneAccess | None):
    """Run the 127.0.0.1 server, with phone access on from the start when it was asked for."""

    async def main() -> None:
        if access is not None and access.wanted:
            await access.start()
        try:
            await server.serve(sockets=[sock])
        finally:
            if access is not None:
                await access.stop()

    asyncio.run(main())
