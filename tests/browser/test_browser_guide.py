"""The live pacer in real Chromium: it loads, plays on the audio clock, and stops cleanly."""


def test_the_live_pacer_starts_and_stops_without_errors(open_page, served, sign_in):
    page, watch = open_page(390, 844)
    sign_in(page, served.server)
    page.goto(served.server.url + "guide")
    assert page.get_by_role("heading", name="Live pacer").is_visible()
    page.locator("#pacer-cadence").fill("176")
    assert page.locator("#pacer-cadence-out").inner_text() == "176"
    page.get_by_role("button", name="Start").click()
    page.wait_for_function("document.getElementById('pacer').dataset.playing === '1'")
    page.wait_for_timeout(600)  # let a few cues be scheduled on the audio clock
    assert "Playing at 176" in page.locator("#pacer-status").inner_text()
    page.get_by_role("button", name="Stop").click()
    page.wait_for_function("document.getElementById('pacer').dataset.playing === '0'")
    assert page.locator("#pacer-status").inner_text() == "Stopped."
    assert watch.errors == []
    assert watch.dialogs == []
