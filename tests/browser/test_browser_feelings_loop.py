"""The feelings loop in real Chromium: check in, run, check in, a moment, words, WHO-5.

And the promise behind the editor: a server killed mid-sentence loses nothing already autosaved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from innerpace.domain import Moment, MomentStatus
from innerpace.services import Journal

SERVE = """
import sys
from pathlib import Path
from innerpace.services import Journal
from innerpace.web import LocalServer

journal = Journal.open(Path(sys.argv[1]))
server = LocalServer(journal, port=0)
print(server.url, server.redirect_file.as_uri(), flush=True)
server.run()
"""


def tap(page, name: str, value: str) -> None:
    """Tap the large button that stands for one radio input."""
    page.locator(f'label:has(input[name="{name}"][value="{value}"])').click()


def test_the_whole_loop_from_checkin_to_journal(open_page, served, journal, sign_in):
    page, watch = open_page(390, 844)
    base = served.server.url
    sign_in(page, served.server)
    page.get_by_role("link", name="Today", exact=True).click()
    page.wait_for_url("**/today")
    assert page.locator('input[name="kind"][value="before"]').is_checked()

    # Before: two taps, a line, save.
    tap(page, "feeling", "-2")
    tap(page, "arousal", "2")
    page.get_by_label("A note").fill("a long week")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/today?saved=before*")
    assert page.get_by_text("Whatever you are carrying").is_visible()
    assert page.get_by_role("link", name="Skip", exact=True).is_visible()
    page.get_by_role("link", name="Skip", exact=True).click()
    page.wait_for_url("**/today")

    # The run: a short one logged by hand, with a lap press.
    start = datetime.now(UTC) + timedelta(seconds=1)
    run = journal.log_run(at=start, minutes=0.05, name="Around the park")
    assert run.id is not None
    journal.store.add_moment(
        Moment(run_id=run.id, at_s=2, status=MomentStatus.SUGGESTED, source="lap")
    )
    # Logging the run tied the before check-in to it, as an import would.
    assert journal.run_detail(run.id).listing.before is not None
    time.sleep(max(0.0, (run.end - datetime.now(UTC)).total_seconds()) + 0.5)

    # After: the page now expects "after"; the offered prompt leads to the editor.
    page.goto(f"{base}today")
    assert page.locator('input[name="kind"][value="after"]').is_checked()
    tap(page, "feeling", "3")
    tap(page, "arousal", "4")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(f"**/today?saved=after*run={run.id}*")
    assert page.get_by_text("Thank you for checking in after your run").is_visible()
    offered = page.locator(".prompt-text").inner_text()
    page.get_by_role("link", name="Write", exact=True).click()
    page.wait_for_url(f"**/reflections/new?run={run.id}&prompt=*")
    assert page.locator(".prompt-text").inner_text() == offered
    page.locator("#reflection-text").fill("Lighter by the *pond*.\nThe week is smaller now.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/runs/{run.id}#reflections")
    assert page.locator(".reflection-text em").inner_text() == "pond"

    # A lap press becomes a moment of release.
    assert page.get_by_text("was this a moment?").is_visible()
    page.get_by_text("Keep it as a moment").click()
    page.locator('label.tag-choice:has(input[value="release"])').first.click()
    page.get_by_role("button", name="Keep this moment").click()
    page.wait_for_url(f"**/runs/{run.id}#moments")
    assert page.locator(".moments .tag", has_text="release").is_visible()
    assert page.locator(".tl-mark").count() == 1
    assert page.get_by_text("was this a moment?").count() == 0

    # WHO-5: five taps of labelled choices.
    page.get_by_role("link", name="Well-being").click()
    page.wait_for_url("**/wellbeing")
    for item, value in zip(
        ("cheerful", "calm", "active", "rested", "interested"), "43344", strict=True
    ):
        tap(page, item, value)
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url("**/wellbeing?saved=1*")
    assert page.get_by_text("Thank you for taking a moment").is_visible()
    assert page.locator(".history-score").first.inner_text() == "72"

    # It all shows: the run page and the Journal.
    page.goto(f"{base}runs/{run.id}")
    feelings = page.locator(".checkins").inner_text()
    assert "bad to fairly bad" in feelings and "good" in feelings and "a long week" in feelings
    page.get_by_role("link", name="Journal", exact=True).click()
    page.wait_for_url("**/journal")
    assert page.get_by_text("The week is smaller now.").is_visible()
    page.get_by_label("Search your words").fill("pond")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/journal?q=pond")
    assert page.locator("mark", has_text="pond").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert watch.errors == []
    assert watch.dialogs == []


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """The web server as its own process (as ``innerpace serve`` runs it): its address and its
    sign-in file, as one line."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http://127.0.0.1:"):
        process.kill()
        pytest.fail("the web server did not start")
    return process, line


def test_a_draft_survives_the_server_being_killed_mid_sentence(open_page, tmp_path, sign_in):
    data_dir = tmp_path / "journal"
    with Journal.open(data_dir) as journal:
        run = journal.log_run(at=datetime.now(UTC) - timedelta(hours=1), minutes=30)
    words = "Halfway round I stopped counting.\nSomething eased"
    page, watch = open_page(390, 844)
    process, auth = start_server(data_dir)
    try:
        base, file_uri = auth.split(" ")
        sign_in(page, file_uri=file_uri, url=base)
        page.goto(f"{base}reflections/new?run={run.id}")
        page.locator("#reflection-text").press_sequentially(words, delay=5)
        page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL

    process, auth = start_server(data_dir)
    try:
        base, file_uri = auth.split(" ")
        sign_in(page, file_uri=file_uri, url=base)
        page.goto(f"{base}reflections/new?run={run.id}")
        assert page.locator("#reflection-text").input_value() == words
        assert page.get_by_text("Restored from a draft saved at").is_visible()
        assert watch.errors == []
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def test_a_newer_copy_in_this_browser_is_offered_back(open_page, served, sign_in):
    page, watch = open_page()
    sign_in(page, served.server)
    run_id = served.ids["calm"]
    page.goto(f"{served.server.url}reflections/new?run={run_id}")
    page.locator("#reflection-text").fill("saved on the server")
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    page.evaluate(
        """key => localStorage.setItem(key, JSON.stringify(
            {text: "typed after the last save", ts: Date.now() + 60000}))""",
        f"innerpace-draft:run-{run_id}",
    )
    page.reload()
    assert page.locator("#reflection-text").input_value() == "saved on the server"
    page.get_by_role("button", name="Bring back the newer copy").click()
    assert page.locator("#reflection-text").input_value() == "typed after the last save"
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    page.reload()
    assert page.locator("#reflection-text").input_value() == "typed after the last save"
    assert page.locator("#local-copy").is_hidden()
    assert watch.errors == []
