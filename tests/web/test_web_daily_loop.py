"""The daily loop over HTTP: log a run, check in around it and see which run it joined, change
your mind, delete and bring back — every page speaking in its own words, never a run's number."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from innerpace.domain import CheckInKind, Reflection


def post(client, web, path: str, data: dict, page: str = "/today"):
    csrf = web.csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf": csrf}, headers={"Origin": web.base})


def visible(html: str) -> str:
    """The words a person reads: tags dropped, spaces collapsed, entities for quotes undone."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&#39;", "'")
    return " ".join(text.replace("&amp;", "&").split())


def on_the_runs_clock(run, moment: datetime) -> datetime:
    """A time as the run's own page shows it: on the runner's clock at the run."""
    return moment.astimezone(run.local_start.tzinfo)


# -- logging a run ------------------------------------------------------------------------
def test_a_run_logged_in_the_browser_ended_now_by_default(client, journal, web):
    before = len(journal.runs(sports=None))
    form = client.get("/runs/new").text
    day = re.search(r'name="ended_day" value="([^"]+)"', form).group(1)
    clock = re.search(r'name="ended_time" value="([^"]+)"', form).group(1)
    assert day == datetime.now().astimezone().date().isoformat()
    response = post(
        client,
        web,
        "/runs",
        {
            "minutes": "30",
            "km": "5,2",
            "setting": "trail",
            "company": "with-others",
            "sport": "running",
            "name": "Evening loop",
            "ended_day": day,
            "ended_time": clock,
        },
        page="/runs/new",
    )
    assert response.status_code == 303
    assert len(journal.runs(sports=None)) == before + 1
    run = journal.runs(limit=1)[0].run
    assert run.name == "Evening loop" and run.distance_m == pytest.approx(5200)
    assert run.setting.value == "trail" and run.company.value == "with-others"
    ended = run.end.astimezone()
    assert f"{ended:%H:%M}" == clock  # the minutes are counted back from the end given
    page = client.get(response.headers["location"]).text
    assert "Logged." in page and f"/today?for={run.id}&amp;kind=after" in page


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"minutes": ""}, "Please give how many minutes it lasted."),
        ({"minutes": "half an hour"}, "should be a number, like 30, not “half an hour”."),
        ({"minutes": "0"}, "The minutes should be more than 0 and at most 1440, not 0."),
        ({"minutes": "30", "km": "far"}, "The distance should be a number of kilometres"),
        ({"minutes": "30", "ended_day": "yesterday"}, "The end should be a date and a time"),
        ({"minutes": "30", "ended_day": "2999-01-01", "ended_time": "07:00"}, "later than now"),
    ],
)  # fmt: skip
def test_a_run_form_it_cannot_read_comes_back_as_typed(client, journal, web, fields, said):
    before = journal.store.counts()
    typed = {"name": "Kept title", "km": "", "ended_day": "", "ended_time": "", **fields}
    response = post(client, web, "/runs", typed, page="/runs/new")
    assert response.status_code == 400
    assert said in visible(response.text)
    assert "Nothing was saved." in response.text
    assert "--minutes" not in response.text and "--km" not in response.text
    assert 'value="Kept title"' in response.text
    assert journal.store.counts() == before


# -- a check-in knows its run -------------------------------------------------------------
def test_an_after_checkin_says_which_run_it_joined_by_date_and_title(client, journal, web):
    run = journal.log_run(
        at=datetime.now(UTC) - timedelta(minutes=70), minutes=40, name="Morning loop"
    )
    response = post(client, web, "/checkins", {"kind": "after", "feeling": "2"})
    page = visible(client.get(response.headers["location"]).text)
    local = run.local_start
    label = f"{local:%a} {local.day} {local:%b}, {local:%H:%M} — Morning loop"
    assert f"It joined your run on {label}." in page
    assert f"run {run.id}" not in page


def test_a_before_checkin_with_no_run_yet_says_it_will_join_the_next(client, web):
    response = post(client, web, "/checkins", {"kind": "before", "feeling": "-1"})
    page = visible(client.get(response.headers["location"]).text)
    assert "It will join the next run that starts within 3 hours" in page


def test_today_offers_the_after_checkin_for_the_run_waiting_for_one(client, journal, web):
    run = journal.log_run(at=datetime.now(UTC) - timedelta(minutes=95), minutes=30)
    page = client.get("/today").text
    clock = f"{run.local_start.astimezone():%H:%M}"
    assert f"Your run at {clock} has no after check-in — how do you feel now?" in page
    assert f'name="run" value="{run.id}"' in page
    assert 'name="felt_day"' not in page  # a run that just ended: the feeling is now
    response = post(
        client,
        web,
        "/checkins",
        {"kind": "after", "feeling": "1", "run": str(run.id), "run_kind": "after"},
    )
    assert response.status_code == 303
    after = journal.run_detail(run.id).listing.after
    assert after is not None
    assert after.delay_s == pytest.approx(65 * 60, abs=60)  # the delay is kept
    assert "has no after check-in" not in client.get("/today").text


def test_the_run_page_adds_a_missing_checkin_to_that_run(client, journal, ids, web):
    run_page = client.get(f"/runs/{ids['quiet']}").text
    assert f"/today?for={ids['quiet']}&amp;kind=before" in run_page
    form = client.get(f"/today?for={ids['quiet']}&kind=before").text
    assert "A check-in before your run on" in visible(form)
    data = {"kind": "before", "feeling": "-3", "run": str(ids["quiet"]), "run_kind": "before"}
    assert post(client, web, "/checkins", data).status_code == 303
    assert journal.run_detail(ids["quiet"]).listing.pre_feeling == -3


def test_a_checkin_for_a_past_run_asks_when_it_was_felt_starting_from_the_run(
    client, journal, ids, web
):
    run = journal.run_detail(ids["quiet"]).run
    form = client.get(f"/today?for={ids['quiet']}&kind=after").text
    assert "How did you feel?" in form and "How do you feel right now?" not in form
    end = on_the_runs_clock(run, run.end)
    assert f'name="felt_day" value="{end.date().isoformat()}"' in form
    assert f'name="felt_time" value="{end:%H:%M}"' in form
    assert "Filled in with when the run ended" in visible(form)
    later = end + timedelta(minutes=20)
    data = {
        "kind": "after", "feeling": "2", "run": str(ids["quiet"]), "run_kind": "after",
        "felt_day": later.date().isoformat(), "felt_time": f"{later:%H:%M}",
    }  # fmt: skip
    assert post(client, web, "/checkins", data).status_code == 303
    after = journal.run_detail(ids["quiet"]).listing.after
    assert after.at.replace(second=0, microsecond=0) == later.replace(second=0, microsecond=0)
    assert after.delay_s == pytest.approx(20 * 60, abs=60)


@pytest.mark.parametrize(
    ("kind", "shift", "said"),
    [
        ("before", timedelta(minutes=40), "is about how you felt before run"),
        ("after", timedelta(minutes=-30), "is about how you felt once run"),
    ],
)
def test_a_remembered_time_that_cannot_fit_the_run_is_refused_and_kept_as_typed(
    client, journal, ids, web, kind, shift, said
):
    run = journal.run_detail(ids["quiet"]).run
    when = on_the_runs_clock(run, run.start) + shift
    before = journal.store.counts()
    data = {
        "kind": kind, "feeling": "1", "run": str(ids["quiet"]), "run_kind": kind,
        "felt_day": when.date().isoformat(), "felt_time": f"{when:%H:%M}",
    }  # fmt: skip
    response = post(client, web, "/checkins", data)
    assert response.status_code == 400
    assert said in visible(response.text)
    assert f'name="felt_time" value="{when:%H:%M}"' in response.text
    assert journal.store.counts() == before


def test_a_remembered_time_the_form_cannot_read_is_refused(client, journal, ids, web):
    before = journal.store.counts()
    data = {
        "kind": "before", "feeling": "1", "run": str(ids["quiet"]), "run_kind": "before",
        "felt_day": "yesterday", "felt_time": "",
    }  # fmt: skip
    response = post(client, web, "/checkins", data)
    assert response.status_code == 400
    assert "should be a date and a time" in visible(response.text)
    assert journal.store.counts() == before


def test_a_run_hint_for_one_kind_never_ties_another_kind(client, journal, ids, web):
    data = {"kind": "rest", "feeling": "1", "run": str(ids["quiet"]), "run_kind": "after"}
    assert post(client, web, "/checkins", data).status_code == 303
    assert journal.run_detail(ids["quiet"]).listing.after is None


# -- web words ----------------------------------------------------------------------------
def test_a_moment_place_the_form_cannot_read_keeps_what_was_typed(client, journal, ids, web):
    before = journal.store.counts()
    data = {"at": "by the bridge", "tag": ["release"], "free_tag": "geese", "note": "cold hands"}
    response = post(client, web, f"/runs/{ids['full']}/moments", data, page=f"/runs/{ids['full']}")
    assert response.status_code == 400
    page = response.text
    assert "“by the bridge” is not a place in the run this form can read" in visible(page)
    assert "--at" not in page and f"run {ids['full']}" not in page
    assert 'value="by the bridge"' in page and 'value="geese"' in page
    assert 'value="cold hands"' in page and 'value="release" checked' in page
    assert journal.store.counts() == before


def test_a_moment_past_the_end_is_named_by_the_run_not_its_number(client, ids, web):
    data = {"at": "50min"}
    response = post(client, web, f"/runs/{ids['full']}/moments", data, page=f"/runs/{ids['full']}")
    assert "This run lasted 32 min; 50min is after its end." in visible(response.text)


def test_raw_values_never_show(client, journal, ids):
    day = date(2026, 11, 27)
    note = Reflection(text="a day note", created=datetime(2026, 11, 28, 9, tzinfo=UTC), day=day)
    journal.store.add_reflection(note)
    journal_page = visible(client.get("/journal").text)
    assert "about Fri 27 Nov 2026" in journal_page
    assert "2026-11-27" not in journal_page
    assert re.search(r"about your run of Sat 2 May( 2026)?, 07:30 — Along the river", journal_page)
    assert "about this run" not in journal_page
    run_page = visible(client.get(f"/runs/{ids['full']}").text)
    assert "Came in from a FIT file" in run_page and "Source fit" not in run_page


def test_settings_are_in_the_navigation(client):
    nav = client.get("/").text.split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/settings"' in nav


def test_the_wellbeing_page_reaches_every_answer(client, journal):
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for week in range(43):
        journal.record_wellbeing([week % 6] * 5, at=start + timedelta(days=7 * week))
    first = client.get("/wellbeing").text
    assert first.count('class="history-row"') == 26
    assert "43 answers in all." in visible(first)
    assert 'href="/wellbeing?page=1#history"' in first
    older = client.get("/wellbeing?page=1").text
    assert older.count('class="history-row"') == 17
    assert "Mon 5 Jan 2026" in older and "Older answers" not in older
    assert "Newer answers" in older


def test_one_rounding_rule_for_durations_in_the_web_and_the_cli(client, journal):
    from innerpace.presentation import format_duration

    run = journal.log_run(at=datetime(2026, 3, 1, 8, tzinfo=UTC), minutes=4790 / 60)
    assert format_duration(run.duration_s) == "1 h 20 min"
    assert "1 h 20 min" in client.get(f"/runs/{run.id}").text
    assert format_duration(89.5) == "1 min" and format_duration(90) == "2 min"


def test_no_view_checks_kinds_by_itself(journal):
    """The loop's rules come from the journal: no page keeps its own 3-hour window."""
    from pathlib import Path

    import innerpace.web.views as views

    for path in Path(views.__file__).parent.glob("*.py"):
        source = path.read_text("utf-8")
        assert "timedelta(hours=3)" not in source, path.name
        assert "timedelta(days=7)" not in source or path.name == "wellbeing.py", path.name
    assert CheckInKind.AFTER.value == "after"
