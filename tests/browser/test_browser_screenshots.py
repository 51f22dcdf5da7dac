"""Home and run pages on the demo journal, at desktop and phone widths.

The pictures go to a temporary folder; set ``INNERPACE_SCREENSHOTS=1`` to refresh the ones in
``docs/screenshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from innerpace.services import Journal
from innerpace.web import LocalServer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def a_telling_run(journal: Journal) -> int:
    """A recent run with moments, a suggested moment and a reflection, to show the page whole."""
    for listing in journal.runs(limit=80):
        run_id = listing.run.id
        assert run_id is not None
        detail = journal.run_detail(run_id)
        if (
            detail.reflections
            and detail.suggested_moments
            and len(detail.moments) > len(detail.suggested_moments)
            and listing.before is not None
            and listing.after is not None
        ):
            return run_id
    return journal.runs(limit=1)[0].run.id or 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    try:
        journal = Journal.open(tmp_path_factory.mktemp("demo") / "journal", demo=True)
    except ImportError as exc:  # the demo generator is optional for these pictures
        pytest.skip(f"the demo journal is not available: {exc}")
    with journal, LocalServer(journal, port=0) as server:
        yield server, a_telling_run(journal)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    if os.environ.get("INNERPACE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_home_and_a_run(browser, demo, shots, size, sign_in):
    server, run_id = demo
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda d: errors.append("dialog: " + d.message))
        sign_in(page, server)
        assert page.locator(".run-row").count() == 30
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        home = shots / f"home-{size}.png"
        page.screenshot(path=str(home))
        page.goto(f"{server.url}runs/{run_id}")
        assert page.get_by_role("heading", name="How it felt").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        run = shots / f"run-{size}.png"
        page.screenshot(path=str(run), full_page=True)
        assert errors == []
        for path in (home, run):
            assert 5_000 < path.stat().st_size < 1_500_000
    finally:
        context.close()
