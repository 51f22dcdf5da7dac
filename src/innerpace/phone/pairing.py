"""Pairing a phone: one-time codes, device keys, and a limit on attempts.

A pairing code is good for five minutes and for one phone; a newer code replaces an older one.
Only hashes are kept, of codes and of device keys. Codes live in memory: a restarted server has
none open. Failed attempts are counted over all callers, so guessing cannot be spread out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CODE_LIFETIME = timedelta(minutes=5)
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=5)
MAX_NAME = 40


def key_hash(secret: str) -> str:
    """What is stored for a device key or a code: its SHA-256 (they are long random secrets)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_device_key() -> str:
    return secrets.token_urlsafe(32)


def csrf_for(device_key_hash: str) -> str:
    """The CSRF token of a paired phone: stable across restarts, so an outbox that waited all
    night can still send, and useless without the device's own cookie."""
    return hmac.new(bytes.fromhex(device_key_hash), b"csrf", hashlib.sha256).hexdigest()


def clean_name(name: str) -> str:
    """The name a phone gives itself, trimmed to one short line; "phone" when empty."""
    text = " ".join(str(name).split())[:MAX_NAME].strip()
    return text or "phone"


class PairingRefused(Exception):
    """Why a pairing attempt failed: ``reason`` is wrong, expired, used or too_many."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class PairingCodes:
    """The one open pairing code (by hash), its expiry, and recent failures."""

    lifetime: timedelta = CODE_LIFETIME
    max_failures: int = MAX_FAILURES
    failure_window: timedelta = FAILURE_WINDOW
    _open: tuple[str, datetime] | None = None
    _used: set[str] = field(default_factory=set)
    _expired: set[str] = field(default_factory=set)
    _failures: deque[datetime] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, now: datetime) -> tuple[str, datetime]:
        """A fresh code and when it stops working; any older code stops working now."""
        code = secrets.token_urlsafe(24)
        expires = now + self.lifetime
        with self._lock:
            if self._open is not None:
                self._expired.add(self._open[0])
            self._open = (key_hash(code), expires)
        return code, expires

    def open_until(self, now: datetime) -> datetime | None:
        with self._lock:
            if self._open is None or self._open[1] <= now:
                return None
            return self._open[1]

    def cancel(self) -> None:
        with self._lock:
            if self._open is not None:
                self._expired.add(self._open[0])
            self._open = None

    def _too_many(self, now: datetime) -> bool:
        while self._failures and now - self._failures[0] > self.failure_window:
            self._failures.popleft()
        return len(self._failures) >= self.max_failures

    def redeem(self, code: str, now: datetime) -> None:
        """Use the code (once). Raises :class:`PairingRefused` saying why not."""
        digest = key_hash(code or "")
        with self._lock:
            if self._too_many(now):
                raise PairingRefused("too_many")
            current = self._open
            if current is not None and hmac.compare_digest(digest, current[0]):
                if current[1] <= now:
                    self._expired.add(digest)
                    self._open = None
                    self._failures.append(now)
                    raise PairingRefused("expired")
                self._used.add(digest)
                self._open = None
                return
            self._failures.append(now)
            if digest in self._used:
                raise PairingRefused("used")
            if digest in self._expired:
                raise PairingRefused("expired")
            raise PairingRefused("wrong")
