"""Day moods over HTTP: changed on their own scale from the Journal page, deleted into Recently
deleted and brought back, every refusal keeping what was typed, every write guarded."""

from __future__ import annotations

import re

import pytest


def post(client, web, path: str, data: dict, page: str = "/journal"):
    csrf = web.csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf": csrf}, headers={"Origin": web.base})


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())


@pytest.fixture
def moods(journal, ids, daylio_export):
    batch = journal.import_paths([daylio_export], workers=1).batch
    found = journal.day_moods()
    assert len(found) == 4
    return batch, found


def _level(journal, checkin_id: int) -> float | None:
    return journal.checkin(checkin_id).response("daylio").value("mood")


def test_each_day_mood_on_the_journal_page_can_be_changed_or_deleted(client, moods):
    _, found = moods
    page = client.get("/journal").text
    for mood in found:
        assert f'href="/day-moods/{mood.id}/edit"' in page
        assert f'action="/delete/checkin/{mood.id}"' in page
    assert 'name="next" value="/journal"' in page


def test_the_change_form_asks_on_the_mood_scale_with_its_own_words(client, moods):
    _, (rad, good, *_) = moods
    form = client.get(f"/day-moods/{good.id}/edit").text
    shown = visible(form)
    assert "Change a day mood" in shown and "How was the day?" in shown
    assert "Fri 8 Dec 2017, on the Daylio day mood scale." in shown
    assert "once you change it, it is yours, and taking that import back leaves it" in shown
    levels = re.findall(r'<input type="radio" name="mood" value="(\d)"', form)
    assert levels == ["1", "2", "3", "4", "5"]
    for number, word in ((1, "awful"), (2, "bad"), (3, "meh"), (4, "good"), (5, "rad")):
        assert (
            f'<span class="choice-num">{number}</span><span class="choice-word">{word}</span>'
            in (form)
        )
    assert 'name="mood" value="4" required checked' in form
    assert 'name="feeling"' not in form  # never the Feeling Scale
    assert 'value="friends, movies, good meal"' in form


def test_a_day_mood_is_changed_and_the_journal_shows_it(client, journal, web, moods):
    batch, (rad, good, *_) = moods
    data = {"mood": "2", "note": "a long day after all", "tags": "friends, rain"}
    response = post(client, web, f"/day-moods/{good.id}", data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/journal?done=saved#day-mood-{good.id}"
    changed = journal.checkin(good.id)
    assert _level(journal, good.id) == 2
    assert changed.note == "a long day after all" and changed.tags == ("friends", "rain")
    assert (changed.at, changed.batch_id) == (good.at, None)  # changed: the person's own now
    page = visible(client.get(response.headers["location"]).text)
    assert "Changed." in page
    assert "Fri 8 Dec 2017 · Daylio mood: bad · friends, rain · a long day after all" in page


def test_a_form_without_tags_keeps_them_and_an_empty_one_clears_them(client, journal, web, moods):
    _, (_, good, *_) = moods
    post(client, web, f"/day-moods/{good.id}", {"mood": "5", "note": ""})
    assert journal.checkin(good.id).tags == good.tags
    post(client, web, f"/day-moods/{good.id}", {"mood": "5", "note": "", "tags": ""})
    assert journal.checkin(good.id).tags == ()


@pytest.mark.parametrize(
    ("mood", "words"),
    [
        ("", "Please choose how the day was. Nothing was saved."),
        (
            "7",
            "Daylio day mood: mood must be a whole number from 1 to 5, not 7. Nothing was saved.",
        ),
        (
            "wonderful",
            "“wonderful” is not a level of the Daylio day mood; choose one of 1 awful, 2 bad,"
            " 3 meh, 4 good, 5 rad. Nothing was saved.",
        ),
    ],
)
def test_a_refused_change_keeps_what_was_typed_and_nothing_else(
    client, journal, web, moods, mood, words
):
    _, (_, good, *_) = moods
    version = journal.changes.version
    data = {"mood": mood, "note": "typed words", "tags": "typed, tags"}
    response = post(client, web, f"/day-moods/{good.id}", data)
    assert response.status_code == 400
    assert words in visible(response.text)
    assert 'value="typed words"' in response.text and 'value="typed, tags"' in response.text
    assert "--mood" not in response.text
    assert journal.checkin(good.id) == good and journal.changes.version == version


def test_a_tag_too_long_is_refused_with_the_form_as_typed(client, journal, web, moods):
    _, (_, good, *_) = moods
    response = post(client, web, f"/day-moods/{good.id}", {"mood": "3", "tags": "x" * 41})
    assert response.status_code == 400
    assert "longer than 40 characters" in visible(response.text)
    assert 'name="mood" value="3" required checked' in response.text
    assert journal.checkin(good.id) == good


def test_a_checkin_that_is_not_a_day_mood_has_no_day_mood_form(client, journal, ids, web, moods):
    before = journal.run_detail(ids["full"]).listing.before
    assert client.get(f"/day-moods/{before.id}/edit").status_code == 404
    response = post(client, web, f"/day-moods/{before.id}", {"mood": "3"})
    assert response.status_code == 404
    assert journal.checkin(before.id) == before
    assert client.get("/day-moods/99999/edit").status_code == 404


def test_the_checkin_form_sends_a_day_mood_to_its_own_and_its_post_refuses_a_feeling(
    client, journal, web, moods
):
    _, (rad, *_) = moods
    response = client.get(f"/checkins/{rad.id}/edit")
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/day-moods/{rad.id}/edit",
    )
    refused = post(client, web, f"/checkins/{rad.id}", {"feeling": "3", "note": "x"})
    assert refused.status_code == 400
    assert "is a day mood on the Daylio day mood" in visible(refused.text)
    assert journal.checkin(rad.id) == rad


def test_a_day_mood_deleted_from_the_journal_waits_named_plainly_and_comes_back(
    client, journal, web, moods
):
    _, (rad, *_) = moods
    counts = journal.store.counts()
    response = post(client, web, f"/delete/checkin/{rad.id}", {"next": "/journal"})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location == f"/journal?done=deleted&kind=checkin&id={rad.id}"
    page = client.get(location).text
    assert "Moved to Recently deleted." in visible(page)
    assert f'href="/day-moods/{rad.id}/edit"' not in page
    day = rad.at.astimezone().strftime("%a %-d %b %Y")
    trash = visible(client.get("/deleted").text)
    assert f"Day mood on {day} — rad" in trash
    assert "Day check-in" not in trash
    back = post(client, web, f"/deleted/checkin/{rad.id}/restore", {"next": "/journal"})
    assert back.status_code == 303
    assert journal.store.counts() == counts
    assert f'href="/day-moods/{rad.id}/edit"' in client.get("/journal").text


def test_changing_a_day_mood_needs_the_pages_own_token_and_origin(client, journal, moods):
    _, (rad, *_) = moods
    path = f"/day-moods/{rad.id}"
    no_token = client.post(path, data={"mood": "1"}, headers={"Origin": "http://127.0.0.1:8765"})
    assert no_token.status_code == 403
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/journal").text).group(1)
    elsewhere = client.post(
        path, data={"mood": "1", "csrf": csrf}, headers={"Origin": "http://localhost:9"}
    )
    assert elsewhere.status_code == 403
    assert journal.checkin(rad.id) == rad
