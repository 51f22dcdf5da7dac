"""The feelings pages over HTTP: each renders, each write changes the journal as asked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from innerpace.domain import MomentStatus


def post(client, web, path: str, data: dict, page: str = "/today"):
    """A same-origin form post with the page's CSRF token (list values repeat a field)."""
    csrf = web.csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf": csrf}, headers={"Origin": web.base})


@pytest.mark.parametrize(
    "path", ["/today", "/journal", "/journal?q=bridge", "/wellbeing", "/reflections/new"]
)
def test_each_feelings_page_renders_with_our_own_scripts_only(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.text
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts[0] == '<script src="/static/htmx.min.js" defer>'
    assert set(scripts[1:]) <= {'<script src="/static/editor.js" defer>'}
    assert "<style" not in page and " style=" not in page
    assert re.search(r"<[a-z][^>]*\son[a-z]+=", page) is None
    for link in ("/today", "/journal", "/wellbeing"):
        assert f'href="{link}"' in page


def test_today_offers_every_feeling_and_arousal_as_a_radio_button(client):
    page = client.get("/today").text
    for value in range(-5, 6):
        assert f'name="feeling" value="{value}"' in page
    for value in range(1, 7):
        assert f'name="arousal" value="{value}"' in page
    for word in ("very bad", "fairly bad", "neutral", "fairly good", "very good", "low", "high"):
        assert f">{word}<" in page
    assert "How do you feel right now?" in page
    assert "What are you carrying today?" not in page  # one question, then the prompt after
    assert 'name="kind" value="before" checked' in page  # no run today yet


def test_today_chooses_after_when_a_run_ended_a_little_while_ago(client, journal):
    journal.log_run(at=datetime.now(UTC) - timedelta(minutes=50), minutes=30)
    assert 'name="kind" value="after" checked' in client.get("/today").text


def test_today_mentions_the_wellbeing_check_gently_once_a_week(client, journal):
    assert "takes about a minute" in client.get("/today").text
    journal.record_wellbeing([3, 3, 3, 3, 3], at=datetime.now(UTC) - timedelta(days=8))
    assert "a week or more" in client.get("/today").text
    journal.record_wellbeing([3, 3, 3, 3, 3])
    page = client.get("/today").text
    assert "a week or more" not in page and "well-being check" not in page


def test_a_checkin_is_kept_and_a_prompt_is_offered(client, journal, web):
    before = journal.store.counts()["checkins"]
    response = post(
        client, web, "/checkins", {"kind": "rest", "feeling": "-2", "arousal": "2", "note": "tired"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/today?saved=rest")
    assert journal.store.counts()["checkins"] == before + 1
    kept = journal.store.list_checkins(kinds=["rest-first"])[-1]
    assert kept.response("fs").value("feeling") == -2
    assert kept.response("fas").value("arousal") == 2
    assert kept.note == "tired"
    page = client.get(response.headers["location"]).text
    assert "Rest days belong in the journal too." in page
    assert 'href="/reflections/new' in page and ">Write<" in page and ">Skip<" in page


def test_after_a_run_the_checkin_attaches_and_the_write_link_names_the_run(client, journal, web):
    run = journal.log_run(at=datetime.now(UTC) - timedelta(minutes=45), minutes=30)
    response = post(client, web, "/checkins", {"kind": "after", "feeling": "3"})
    assert response.status_code == 303
    assert f"run={run.id}" in response.headers["location"]
    assert journal.run_detail(run.id).listing.post_feeling == 3
    page = client.get(response.headers["location"]).text
    assert f"/reflections/new?run={run.id}" in page.replace("&amp;", "&")


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "before", "feeling": "7"},
        {"kind": "before", "feeling": ""},
        {"kind": "before", "feeling": "lots"},
        {"kind": "later", "feeling": "1"},
        {"kind": "before", "feeling": "1", "arousal": "9"},
    ],
)
def test_a_bad_checkin_gets_a_calm_400_and_keeps_nothing(client, journal, web, data):
    before = journal.store.counts()
    response = post(client, web, "/checkins", data)
    assert response.status_code == 400
    assert 'class="message"' in response.text
    assert "Nothing was saved." in response.text
    assert "Traceback" not in response.text
    assert journal.store.counts() == before


def test_the_run_page_shows_a_timeline_forms_and_a_write_link(client, journal, ids):
    page = client.get(f"/runs/{ids['full']}").text
    assert 'class="timeline"' in page
    assert "tl-mark pos-13" in page  # 1260 s of 1920 s
    assert "tl-mark pos-3 tl-suggested" in page  # 330 s of 1920 s
    (suggested,) = journal.run_detail(ids["full"]).suggested_moments
    assert f'hx-get="/moments/{suggested.id}/confirm"' in page
    assert f'action="/moments/{suggested.id}/dismiss"' in page
    assert f'hx-get="/runs/{ids["full"]}/moments/new"' in page
    assert f'href="/reflections/new?run={ids["full"]}"' in page


@pytest.mark.parametrize("htmx", [True, False])
def test_the_moment_forms_come_as_a_fragment_or_a_whole_page(client, journal, ids, htmx):
    (suggested,) = journal.run_detail(ids["full"]).suggested_moments
    headers = {"HX-Request": "true"} if htmx else {}
    for path, action in (
        (f"/moments/{suggested.id}/confirm", f"/moments/{suggested.id}/confirm"),
        (f"/runs/{ids['full']}/moments/new", f"/runs/{ids['full']}/moments"),
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        page = response.text
        assert f'action="{action}"' in page
        assert 'name="csrf"' in page and 'name="free_tag"' in page
        for tag in ("release", "tears", "clarity", "calm", "forgiveness", "struggle", "joy"):
            assert f'name="tag" value="{tag}"' in page
        assert ("<html" in page) is not htmx
    assert client.get("/moments/999/confirm").status_code == 404
    assert client.get("/runs/999/moments/new").status_code == 404


def test_a_moment_is_added_at_a_distance_with_tags_and_a_note(client, journal, ids, web):
    run_id = ids["full"]
    data = {"at": "3km", "tag": ["calm", "joy"], "free_tag": "Swans", "note": "hi"}
    response = post(client, web, f"/runs/{run_id}/moments", data, page=f"/runs/{run_id}")
    assert response.status_code == 303
    added = [m for m in journal.run_detail(run_id).moments if m.at_m == 3000]
    assert len(added) == 1
    assert added[0].tags == ("calm", "joy", "swans")
    assert added[0].note == "hi"


@pytest.mark.parametrize("at", ["40min", "9km", "somewhere", ""])
def test_a_moment_past_the_end_or_unreadable_is_refused_calmly(client, journal, ids, web, at):
    before = journal.store.counts()
    run_id = ids["full"]
    response = post(client, web, f"/runs/{run_id}/moments", {"at": at}, page=f"/runs/{run_id}")
    assert response.status_code == 400
    assert 'class="message"' in response.text
    assert "How it felt" in response.text  # the run page again, with the message
    assert journal.store.counts() == before


def test_a_moment_for_an_unknown_run_is_a_calm_404(client, journal, web):
    before = journal.store.counts()
    response = post(client, web, "/runs/999/moments", {"at": "1km"})
    assert response.status_code == 404
    assert "Nothing here" in response.text
    assert journal.store.counts() == before


def test_a_lap_press_is_confirmed_with_tags_or_dismissed(client, journal, ids, web):
    run_id = ids["full"]
    (suggested,) = journal.run_detail(run_id).suggested_moments
    data = {"tag": ["release", "not-a-box"], "free_tag": "bridge", "note": "there"}
    response = post(client, web, f"/moments/{suggested.id}/confirm", data, page=f"/runs/{run_id}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/runs/{run_id}#moments"
    kept = journal.store.get_moment(suggested.id)
    assert kept.status is MomentStatus.CONFIRMED
    assert kept.tags == ("release", "bridge")
    assert kept.note == "there"

    other = journal.store.add_moment(
        type(kept)(run_id=run_id, at_s=100, status=MomentStatus.SUGGESTED, source="lap")
    )
    response = post(client, web, f"/moments/{other}/dismiss", {}, page=f"/runs/{run_id}")
    assert response.status_code == 303
    assert journal.store.get_moment(other).status is MomentStatus.DISMISSED
    assert "was this a moment?" not in client.get(f"/runs/{run_id}").text


def test_an_unknown_moment_is_a_calm_404(client, journal, web):
    before = journal.store.counts()
    for action in ("confirm", "dismiss"):
        assert post(client, web, f"/moments/999/{action}", {}).status_code == 404
    assert journal.store.counts() == before


def test_the_editor_shows_the_prompt_and_saves_a_reflection_to_the_run(client, journal, ids, web):
    run_id = ids["quiet"]
    page = client.get(f"/reflections/new?run={run_id}&prompt=no-such-prompt").text
    assert 'id="reflection-text"' in page
    assert f'data-draft-url="/drafts/run-{run_id}"' in page
    assert 'class="prompt-text"' in page
    before = journal.store.counts()["reflections"]
    response = post(
        client,
        web,
        "/reflections",
        {"text": "Slow and *kind*.", "run": str(run_id), "key": f"run-{run_id}", "prompt": ""},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/runs/{run_id}#reflections"
    assert journal.store.counts()["reflections"] == before + 1
    assert "Slow and <em>kind</em>." in client.get(f"/runs/{run_id}").text


def test_a_reflection_from_the_library_keeps_its_prompt(client, journal, ids, web):
    from innerpace.prompts import all_prompts

    prompt = all_prompts()[0]
    page = client.get(f"/reflections/new?prompt={prompt.id}").text
    assert str(prompt.text.split()[0]) in page
    response = post(client, web, "/reflections", {"text": "A day off.", "prompt": prompt.id})
    assert response.status_code == 303
    assert response.headers["location"] == "/journal"
    kept = journal.store.list_reflections()[-1]
    assert kept.prompt_id == prompt.id and kept.run_id is None


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"text": "   \n "}, 400),
        ({"text": "words", "run": "999"}, 404),
        ({"text": "words", "run": "abc"}, 404),
        ({"text": "words", "key": "../../etc"}, 404),
    ],
)
def test_an_empty_reflection_or_unknown_run_keeps_nothing(client, journal, web, data, status):
    before = journal.store.counts()
    response = post(client, web, "/reflections", data)
    assert response.status_code == status
    assert "Traceback" not in response.text
    assert journal.store.counts() == before


def test_an_empty_reflection_keeps_the_editor_and_says_so(client, web):
    response = post(client, web, "/reflections", {"text": "  ", "key": "day-2026-01-01"})
    assert response.status_code == 400
    assert "empty" in response.text and 'id="reflection-text"' in response.text


def test_the_draft_endpoint_saves_and_a_reload_restores_it(client, journal, ids, web):
    run_id = ids["quiet"]
    csrf = web.csrf_of(client.get(f"/reflections/new?run={run_id}").text)
    response = client.post(
        f"/drafts/run-{run_id}",
        data={"text": "half a thought", "run": str(run_id), "prompt": ""},
        headers={"Origin": web.base, "X-CSRF-Token": csrf},
    )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert re.match(r"^\d\d:\d\d$", response.json()["at"])
    assert journal.saved_draft(f"run-{run_id}").text == "half a thought"
    page = client.get(f"/reflections/new?run={run_id}").text
    assert ">half a thought</textarea>" in page
    assert "Restored from a draft saved at" in page
    journal_page = client.get("/journal").text
    assert "Not finished yet" in journal_page and "half a thought" in journal_page
    assert client.get(f"/reflections/new?key=run-{run_id}").text.count("half a thought") == 1
    # saving the reflection removes the draft
    post(client, web, "/reflections", {"text": "whole", "run": str(run_id), "key": f"run-{run_id}"})
    assert journal.saved_draft(f"run-{run_id}") is None


def test_a_draft_can_be_let_go_on_purpose(client, journal, web):
    journal.save_draft("day-2026-01-02", "not today")
    response = post(client, web, "/drafts/day-2026-01-02/discard", {}, page="/journal")
    assert response.status_code == 303
    assert journal.saved_draft("day-2026-01-02") is None


def test_a_draft_with_a_bad_key_or_run_is_refused(client, journal, web):
    csrf = web.csrf_of(client.get("/journal").text)
    headers = {"Origin": web.base, "X-CSRF-Token": csrf}
    assert client.post("/drafts/Bad_Key", data={"text": "x"}, headers=headers).status_code == 404
    bad_run = client.post("/drafts/run-9", data={"text": "x", "run": "999"}, headers=headers)
    assert bad_run.status_code == 404
    assert journal.saved_drafts() == []


def test_the_journal_lists_reflections_newest_first_with_links(client, ids):
    page = client.get("/journal").text
    assert page.index("heading") < page.index("Second line, after the bridge.")
    assert f'href="/runs/{ids["full"]}"' in page
    assert "Write about today" in page


def test_search_marks_the_matches_and_escapes_everything_else(client, journal, web):
    journal.reflect("The <b>bridge</b> & the [river] again", day=datetime(2026, 5, 9).date())
    page = client.get("/journal?q=bridge").text
    assert "<mark>bridge</mark>" in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert "Found for" in page
    typed = client.get("/journal?q=river").text
    assert "[<mark>river</mark>]" in typed  # brackets the person typed stay brackets
    nothing = client.get("/journal?q=zebra").text
    assert "Nothing matches" in nothing
    assert client.get("/journal?q=%22%22").status_code == 200  # no words: a calm line


def test_wellbeing_shows_five_questions_with_six_labelled_choices(client):
    page = client.get("/wellbeing").text
    assert "Over the last two weeks" in page
    for item in ("cheerful", "calm", "active", "rested", "interested"):
        for value in range(6):
            assert f'name="{item}" value="{value}"' in page
    for label in ("all of the time", "at no time", "more than half of the time"):
        assert label in page
    assert "support-card" not in page


ITEMS = ("cheerful", "calm", "active", "rested", "interested")


def test_a_wellbeing_answer_is_kept_and_shown_in_the_history(client, journal, web):
    data = dict(zip(ITEMS, ("4", "3", "3", "4", "4"), strict=True))
    response = post(client, web, "/wellbeing", data)
    assert response.status_code == 303
    assert journal.store.counts()["wellbeing"] == 1
    page = client.get(response.headers["location"]).text
    assert "Saved." in page
    assert "bar bar-14" in page and ">72<" in page  # 18 × 4
    assert "support-card" not in page


def test_a_low_answer_brings_the_calm_card_and_a_very_low_one_the_contacts(client, journal, web):
    post(client, web, "/wellbeing", dict(zip(ITEMS, ("3", "3", "2", "3", "1"), strict=True)))
    page = client.get("/wellbeing").text
    assert "support-card" in page and "support-prominent" not in page
    assert "GP" in page
    post(client, web, "/wellbeing", dict(zip(ITEMS, ("1", "1", "1", "0", "1"), strict=True)))
    page = client.get("/wellbeing").text
    assert "support-prominent" in page
    assert "contact-number" in page
    assert 'name="cheerful"' in page  # never blocking: the form is still there


@pytest.mark.parametrize(
    "data",
    [
        dict(zip(ITEMS, ("4", "3", "3", "4", "6"), strict=True)),
        dict(zip(ITEMS, ("4", "3", "3", "4"), strict=False)),
        dict(zip(ITEMS, ("4", "3", "x", "4", "1"), strict=True)),
    ],
)
def test_a_bad_wellbeing_answer_keeps_nothing(client, journal, web, data):
    response = post(client, web, "/wellbeing", data)
    assert response.status_code == 400
    assert 'class="message"' in response.text
    assert journal.store.counts()["wellbeing"] == 0


@pytest.mark.parametrize("query", ["run=999", "run=abc", "key=Not_A_Key"])
def test_the_editor_for_an_unknown_run_or_draft_is_a_calm_404(client, query):
    response = client.get(f"/reflections/new?{query}")
    assert response.status_code == 404
    assert "Nothing here" in response.text


def test_a_tag_too_long_keeps_the_lap_press_as_it_was(client, journal, ids, web):
    (suggested,) = journal.run_detail(ids["full"]).suggested_moments
    data = {"free_tag": "x" * 41}
    response = post(client, web, f"/moments/{suggested.id}/confirm", data, page="/today")
    assert response.status_code == 400
    assert "longer than 40 characters" in response.text
    assert journal.store.get_moment(suggested.id) == suggested


def test_the_journal_shows_each_day_mood_with_its_tags(client, journal, tmp_path):
    export = tmp_path / "daylio_export.csv"
    export.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        '2017-12-08,December 8,Friday,9:26 pm,good,"friends | movies","","Thai food"\n'
        '2017-12-07,December 7,Thursday,13:24,meh,"<script>alert(1)</script>","",""\n'
    )
    assert journal.import_paths([export], workers=1).checkins == 2
    page = client.get("/journal").text
    assert "Day moods" in page
    assert "Fri 8 Dec 2017 · Daylio mood: good · friends, movies" in page
    assert "Thu 7 Dec 2017 · Daylio mood: meh · &lt;script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "Day moods" not in client.get("/journal?q=thai").text
