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


# A Daylio export in its current layout: the header and first row as a real export has them
# (tests/data/SOURCES.md), the rest in the same shape, written for the tests.
DAYLIO_EXPORT = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    '2017-12-09,December 9,Saturday,01:25,rad,"shopping | 😉 | discussion...","",'
    '"Choir concert and shopping"\n'
    '2017-12-08,December 8,Friday,9:26 pm,good,"friends | movies | good meal","",'
    '"Thai food"\n'
    '2017-12-07,December 7,Thursday,13:24,meh,"😶 | 😕","",""\n'
    '2017-12-06,December 6,Wednesday,12:15 am,awful,"","Long day","Slept badly"\n'
)


@pytest.fixture
def daylio_export(tmp_path: Path) -> Path:
    """``daylio_export.csv`` with four day moods (rad, good, meh, awful), newest first."""
    path = tmp_path / "daylio" / "daylio_export.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text(DAYLIO_EXPORT, encoding="utf-8")
    return path


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


# -- under CI nothing skips for want of what innerpace declares ---------------------------------
# Tests skip with a reason when a declared test dependency (``.[dev]``), Chromium, espeak-ng or
# ``../shared`` is missing: fine on a laptop, never in CI, where a skip would hide that the test
# did not run. This one hook turns every such skip into a failure when ``CI`` is set, whether it
# came from ``pytest.importorskip``, ``skipif`` or ``pytest.skip``: the ones whose reason names
# something missing. (A skip about the data itself — "fitdecode cannot read this file" — stays a
# skip.) A test that may skip in CI for a reason of the machine itself says so with
# ``@pytest.mark.may_skip_in_ci``.
MISSING = (
    "could not import",
    "no module named",
    "../shared",
    "corpus",
    "chromium",
    "espeak-ng",
    "not installed",
    "not present",
    "not available",
    "is absent",
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def _skip_reason(report: pytest.BaseReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_the_skip(report: pytest.BaseReport) -> None:
    reason = _skip_reason(report)
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI, where every declared dependency and ../shared must be present: {reason}"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "may_skip_in_ci: the test may skip in CI for a reason of the machine itself"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if (
        _in_ci()
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("may_skip_in_ci") is None
        and any(word in _skip_reason(report).lower() for word in MISSING)
    ):
        _fail_the_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and any(w in _skip_reason(report).lower() for w in MISSING):
        _fail_the_skip(report)  # a module-level importorskip
