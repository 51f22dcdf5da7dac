"""Pictures of the daily loop's pages at desktop and phone widths, each checked for sideways
scroll. They go to a temporary folder; ``INNERPACE_SCREENSHOTS=1`` refreshes ``docs/screenshots``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def shots(tmp_path) -> Path:
    if os.environ.get("INNERPACE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def picture(page, path: Path, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path.name
    page.screenshot(path=str(path), full_page=True)
    assert 5_000 < path.stat().st_size < 2_500_000


@pytest.mark.parametrize("size", SIZES)
def test_pictures_of_today_the_run_page_and_the_log_form(
    open_page, served, journal, shots, size, sign_in
):
    width, height = SIZES[size]
    journal.log_run(
        at=datetime.now(UTC) - timedelta(minutes=75), minutes=42, km=7.1, name="Morning loop"
    )
    page, watch = open_page(width, height)
    sign_in(page, served.server)
    page.goto(served.server.url + "today")
    assert page.locator("#after-offer").is_visible()
    picture(page, shots / f"today-{size}.png", width)
    page.goto(f"{served.server.url}runs/{served.ids['calm']}")
    assert page.get_by_role("link", name="Change title, where, with whom").is_visible()
    picture(page, shots / f"run-edit-links-{size}.png", width)
    page.goto(served.server.url + "runs/new")
    picture(page, shots / f"log-run-{size}.png", width)
    assert watch.errors == []


RUN_FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"


@pytest.mark.parametrize("size", SIZES)
def test_pictures_of_recently_deleted_and_the_undo_question(
    open_page, served, journal, shots, size, sign_in
):
    width, height = SIZES[size]
    detail = journal.run_detail(served.ids["calm"])
    journal.delete("reflection", detail.reflections[0].id)
    journal.delete("checkin", detail.listing.before.id)
    journal.import_paths([RUN_FIT])
    batch = journal.imports()[0]
    imported = next(r.run for r in journal.runs(sports=None) if r.run.source == "fit")
    journal.reflect("Cold hands, warm by the end.", run_id=imported.id)
    page, watch = open_page(width, height)
    sign_in(page, served.server)
    page.goto(served.server.url + "deleted")
    assert page.locator(".trash li").count() == 2
    picture(page, shots / f"recently-deleted-{size}.png", width)
    page.goto(f"{served.server.url}imports/{batch.id}/undo")
    assert page.get_by_role("heading", name="What stays").is_visible()
    picture(page, shots / f"undo-confirm-{size}.png", width)
    assert watch.errors == []
