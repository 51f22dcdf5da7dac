"""The daily loop in real Chromium at phone width: log a run, check in around it and read which
run it joined, change your mind, delete and bring back, take an import back out after seeing what
goes and what stays — and a draft that leaves nothing in the browser once the server has it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from phone_pages import draft_storage, fits, signed_in, tap


def test_logging_a_run_and_checking_in_after_it(open_page, served, sign_in, journal):
    page, watch = signed_in(open_page, served, sign_in)
    page.goto(served.server.url + "runs/new")
    assert fits(page)
    page.get_by_label("Minutes").fill("half an hour")
    page.get_by_label("A title").fill("Loop by the canal")
    page.get_by_role("button", name="Log this run").click()
    alert = page.get_by_role("alert")
    assert "The minutes should be a number, like 30, not “half an hour”." in alert.inner_text()
    assert page.get_by_label("A title").input_value() == "Loop by the canal"  # kept as typed
    assert watch.errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    watch.errors.clear()

    page.get_by_label("Minutes").fill("32")
    page.get_by_label("Distance in km").fill("5.4")
    page.get_by_label("Where").select_option(label="Trail")
    page.get_by_label("With whom").select_option(label="Alone")
    page.get_by_role("button", name="Log this run").click()
    page.wait_for_url("**/runs/*?logged=1")
    assert page.get_by_role("heading", name="Loop by the canal").is_visible()
    assert page.get_by_role("heading", name="Logged.").is_visible()
    run = journal.runs(limit=1)[0].run
    assert run.name == "Loop by the canal" and run.setting.value == "trail"
    assert abs((datetime.now(UTC) - run.end).total_seconds()) < 120  # it ended now

    page.get_by_role("link", name="Check in after this run").click()
    page.wait_for_url("**/today?for=*")
    tap(page, "feeling", "2")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/today?saved=after*")
    local = run.local_start
    day = f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
    joined = f"It joined your run on {day} — Loop by the canal."
    assert page.locator(".joined").inner_text().startswith(joined)
    page.get_by_role("link", name="See the run").click()
    after = page.locator(".checkin", has=page.get_by_role("heading", name="After"))
    assert after.locator(".feel-big").inner_text() == "fairly good to good +2"
    assert fits(page)
    assert watch.errors == [] and watch.dialogs == []


def test_today_offers_the_after_checkin_for_a_recent_run(open_page, served, sign_in, journal):
    run = journal.log_run(
        at=datetime.now(UTC) - timedelta(minutes=80), minutes=35, name="Hill repeats"
    )
    page, watch = signed_in(open_page, served, sign_in)
    page.goto(served.server.url + "today")
    offer = page.locator("#after-offer")
    clock = f"{run.local_start.astimezone():%H:%M}"
    assert offer.inner_text() == (
        f"Your run at {clock} has no after check-in — how do you feel now?"
    )
    assert page.locator('input[name="kind"][value="after"]').is_checked()
    tap(page, "feeling", "3")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/today?saved=after*")
    assert "— Hill repeats." in page.locator(".joined").inner_text()
    after = journal.run_detail(run.id).listing.after
    assert after is not None and after.delay_s is not None and after.delay_s > 40 * 60
    page.goto(served.server.url + "today")
    assert page.locator("#after-offer").count() == 0
    assert watch.errors == []


def test_a_before_checkin_says_it_waits_for_the_next_run(open_page, served, sign_in):
    page, watch = signed_in(open_page, served, sign_in)
    page.goto(served.server.url + "today")
    assert page.get_by_text("What are you carrying today?").count() == 0
    tap(page, "feeling", "-1")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/today?saved=before*")
    assert page.locator(".joined").inner_text() == (
        "It will join the next run that starts within 3 hours, when you log or import it."
    )
    assert watch.errors == []


def test_a_draft_leaves_nothing_in_the_browser_once_the_server_has_it(
    open_page, served, sign_in, journal
):
    page, watch = signed_in(open_page, served, sign_in)
    run_id = served.ids["calm"]
    page.goto(f"{served.server.url}reflections/new?run={run_id}")
    page.locator("#reflection-text").press_sequentially("The lake was still", delay=5)
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=10_000)
    assert draft_storage(page) == {}  # the server has the words; the browser keeps none

    # The server can't be reached: only now does the browser keep a copy...
    page.route("**/drafts/**", lambda route: route.abort())
    page.locator("#reflection-text").press_sequentially(" and grey.", delay=5)
    page.locator("#draft-status").filter(has_text="could not be saved").wait_for(timeout=10_000)
    held = draft_storage(page)
    assert list(held) == [f"innerpace-draft:run-{run_id}"]
    assert "still and grey." in held[f"innerpace-draft:run-{run_id}"]

    # ...and lets it go as soon as the server has the words again.
    page.unroute("**/drafts/**")
    page.locator("#draft-status").filter(has_text="Draft kept at").wait_for(timeout=15_000)
    assert draft_storage(page) == {}
    assert journal.saved_draft(f"run-{run_id}").text == "The lake was still and grey."

    page.locator("#reflection-text").press_sequentially(" Geese.", delay=5)
    page.get_by_role("link", name="Leave it for now").click()
    page.wait_for_url(f"**/runs/{run_id}")
    assert draft_storage(page) == {}
    assert journal.saved_draft(f"run-{run_id}").text == "The lake was still and grey. Geese."
    assert watch.errors == [] or all("ERR_FAILED" in e for e in watch.errors)
