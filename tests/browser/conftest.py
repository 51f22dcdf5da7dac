"""Real headless Chromium (Debian's, never a downloaded one) against the real server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

# The browser tests' shared page helpers (``phone_pages``) import by name.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

from innerpace.domain import CheckIn, CheckInKind, Moment, MomentStatus, Reflection
from innerpace.instruments import get_instrument
from innerpace.services import Journal
from innerpace.web import LocalServer

CHROMIUM = Path(os.environ.get("INNERPACE_CHROMIUM", "/usr/bin/chromium"))
REBINDING_HOST = "rebind.example"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A DNS-rebinding name: the browser resolves it to our loopback server.
    f"--host-resolver-rules=MAP {REBINDING_HOST} 127.0.0.1",
]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no", "off")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = (
            f"the browser tests need Debian's chromium at {CHROMIUM}"
            " (apt-get install chromium, or set INNERPACE_CHROMIUM)"
        )
        if _truthy(os.environ.get("CI")):
            pytest.fail(reason + "; in CI they must run", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def answers(feeling: int, arousal: int) -> tuple:
    return (
        get_instrument("fs").response({"feeling": feeling}),
        get_instrument("fas").response({"arousal": arousal}),
    )


def fill(journal: Journal) -> dict[str, int]:
    """A calm run with everything, and one whose name and notes are hostile."""
    start = datetime(2026, 6, 1, 6, 45, tzinfo=UTC)
    calm = journal.log_run(at=start, minutes=41, km=7.3, name="Morning by the lake")
    hostile = journal.log_run(at=start + timedelta(days=1), minutes=25, name=SCRIPT + IMG)
    assert calm.id is not None and hostile.id is not None
    journal.store.add_checkin(
        CheckIn(at=start, kind=CheckInKind.BEFORE, run_id=calm.id, responses=answers(-2, 2))
    )
    journal.store.add_checkin(
        CheckIn(at=calm.end, kind=CheckInKind.AFTER, run_id=calm.id, responses=answers(3, 4))
    )
    journal.store.add_moment(Moment(run_id=calm.id, at_s=1500, tags=("clarity",)))
    journal.store.add_moment(
        Moment(run_id=calm.id, at_s=1920, status=MomentStatus.SUGGESTED, source="lap")
    )
    journal.store.add_reflection(
        Reflection(text="Quiet water.\nLighter on the way back.", created=calm.end, run_id=calm.id)
    )
    journal.store.add_checkin(
        CheckIn(
            at=hostile.start,
            kind=CheckInKind.BEFORE,
            run_id=hostile.id,
            responses=answers(0, 3),
            note=IMG,
        )
    )
    journal.store.add_reflection(
        Reflection(text=SCRIPT + "\n" + IMG, created=hostile.end, run_id=hostile.id)
    )
    return {"calm": calm.id, "hostile": hostile.id}


def sign_in_through_the_file(page: Any, file_uri: str, url: str) -> Any:
    """Sign in exactly as a person does: open the printed ``file://`` sign-in page and land on
    the journal at ``url``. Returns the response of that landing page."""
    with page.expect_response(lambda r: r.url == url and r.request.method == "GET") as landing:
        page.goto(file_uri)
    page.wait_for_url(url)
    return landing.value


@pytest.fixture
def sign_in():
    """``sign_in(page, server)`` opens the server's printed sign-in file in ``page``;
    ``sign_in(page, file_uri=…, url=…)`` does the same for a server in another process."""

    def through_file(
        page: Any, server: LocalServer | None = None, *, file_uri: str = "", url: str = ""
    ) -> Any:
        if server is not None:
            file_uri, url = server.redirect_file.as_uri(), server.url
        return sign_in_through_the_file(page, file_uri, url)

    return through_file


@pytest.fixture
def served(journal: Journal) -> Iterator[SimpleNamespace]:
    """The real server on a free loopback port, over a small journal."""
    ids = fill(journal)
    with LocalServer(journal, port=0) as server:
        yield SimpleNamespace(server=server, ids=ids, script=SCRIPT, img=IMG, rebind=REBINDING_HOST)


class PageWatch:
    """Collects dialogs, console errors and page errors so a test can assert there were none."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def open_page(browser):
    """``open_page(width)`` → (page, watch) in a fresh browser context."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page)

    yield make
    for context in contexts:
        context.close()
