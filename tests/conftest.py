"""Shared fixtures: a fresh journal in a temporary folder for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from innerpace.services import Journal

# Shared machines are slow at times: no per-example deadline. In CI the examples are derived
# from each test's name, so a run is repeatable; locally they are fresh every time.
settings.register_profile("innerpace", deadline=None)
settings.register_profile("innerpace-ci", deadline=None, derandomize=True, database=None)
settings.load_profile("innerpace-ci" if os.environ.get("CI") else "innerpace")

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The shared folder of real device files (``fit/``, ``gpx/``, ``tcx/``) beside the worktree.
#: Tests reach it through the ``corpus`` fixture, never through a path of their own.
CORPUS = (REPO_ROOT / ".." / "shared" / "corpus").resolve()
TEST_DATA = REPO_ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test ever touches the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INNERPACE_HOME", str(home / "journal"))
    monkeypatch.setenv("INNERPACE_DEMO_HOME", str(home / "demo"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "journal"


@pytest.fixture
def journal(data_dir: Path) -> Iterator[Journal]:
    with Journal.open(data_dir) as opened:
        yield opened


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real device files; a test using it is marked ``corpus``.

    Where the corpus is missing the test is skipped, except under ``CI``, where that fails.
    """
    if not CORPUS.is_dir():
        reason = f"the shared device-file corpus is not present at {CORPUS}"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(reason + "; under CI it must be", pytrace=False)
        pytest.skip(reason)
    return CORPUS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "corpus" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)
