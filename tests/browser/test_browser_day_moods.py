"""Day moods in real Chromium at phone width: change one on its own scale from the Journal page,
then delete one and bring it back. The pictures go to a temporary folder;
``INNERPACE_SCREENSHOTS=1`` refreshes ``docs/screenshots``."""

from __future__ import annotations

import os
from pathlib import Path

from phone_pages import PHONE, fits, signed_in, tap

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shots(tmp_path: Path) -> Path:
    if os.environ.get("INNERPACE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def _picture(page, path: Path) -> None:
    assert fits(page), path.name
    page.screenshot(path=str(path), full_page=True)
    assert 5_000 < path.stat().st_size < 2_500_000


def test_a_day_mood_is_changed_deleted_and_brought_back_at_phone_width(
    open_page, served, sign_in, journal, daylio_export, tmp_path
):
    journal.import_paths([daylio_export], workers=1)
    rad, good, *_ = journal.day_moods()
    shots = _shots(tmp_path)
    page, watch = signed_in(open_page, served, sign_in)
    base = served.server.url

    page.goto(f"{base}journal")
    moods = page.locator("ul.day-moods li")
    assert moods.count() == 4
    assert "Daylio mood: good · friends, movies, good meal" in moods.nth(1).inner_text()
    _picture(page, shots / "journal-day-moods-phone.png")

    # Change the second one: a refused form first, then the level, note and tags.
    moods.nth(1).get_by_role("link", name="Change").click()
    page.wait_for_url(f"**/day-moods/{good.id}/edit")
    assert page.get_by_role("heading", name="Change a day mood").is_visible()
    assert page.locator('input[name="mood"][value="4"]').is_checked()
    words = page.locator(".scale-day-mood .choice-word").all_inner_texts()
    assert words == ["awful", "bad", "meh", "good", "rad"]
    assert page.locator('input[name="feeling"]').count() == 0
    face = page.locator('label:has(input[name="mood"][value="2"]) .choice-face').bounding_box()
    assert face is not None and face["height"] >= 44 and face["width"] >= 44  # a thumb's size
    _picture(page, shots / "day-mood-edit-phone.png")
    page.get_by_label("Tags").fill("x" * 41)
    page.get_by_role("button", name="Keep the change").click()
    alert = page.get_by_role("alert")
    assert "longer than 40 characters" in alert.inner_text()
    assert "Nothing was saved." in alert.inner_text()
    assert page.get_by_label("Tags").input_value() == "x" * 41  # kept as typed
    assert watch.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    watch.errors.clear()
    tap(page, "mood", "2")
    page.get_by_label("A note").fill("a long day after all")
    page.get_by_label("Tags").fill("friends, rain")
    page.get_by_role("button", name="Keep the change").click()
    page.wait_for_url("**/journal?done=saved*")
    assert page.get_by_role("status").inner_text().startswith("Changed.")
    changed = page.locator(f"#day-mood-{good.id}").inner_text()
    assert "Daylio mood: bad · friends, rain · a long day after all" in changed
    stored = journal.checkin(good.id)
    assert stored.response("daylio").value("mood") == 2 and stored.batch_id == good.batch_id

    # Delete the first one, see it named plainly in Recently deleted, bring it back.
    page.locator(f"#day-mood-{rad.id}").get_by_role("button", name="Delete").click()
    page.wait_for_url("**/journal?done=deleted*")
    assert page.locator(f"#day-mood-{rad.id}").count() == 0
    assert page.locator("ul.day-moods li").count() == 3
    page.goto(f"{base}deleted")
    day = rad.at.astimezone().strftime("%a %-d %b %Y")
    assert f"Day mood on {day} — rad" in page.locator("main").inner_text()
    _picture(page, shots / "recently-deleted-day-mood-phone.png")
    page.goto(f"{base}journal?done=deleted&kind=checkin&id={rad.id}")
    page.get_by_role("button", name="Bring it back").click()
    page.wait_for_url("**/journal?done=restored*")
    assert page.locator(f"#day-mood-{rad.id}").is_visible()
    assert journal.day_moods()[0] == rad
    assert page.viewport_size == {"width": PHONE[0], "height": PHONE[1]}
    assert watch.errors == [] and watch.dialogs == []
