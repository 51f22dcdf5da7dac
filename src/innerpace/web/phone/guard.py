"""Guards for the phone listener, as pure ASGI middleware.

Outermost first: strict headers on every response, the Host allow-list (only the served
address and ``HOSTNAME.local`` on the phone port), a small body limit, the device gate (a paired
phone's key in its cookie, looked up on every request so an unpaired phone loses access at
once; anything else gets only the pairing page), then Origin, Sec-Fetch-Site and CSRF checks on
every request that is not GET or HEAD.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innerpace.domain import utc_now
from innerpace.phone.pairing import csrf_for, key_hash
from innerpace.services import Journal
from innerpace.web.security import BodyLimit, Guard, host_allowed, send_plain
from innerpace.words import text

DEVICE_COOKIE = "__Host-innerpace_phone"
CSRF_HEADER = "x-csrf-token"
MAX_PHONE_BODY = 256 * 1024
SAFE_METHODS = frozenset({"GET", "HEAD"})
STATE_KEY = "innerpace_phone"
SEEN_EVERY = timedelta(minutes=1)

# What an unpaired phone may open: the pairing page, the authority to install, and the files
# the page itself needs.
OPEN_PATHS = frozenset(
    {
        "/pair",
        "/authority",
        "/authority.mobileconfig",
        "/authority.crt",
        "/authority.pem",
        "/manifest.webmanifest",
        "/static/phone.css",
        "/static/phone-pair.js",
        "/static/phone-icon.svg",
        "/static/phone-icon-192.png",
        "/static/phone-icon-512.png",
    }
)

PHONE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
PHONE_HEADERS = {
    "content-security-policy": PHONE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


@dataclass
class PhoneGuard:
    """What the phone middleware checks against: the served host names and the phone port."""

    port: int
    allowed_hosts: tuple[str, ...]

    def host_ok(self, host: str | None) -> bool:
        return host_allowed(host, self.allowed_hosts, self.port, default_port=443)

    def origin_ok(self, origin: str | None, host: str | None) -> bool:
        if not origin or not host or not self.host_ok(host):
            return False
        return origin.lower() == f"https://{host.lower()}"


class PhoneHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PHONE_HEADERS.items():
                    headers[name] = value
                headers["strict-transport-security"] = "max-age=31536000"
            await send(message)

        await self.app(scope, receive, with_headers)


class PhoneHostGuard:
    def __init__(self, app: ASGIApp, guard: PhoneGuard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] == "http" and not self.guard.host_ok(Headers(scope=scope).get("host")):
            body = (text("web.phone.not_our_address") + "\n").encode()
            await send_plain(send, 400, body, "text/plain")
            return
        await self.app(scope, receive, send)


class DeviceGate:
    """A paired phone's key (cookie) names its device; without one, only the open paths."""

    def __init__(self, app: ASGIApp, journal: Journal, pairing_page: Callable[[], bytes]) -> None:
        self.app = app
        self.journal = journal
        self.pairing_page = pairing_page

    def _identify(self, scope: Scope) -> dict | None:
        cookies = cookie_parser(Headers(scope=scope).get("cookie", ""))
        key = cookies.get(DEVICE_COOKIE)
        if not key or len(key) > 200:
            return None
        digest = key_hash(key)
        records = self.journal.store.phone
        device = records.device_by_key_hash(digest)
        if device is None:
            return None
        now = utc_now()
        if device.last_seen is None or now - device.last_seen >= SEEN_EVERY:
            records.seen(device.id, now)
        return {"device_id": device.id, "name": device.name, "csrf": csrf_for(digest)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        identity = self._identify(scope)
        scope.setdefault("state", {})[STATE_KEY] = identity
        if identity is None and scope["path"] not in OPEN_PATHS:
            await send_plain(send, 403, self.pairing_page(), "text/html; charset=utf-8")
            return
        await self.app(scope, receive, send)


class PhoneOriginGuard:
    """Every non-GET request: exactly our own https origin, same-origin fetch, and for a paired
    phone its CSRF token in ``X-CSRF-Token``. (Pairing itself carries the one-time code.)"""

    def __init__(self, app: ASGIApp, guard: PhoneGuard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        denied = (text("web.phone.not_our_page") + "\n").encode()
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site != "same-origin":
            await send_plain(send, 403, denied, "text/plain")
            return
        if not self.guard.origin_ok(headers.get("origin"), headers.get("host")):
            await send_plain(send, 403, denied, "text/plain")
            return
        identity = scope.get("state", {}).get(STATE_KEY)
        if identity is not None:
            candidate = headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(candidate.encode(), identity["csrf"].encode()):
                await send_plain(send, 403, denied, "text/plain")
                return
        elif scope["path"] != "/pair":
            await send_plain(send, 403, denied, "text/plain")
            return
        await self.app(scope, receive, send)


def phone_middleware(
    guard: PhoneGuard, journal: Journal, pairing_page: Callable[[], bytes]
) -> list[Middleware]:
    # Only its body limits are used: the phone app has no launch token and no upload path.
    unused = secrets.token_urlsafe(32)
    body_guard = Guard(token=unused, port=guard.port, max_body=MAX_PHONE_BODY, upload_paths=())
    return [
        Middleware(PhoneHeaders),
        Middleware(PhoneHostGuard, guard=guard),
        Middleware(BodyLimit, guard=body_guard),
        Middleware(DeviceGate, journal=journal, pairing_page=pairing_page),
        Middleware(PhoneOriginGuard, guard=guard),
    ]


def device_of(scope: Scope) -> dict | None:
    return scope.get("state", {}).get(STATE_KEY)
