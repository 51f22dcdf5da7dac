"""Phone-width pictures of the check-in and the reflection editor.

The pictures go to a temporary folder; set ``INNERPACE_SCREENSHOTS=1`` to refresh the ones in
``docs/screenshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = (390, 844)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("INNERPACE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def test_phone_pictures_of_the_checkin_and_the_editor(open_page, served, shots, sign_in):
    width, height = PHONE
    page, watch = open_page(width, height)
    sign_in(page, served.server)
    page.goto(f"{served.server.url}today")
    page.locator('label:has(input[name="feeling"][value="1"])').click()
    page.locator('label:has(input[name="arousal"][value="3"])').click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    checkin = shots / "checkin-phone.png"
    page.screenshot(path=str(checkin), full_page=True)

    page.goto(f"{served.server.url}reflections/new?run={served.ids['calm']}")
    page.locator("#reflection-text").fill(
        "The lake was flat and grey.\n\nSomewhere after the bridge the week felt *smaller*."
    )
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    editor = shots / "reflection-phone.png"
    page.screenshot(path=str(editor), full_page=True)
    assert watch.errors == []
    for path in (checkin, editor):
        assert 5_000 < path.stat().st_size < 1_500_000
