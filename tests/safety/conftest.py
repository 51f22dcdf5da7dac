"""Shared fixtures for the safety tests."""

from __future__ import annotations

import pytest

from innerpace.store import crypto


@pytest.fixture
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with small memory keeps the tests quick; the parameters travel in the file, so
    what is written under them opens as any journal does."""
    monkeypatch.setattr(crypto, "ARGON2_MEMORY_KIB", 1024)
    monkeypatch.setattr(crypto, "ARGON2_TIME_COST", 1)
