"""Changing, deleting and bringing back in real Chromium at phone width; taking an import back
out after seeing what goes and what stays."""

from __future__ import annotations

from phone_pages import RUN_FIT, draft_storage, fits, signed_in, tap


def test_changing_deleting_and_bringing_back_what_you_made(open_page, served, sign_in, journal):
    page, watch = signed_in(open_page, served, sign_in)
    run_id = served.ids["calm"]
    base = served.server.url

    # A check-in: change the feeling and the note.
    page.goto(f"{base}runs/{run_id}")
    page.get_by_role("link", name="Change the check-in before").click()
    page.wait_for_url("**/checkins/*/edit")
    assert fits(page)
    tap(page, "feeling", "1")
    page.get_by_label("A note").fill("lighter than I thought")
    page.get_by_role("button", name="Keep the change").click()
    page.wait_for_url(f"**/runs/{run_id}?done=saved*")
    assert page.get_by_role("status").inner_text().startswith("Changed.")
    before = page.locator(".checkin", has=page.get_by_role("heading", name="Before"))
    assert before.locator(".feel-big").inner_text() == "fairly good +1"
    assert before.locator(".note").inner_text() == "lighter than I thought"

    # A moment: its tags and note.
    page.locator("ul.moments:not(.suggested) li").first.get_by_role("link", name="Change").click()
    page.wait_for_url("**/moments/*/edit")
    page.get_by_label("calm", exact=True).check()
    page.get_by_label("A note").fill("the long straight")
    page.get_by_role("button", name="Keep the change").click()
    page.wait_for_url(f"**/runs/{run_id}?done=saved*")
    moment = page.locator("ul.moments:not(.suggested) li").first.inner_text()
    assert "at 25 min" in moment and "calm" in moment and "the long straight" in moment

    # The run's own details.
    page.get_by_role("link", name="Change title, where, with whom").click()
    page.get_by_label("Title").fill("Lake, slowly")
    page.get_by_label("Where").select_option(label="Trail")
    page.get_by_role("button", name="Keep the change").click()
    page.wait_for_url(f"**/runs/{run_id}?done=saved*")
    assert page.get_by_role("heading", name="Lake, slowly", level=1).is_visible()
    assert journal.run_detail(run_id).run.setting.value == "trail"

    # A reflection reopens in the editor, with the same autosave.
    page.locator("#reflections").get_by_role("link", name="Change").click()
    page.wait_for_url("**/reflections/*/edit")
    area = page.locator("#reflection-text")
    assert area.input_value() == "Quiet water.\nLighter on the way back."
    area.press("End")
    area.press_sequentially(" Geese overhead.", delay=5)
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    assert draft_storage(page) == {}
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/runs/{run_id}#reflections")
    assert "Geese overhead." in page.locator("#reflections").inner_text()

    # Delete the moment: it goes to Recently deleted and comes back in one click.
    page.locator("ul.moments:not(.suggested) li").first.get_by_role("button", name="Delete").click()
    page.wait_for_url(f"**/runs/{run_id}?done=deleted*")
    assert "Moved to Recently deleted" in page.get_by_role("status").inner_text()
    assert "the long straight" not in page.locator("#moments").inner_text()
    page.goto(f"{base}deleted")
    assert fits(page)
    row = page.locator(".trash li").first
    assert row.inner_text().startswith("Moment on") and "the long straight" in row.inner_text()
    assert "30 more days" in row.inner_text()
    row.get_by_role("button", name="Bring it back").click()
    page.wait_for_url("**/deleted?done=restored")
    assert page.get_by_text("Brought back.").is_visible()
    assert page.locator(".trash li").count() == 0
    page.goto(f"{base}runs/{run_id}")
    assert "the long straight" in page.locator("#moments").inner_text()

    # Delete a check-in, and bring it back from the line that says it went.
    before_card = page.locator(".checkin", has=page.get_by_role("heading", name="Before"))
    before_card.get_by_role("button", name="Delete", exact=True).click()
    page.wait_for_url(f"**/runs/{run_id}?done=deleted*")
    assert journal.run_detail(run_id).listing.before is None
    page.get_by_role("button", name="Bring it back").click()
    page.wait_for_url(f"**/runs/{run_id}?done=restored*")
    assert journal.run_detail(run_id).listing.before is not None
    assert fits(page)
    assert watch.errors == [] and watch.dialogs == []


def test_taking_an_import_back_out_asks_first_and_keeps_your_words(
    open_page, served, sign_in, journal
):
    page, watch = signed_in(open_page, served, sign_in)
    page.goto(served.server.url + "import")
    page.locator("#files").set_input_files(str(RUN_FIT))
    page.get_by_role("button", name="Bring them in").click()
    page.wait_for_selector(".import-report")
    batch = journal.imports()[0]
    imported = next(r.run for r in journal.runs(sports=None) if r.run.source == "fit")
    journal.reflect("Felt the cold in my hands.", run_id=imported.id)

    page.get_by_role("link", name="Take it back out").first.click()
    page.wait_for_url(f"**/imports/{batch.id}/undo")
    assert fits(page)
    goes = page.locator("section", has=page.get_by_role("heading", name="What goes"))
    stays = page.locator("section", has=page.get_by_role("heading", name="What stays"))
    assert "1 activity it brought" in goes.inner_text()
    assert "Your reflection" in stays.inner_text()
    assert "Felt the cold in my hands." in stays.inner_text()
    assert journal.run_detail(imported.id)  # nothing changed yet

    page.get_by_role("link", name="Keep it").click()
    page.wait_for_url("**/import")
    assert journal.run_detail(imported.id)

    page.get_by_role("link", name="Take it back out").first.click()
    page.get_by_role("button", name="Take it back out").click()
    page.wait_for_url("**/import")
    assert all(r.run.id != imported.id for r in journal.runs(sports=None))
    kept = [r for r in journal.reflections() if r.text == "Felt the cold in my hands."]
    assert len(kept) == 1  # the person's words stay, waiting without a run
    assert watch.errors == []
