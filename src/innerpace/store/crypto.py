"""The journal's data key and the small key file that keeps it wrapped.

A random 256-bit data key opens the encrypted database. It is never stored as it is: the key
file beside the journal (``journal.key.json``, mode 0600) holds it twice, each time wrapped with
AES-256-GCM — once under a key derived from the passphrase by Argon2id (random salt, parameters
stored), once under the recovery key (32 random bytes, shown once, through HKDF-SHA256).
Changing the passphrase rewraps the data key; the database itself is not touched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from innerpace.errors import UserError
from innerpace.words import text

KEY_FILE = "journal.key.json"
KEY_FORMAT = "innerpace-key"
KEY_VERSION = 1
DATA_KEY_BYTES = 32
RECOVERY_KEY_BYTES = 32
MIN_PASSPHRASE = 8
# Argon2id: 64 MiB, 3 passes, 4 lanes (about 0.3 s here); kept in the file so they can grow.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4
# What a key file may ask for: anything outside is damage or tampering, not a setting. (A
# doctored file asking for 2^31 KiB or a million passes would exhaust memory or hang.)
ARGON2_BOUNDS = {
    "time_cost": (1, 20),
    "memory_kib": (1024, 2 * 1024 * 1024),
    "parallelism": (1, 64),
}
SALT_BYTES = (8, 64)


class JournalLocked(UserError):
    """The journal is encrypted and no passphrase or recovery key was given."""


class WrongPassphrase(UserError):
    """The passphrase or recovery key does not open this journal."""


class KeyFileProblem(UserError):
    """The key file is missing or cannot be read."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_key() -> str:
    """32 random bytes as base32 in groups of four, e.g. ``ABCD-EFGH-…``."""
    letters = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    letters = letters.rstrip("=")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _recovery_bytes(recovery_key: str) -> bytes:
    letters = "".join(ch for ch in recovery_key.upper() if ch.isalnum())
    letters = letters.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(letters + "=" * (-len(letters) % 8))
    except ValueError:
        raise WrongPassphrase(text("store.keys.wrong_recovery_key")) from None
    if len(raw) != RECOVERY_KEY_BYTES:
        raise WrongPassphrase(text("store.keys.wrong_recovery_key"))
    return raw


def check_passphrase(passphrase: str) -> str:
    """A new passphrase must be at least :data:`MIN_PASSPHRASE` characters."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(text("store.keys.short_passphrase", least=MIN_PASSPHRASE))
    return passphrase


def _argon2(passphrase: str, salt: bytes, time_cost: int, memory_kib: int, lanes: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=lanes,
        hash_len=32,
        type=Type.ID,
    )


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt, b"innerpace recovery key v1").derive(secret)


def _seal(wrapping_key: bytes, data_key: bytes, purpose: str) -> dict[str, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(wrapping_key).encrypt(nonce, data_key, f"{KEY_FORMAT}:{purpose}".encode())
    return {"cipher": "AES-256-GCM", "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}


def _open_seal(wrapping_key: bytes, sealed: dict[str, Any], purpose: str) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(wrapping_key).decrypt(
            _unb64(sealed["nonce"]),
            _unb64(sealed["wrapped_key"]),
            f"{KEY_FORMAT}:{purpose}".encode(),
        )
    except (InvalidTag, KeyError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class KeyFile:
    """The parsed key file: the data key wrapped under the passphrase and the recovery key."""

    content: dict[str, Any]

    @classmethod
    def create(cls, data_key: bytes, passphrase: str) -> tuple[KeyFile, str]:
        """A key file for ``data_key``; returns it with the new recovery key (show it once)."""
        recovery_key = new_recovery_key()
        recovery_salt = secrets.token_bytes(16)
        recovery = _seal(_hkdf(_recovery_bytes(recovery_key), recovery_salt), data_key, "recovery")
        recovery["kdf"] = "hkdf-sha256"
        recovery["salt"] = _b64(recovery_salt)
        content = {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "database": "sqlcipher4-raw-key",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "passphrase": {},
            "recovery": recovery,
        }
        return cls(content).with_passphrase(data_key, passphrase), recovery_key

    def with_passphrase(self, data_key: bytes, passphrase: str) -> KeyFile:
        """The same key file with the data key wrapped under a new passphrase (new salt)."""
        salt = secrets.token_bytes(16)
        params = {
            "name": "argon2id",
            "time_cost": ARGON2_TIME_COST,
            "memory_kib": ARGON2_MEMORY_KIB,
            "parallelism": ARGON2_PARALLELISM,
            "salt": _b64(salt),
        }
        wrap_key = _argon2(
            passphrase, salt, ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM
        )
        sealed = _seal(wrap_key, data_key, "passphrase")
        content = dict(self.content)
        content["passphrase"] = {"kdf": params, **sealed}
        content["changed"] = datetime.now(UTC).isoformat(timespec="seconds")
        return KeyFile(content)

    def unwrap(self, passphrase: str) -> bytes:
        """The data key, or :class:`WrongPassphrase`."""
        wrap = self.content.get("passphrase") or {}
        try:
            kdf = wrap["kdf"]
            if kdf.get("name") != "argon2id":
                raise KeyFileProblem(
                    text("store.keys.unknown_method", method=repr(kdf.get("name")))
                )
            params = {name: kdf[name] for name in ARGON2_BOUNDS}
            salt = _unb64(kdf["salt"])
        except (KeyError, ValueError, TypeError, AttributeError):
            raise KeyFileProblem(text("store.keys.damaged_passphrase_part")) from None
        for name, (low, high) in ARGON2_BOUNDS.items():
            value = params[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise KeyFileProblem(
                    text(
                        "store.keys.damaged_setting",
                        name=name,
                        value=repr(value),
                        low=low,
                        high=high,
                    )
                )
        if not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
            raise KeyFileProblem(text("store.keys.damaged_salt"))
        wrap_key = _argon2(
            passphrase, salt, params["time_cost"], params["memory_kib"], params["parallelism"]
        )
        key = _open_seal(wrap_key, wrap, "passphrase")
        if key is None:
            raise WrongPassphrase(text("store.keys.wrong_passphrase"))
        return key

    def unwrap_recovery(self, recovery_key: str) -> bytes:
        """The data key from the recovery key, or :class:`WrongPassphrase`."""
        wrap = self.content.get("recovery") or {}
        try:
            salt = _unb64(wrap["salt"])
        except (KeyError, ValueError, TypeError):
            raise KeyFileProblem(text("store.keys.damaged_recovery_part")) from None
        key = _open_seal(_hkdf(_recovery_bytes(recovery_key), salt), wrap, "recovery")
        if key is None:
            raise WrongPassphrase(text("store.keys.wrong_recovery_key"))
        return key

    @property
    def recovery_fingerprint(self) -> str:
        """Names the data key this file wraps, without revealing it: the recovery part is
        written once, at ``lock``, and kept by every passphrase change."""
        part = json.dumps(self.content.get("recovery") or {}, sort_keys=True)
        return hashlib.sha256(part.encode()).hexdigest()[:16]

    def open_with(self, passphrase: str | None, recovery_key: str | None) -> bytes:
        """The data key from whichever secret was given (recovery key first)."""
        if recovery_key:
            return self.unwrap_recovery(recovery_key)
        if passphrase is not None:
            return self.unwrap(passphrase)
        raise JournalLocked(text("store.keys.locked"))


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


class KeyFileDamaged(KeyFileProblem):
    """The key file is there but damaged (its checksum or its structure)."""


def _checksum(content: dict[str, Any]) -> str:
    body = {k: v for k, v in content.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def read_key_file(path: Path) -> KeyFile:
    try:
        content = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise KeyFileProblem(text("store.keys.missing", path=path)) from None
    except (OSError, ValueError) as exc:
        raise KeyFileDamaged(text("store.keys.damaged", path=path, reason=exc)) from None
    if not isinstance(content, dict) or content.get("format") != KEY_FORMAT:
        raise KeyFileDamaged(text("store.keys.not_a_key_file", path=path))
    if content.get("version") != KEY_VERSION:
        raise KeyFileProblem(text("store.keys.newer", path=path))
    if "checksum" in content and content["checksum"] != _checksum(content):
        raise KeyFileDamaged(text("store.keys.damaged_checksum", path=path))
    return KeyFile(content)


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """Temp file in the same folder (``mode``), fsync, ``os.replace``, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def key_file_bytes(key_file: KeyFile) -> bytes:
    content = {**key_file.content, "checksum": _checksum(key_file.content)}
    return (json.dumps(content, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_key_file(path: Path, key_file: KeyFile) -> Path:
    return write_atomically(path, key_file_bytes(key_file), 0o600)
