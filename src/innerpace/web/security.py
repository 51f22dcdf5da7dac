"""Guards for the local web server, as pure ASGI middleware.

Outermost first: security headers on every response, the Host allow-list (DNS rebinding), a
request body limit, the token/cookie gate, then Origin, Sec-Fetch-Site and CSRF checks on every
request that is not GET or HEAD.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innerpace.words import text

COOKIE_NAME = "innerpace_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # activity files and archives sent to the import page
UPLOAD_PATHS = ("/import",)
SAFE_METHODS = frozenset({"GET", "HEAD"})
SIGNIN_PATH = "/auth"
SIGNIN_FIELD = "key"
OPEN_PATHS = frozenset({SIGNIN_PATH, "/healthz"})
OPEN_PREFIXES = ("/static/",)
# GETs that do heavy work (rendering a guided run): only from our own pages or a typed address.
HEAVY_GET_PREFIXES = ("/guide/",)

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}

STATE_KEY = "innerpace"


@dataclass
class Guard:
    """What the middleware checks against: the tokens, the port and the allowed host names.

    Two secrets open the app. The **sign-in key** travels in the private sign-in file and is
    posted to ``/auth``; it works once: using it makes a fresh key, handed to ``on_new_signin_key``
    (the server rewrites the file with it), so a copy left anywhere is worthless. The **launch
    token** lives for the server's life, is never printed, and serves scripts that send
    ``Authorization: token …``.

    The session cookie is a random id signed with a key that lives only in this process; the CSRF
    token is derived from the session id with the same key. Neither is a token.
    """

    token: str = field(repr=False)
    port: int
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    max_body: int = MAX_BODY_BYTES
    max_upload: int = MAX_UPLOAD_BYTES
    upload_paths: tuple[str, ...] = UPLOAD_PATHS
    signin_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    on_new_signin_key: Callable[[str], object] | None = field(default=None, repr=False)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    _signin_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def use_signin_key(self, candidate: str | None) -> bool:
        """True once for the current sign-in key; a fresh key replaces it at once."""
        if not candidate:
            return False
        with self._signin_lock:
            if not hmac.compare_digest(candidate.encode(), self.signin_key.encode()):
                return False
            self.signin_key = secrets.token_urlsafe(32)
            fresh = self.signin_key
        if self.on_new_signin_key is not None:
            self.on_new_signin_key(fresh)
        return True

    def _sign(self, purpose: str, value: str) -> str:
        message = f"{purpose}:{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    @property
    def cookie_name(self) -> str:
        """The session cookie's name carries the port: browsers share cookies across ports, and
        two journals open at once (the demo and your own) must not sign each other out."""
        return f"{COOKIE_NAME}_{self.port}"

    def token_ok(self, candidate: str | None) -> bool:
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def new_session(self) -> str:
        """A fresh cookie value: ``<random id>.<signature>``."""
        session_id = secrets.token_urlsafe(32)
        return f"{session_id}.{self._sign('session', session_id)}"

    def session_id(self, cookie: str | None) -> str | None:
        """The session id inside a valid cookie value, else None."""
        if not cookie or "." not in cookie:
            return None
        session_id, _, signature = cookie.partition(".")
        expected = self._sign("session", session_id)
        return session_id if hmac.compare_digest(signature.encode(), expected.encode()) else None

    def csrf_for(self, session_id: str) -> str:
        return self._sign("csrf", session_id)

    def csrf_ok(self, session_id: str, candidate: str | None) -> bool:
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode(), self.csrf_for(session_id).encode())

    def host_ok(self, host: str | None) -> bool:
        """``host`` (the Host header) names an allowed host on our own port."""
        return host_allowed(host, self.allowed_hosts, self.port, default_port=80)


def host_allowed(host: str | None, names: Sequence[str], port: int, *, default_port: int) -> bool:
    """``host`` (a Host header) is one of ``names`` on ``port``; without a port only when
    ``port`` is the scheme's own (80 for http, 443 for https), as browsers then leave it out."""
    if not host:
        return False
    allowed = {f"{name}:{port}" for name in names}
    if port == default_port:
        allowed.update(names)
    return host.lower() in allowed


async def send_plain(send: Send, status: int, body: bytes, content_type: str) -> None:
    """Answer at once with ``body`` (a refusal, before the app sees the request)."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the strict headers to every response, including errors raised further in."""

    def __init__(self, app: ASGIApp, error_page: bytes = text("web.plain.error").encode()) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await send_plain(
                    send_with_headers, 500, self.error_page, "text/html; charset=utf-8"
                )
            raise


class HostGuard:
    """Answers 400 to any Host header that is not ours (a DNS-rebinding page sends its own)."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = Headers(scope=scope).get("host")
            if not self.guard.host_ok(host):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = (text("web.plain.not_our_address") + "\n").encode()
                await send_plain(send, 400, body, "text/plain; charset=utf-8")
                return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail=text("web.plain.too_large"))


class BodyLimit:
    """413 for bodies over the limit, by Content-Length and by counting what actually arrives."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def _too_large(self, send: Send) -> None:
        body = (text("web.plain.too_large") + "\n").encode()
        await send_plain(send, 413, body, "text/plain; charset=utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        uploads = scope.get("path") in self.guard.upload_paths
        limit = self.guard.max_upload if uploads else self.guard.max_body
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.isdigit():
                body = (text("web.plain.bad_length") + "\n").encode()
                await send_plain(send, 400, body, "text/plain")
                return
            if int(length) > limit:
                await self._too_large(send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(send)


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class AuthGate:
    """Nothing with journal data without the session cookie or ``Authorization: token …``.

    On success the scope's state carries ``{"via": "cookie" | "token", "csrf": …}``.
    """

    def __init__(self, app: ASGIApp, guard: Guard, forbidden_page: bytes) -> None:
        self.app = app
        self.guard = guard
        self.forbidden_page = forbidden_page

    def _identify(self, scope: Scope) -> dict[str, str] | None:
        headers = Headers(scope=scope)
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "token" and self.guard.token_ok(credential.strip()):
            return {"via": "token", "csrf": ""}
        cookies = cookie_parser(headers.get("cookie", ""))
        session_id = self.guard.session_id(cookies.get(self.guard.cookie_name))
        if session_id is not None:
            return {"via": "cookie", "session": session_id, "csrf": self.guard.csrf_for(session_id)}
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        identity = self._identify(scope)
        scope.setdefault("state", {})[STATE_KEY] = identity
        if identity is None and not _is_open(scope["path"]):
            await send_plain(send, 403, self.forbidden_page, "text/html; charset=utf-8")
            return
        await self.app(scope, receive, send)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class OriginGuard:
    """Every request that is not GET or HEAD must come from our own origin, with a CSRF token.

    ``Origin`` must be exactly ``http://<our host>:<port>``; ``Sec-Fetch-Site``, when sent, must be
    ``same-origin`` or ``none``. Cookie sessions must also send the CSRF token (header
    ``X-CSRF-Token``; form field ``csrf`` for small forms; ``?csrf=`` in the address for
    uploads, whose bodies are never read here). Scripts using ``Authorization: token …`` need no
    CSRF token, but an Origin header they send must still match.
    """

    def __init__(self, app: ASGIApp, guard: Guard, forbidden_page: bytes) -> None:
        self.app = app
        self.guard = guard
        self.forbidden_page = forbidden_page

    def _origin_ok(self, headers: Headers, required: bool) -> bool:
        origin = headers.get("origin")
        if origin is None:
            return not required
        expected = {f"http://{name}:{self.guard.port}" for name in self.guard.allowed_hosts}
        host = headers.get("host", "").lower()
        return origin.lower() == f"http://{host}" and origin.lower() in expected

    async def _deny(self, send: Send) -> None:
        await send_plain(send, 403, self.forbidden_page, "text/html; charset=utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] in SAFE_METHODS:
            if scope["path"].startswith(HEAVY_GET_PREFIXES) and not _navigation_ok(scope, headers):
                await self._deny(send)
                return
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and scope["path"] == SIGNIN_PATH:
            # The sign-in file is a file:// page, so its post is cross-site with "Origin: null".
            # The one-time key in the body is the credential; nothing else is read or changed.
            await self.app(scope, receive, send)
            return
        identity = scope.get("state", {}).get(STATE_KEY)
        by_token = identity is not None and identity["via"] == "token"
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            await self._deny(send)
            return
        if not self._origin_ok(headers, required=not by_token):
            await self._deny(send)
            return
        if by_token:
            await self.app(scope, receive, send)
            return
        if identity is None:
            await self._deny(send)
            return
        candidate = headers.get(CSRF_HEADER)
        replay = receive
        content_type = headers.get("content-type", "")
        if candidate is None and content_type.startswith("multipart/form-data"):
            # An upload: the token comes in the address, so the body is never read here (it
            # streams to disk in the view, however large).
            candidate = _query_value(scope, CSRF_FIELD)
        elif candidate is None and content_type.startswith(FORM_TYPES):
            candidate, replay = await _csrf_from_form(scope, receive)
        if not self.guard.csrf_ok(identity["session"], candidate):
            await self._deny(send)
            return
        await self.app(scope, replay, send)


def _query_value(scope: Scope, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def _navigation_ok(scope: Scope, headers: Headers) -> bool:
    """A heavy GET must come from our own pages or the address bar (``Sec-Fetch-Site``), or from
    a script holding the launch token. A page on another local port is *same-site*, not
    same-origin, and is refused."""
    identity = scope.get("state", {}).get(STATE_KEY)
    if identity is not None and identity["via"] == "token":
        return True
    return headers.get("sec-fetch-site") in ("same-origin", "none")


async def _csrf_from_form(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """Read the body once, find the ``csrf`` field, and hand back a receive that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(scope, once).form()
    try:
        value = form.get(CSRF_FIELD)
    finally:
        await form.close()
    return (value if isinstance(value, str) else None), replay


def middleware(guard: Guard, *, forbidden_page: bytes, error_page: bytes) -> list[Middleware]:
    """The whole guard stack, outermost first, for ``Starlette(middleware=…)``."""
    return [
        Middleware(SecurityHeaders, error_page=error_page),
        Middleware(HostGuard, guard=guard),
        Middleware(BodyLimit, guard=guard),
        Middleware(AuthGate, guard=guard, forbidden_page=forbidden_page),
        Middleware(OriginGuard, guard=guard, forbidden_page=forbidden_page),
    ]


def session_cookie_header(name: str, value: str) -> str:
    """The Set-Cookie value for a new session."""
    return f"{name}={value}; HttpOnly; SameSite=Strict; Path=/"


__all__ = [
    "COOKIE_NAME",
    "CONTENT_SECURITY_POLICY",
    "Guard",
    "middleware",
    "session_cookie_header",
]
