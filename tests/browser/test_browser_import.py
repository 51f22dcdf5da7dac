"""Bringing a run in from the browser, in real Chromium."""

from pathlib import Path

RUN_FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"


def test_a_file_chosen_in_the_browser_comes_in_and_can_be_undone(open_page, served, sign_in):
    page, watch = open_page(390, 844)
    sign_in(page, served.server)
    page.goto(served.server.url + "import")
    page.locator("#files").set_input_files(str(RUN_FIT))
    page.get_by_role("button", name="Bring them in").click()
    page.wait_for_selector(".import-report")
    assert "1 activity brought in" in page.locator(".import-report").inner_text()
    page.get_by_role("link", name="Take it back out").first.click()
    page.wait_for_url("**/imports/*/undo")
    page.get_by_role("button", name="Take it back out").click()
    page.wait_for_url("**/import")
    assert page.locator(".import-report").count() == 0
    assert watch.errors == []
