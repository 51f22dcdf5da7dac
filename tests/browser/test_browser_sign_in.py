"""Signing in as a person does: the printed file, a new tab, a bookmark, a second browser."""

from __future__ import annotations

import pytest

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_the_printed_file_lands_on_the_journal_and_a_new_tab_stays_signed_in(
    browser, served, size, tmp_path
):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        server = served.server
        page.goto(server.redirect_file.as_uri())  # what `make run` opens and `serve` prints
        page.wait_for_url(server.url)
        assert page.get_by_role("heading", name="Recent runs and walks").is_visible()
        assert page.get_by_text("Morning by the lake").is_visible()
        assert "needs innerpace's own link" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"signed-in-{size}.png"))
        # Nothing of the key in the history: the file posts it, the URL never carries it.
        history = page.evaluate("history.length")
        assert "key=" not in page.url and "token=" not in page.url
        assert history <= 3

        # The app's address pasted into a new tab (or a bookmark): still signed in.
        tab = context.new_page()
        response = tab.goto(server.url)
        assert response is not None and response.status == 200
        assert tab.get_by_role("heading", name="Recent runs and walks").is_visible()
        response = tab.goto(f"{server.url}runs/{served.ids['calm']}")
        assert response is not None and response.status == 200
        assert tab.get_by_role("heading", name="How it felt").is_visible()

        # The same file link pasted in a new tab signs in again: the file holds a fresh key.
        again = context.new_page()
        again.goto(server.redirect_file.as_uri())
        again.wait_for_url(server.url)
        assert again.get_by_role("heading", name="Recent runs and walks").is_visible()
        assert errors == []
    finally:
        context.close()


def test_a_second_browser_signs_in_from_the_same_file(browser, served):
    server = served.server
    first = browser.new_context()
    second = browser.new_context()  # its own cookie jar, like another browser
    try:
        one = first.new_page()
        one.goto(server.redirect_file.as_uri())
        one.wait_for_url(server.url)
        two = second.new_page()
        two.goto(server.redirect_file.as_uri())
        two.wait_for_url(server.url)
        assert two.get_by_text("Morning by the lake").is_visible()
        assert one.reload() is not None
        assert one.get_by_text("Morning by the lake").is_visible()
    finally:
        first.close()
        second.close()


def test_a_used_key_opens_nothing(browser, served):
    """A copy of the sign-in page kept from before (a saved file, a synced folder) is spent."""
    server = served.server
    stale_copy = server.redirect_file.with_name("kept-copy.html")
    stale_copy.write_text(server.redirect_file.read_text("utf-8"), "utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.redirect_file.as_uri())
        page.wait_for_url(server.url)
        other = browser.new_context()
        try:
            spent = other.new_page()
            spent.goto(stale_copy.as_uri())
            spent.wait_for_load_state()
            spent.get_by_text("already been used").wait_for()
            assert "Morning by the lake" not in spent.content()
        finally:
            other.close()
    finally:
        context.close()
        stale_copy.unlink()
