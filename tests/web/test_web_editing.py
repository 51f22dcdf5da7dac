"""Changing and deleting over HTTP: every change through the journal's own use-cases, every
deletion to Recently deleted and back, every refusal keeping what was typed, every write guarded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest


def post(client, web, path: str, data: dict, page: str = "/today"):
    csrf = web.csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf": csrf}, headers={"Origin": web.base})


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())


def test_a_checkin_is_changed_in_place(client, journal, ids, web):
    before = journal.run_detail(ids["full"]).listing.before
    form = client.get(f"/checkins/{before.id}/edit").text
    assert 'name="feeling" value="-1" required checked' in form
    assert 'value="a heavy week"' in form
    response = post(
        client, web, f"/checkins/{before.id}", {"feeling": "2", "arousal": "", "note": "lighter"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/runs/{ids['full']}?done=saved")
    changed = journal.run_detail(ids["full"]).listing
    assert changed.pre_feeling == 2 and changed.before.note == "lighter"
    assert changed.before.id == before.id


def test_a_checkins_tags_are_changed_kept_when_not_sent_and_cleared_when_empty(
    client, journal, ids, web
):
    before = journal.run_detail(ids["full"]).listing.before
    sent = {"feeling": "-1", "note": "a heavy week"}
    post(client, web, f"/checkins/{before.id}", {**sent, "tags": "Rain, after work"})
    assert journal.checkin(before.id).tags == ("rain", "after work")
    assert 'name="tags"' in (form := client.get(f"/checkins/{before.id}/edit").text)
    assert 'value="rain, after work"' in form
    post(client, web, f"/checkins/{before.id}", sent)  # a form without the field
    assert journal.checkin(before.id).tags == ("rain", "after work")
    response = post(client, web, f"/checkins/{before.id}", {**sent, "tags": "x" * 41})
    assert response.status_code == 400 and "longer than 40 characters" in visible(response.text)
    assert journal.checkin(before.id).tags == ("rain", "after work")
    post(client, web, f"/checkins/{before.id}", {**sent, "tags": ""})
    assert journal.checkin(before.id).tags == ()


def test_a_checkin_change_it_cannot_read_keeps_what_was_typed(client, journal, ids, web):
    before = journal.run_detail(ids["full"]).listing.before
    response = post(client, web, f"/checkins/{before.id}", {"feeling": "", "note": "typed"})
    assert response.status_code == 400
    assert "Please choose how you feel. Nothing was saved." in visible(response.text)
    assert 'value="typed"' in response.text
    assert journal.run_detail(ids["full"]).listing.before.note == "a heavy week"


def test_a_moment_is_changed_and_its_place_kept_when_only_the_note_changes(
    client, journal, ids, web
):
    moment = next(m for m in journal.run_detail(ids["full"]).moments if m.note == "the bridge")
    form = client.get(f"/moments/{moment.id}/edit").text
    assert 'value="21min"' in form and 'value="release" checked' in form
    data = {"at": "21min", "tag": ["release", "calm"], "note": "after the bridge"}
    assert post(client, web, f"/moments/{moment.id}", data).status_code == 303
    changed = journal.moment(moment.id)
    assert changed.tags == ("release", "calm") and changed.note == "after the bridge"
    assert (changed.at_s, changed.at_m) == (moment.at_s, moment.at_m)
    bad = post(client, web, f"/moments/{moment.id}", {"at": "soonish", "note": "typed"})
    assert bad.status_code == 400
    assert "“soonish” is not a place in the run this form can read" in visible(bad.text)
    assert "--at" not in bad.text and 'value="typed"' in bad.text


def test_a_runs_details_are_changed(client, journal, ids, web):
    data = {"name": "  River,  slowly ", "setting": "road", "company": "alone"}
    assert post(client, web, f"/runs/{ids['full']}", data).status_code == 303
    run = journal.run_detail(ids["full"]).run
    assert (run.name, run.setting.value, run.company.value) == ("River, slowly", "road", "alone")


def test_a_reflection_reopens_in_the_editor_and_is_changed(client, journal, ids, web):
    reflection = journal.run_detail(ids["full"]).reflections[0]
    editor = client.get(f"/reflections/{reflection.id}/edit").text
    assert "First line.\nSecond line, after the bridge." in editor
    assert f'data-draft-url="/drafts/reflection-{reflection.id}"' in editor
    assert 'name="reflection" value="' + str(reflection.id) + '"' in editor
    key = f"reflection-{reflection.id}"
    draft = post(client, web, f"/drafts/{key}", {"text": "half-changed", "run": ""})
    assert draft.status_code == 200
    assert "half-changed" in client.get(f"/reflections/{reflection.id}/edit").text
    count = len(journal.reflections())
    data = {"text": "Changed words.", "key": key, "reflection": str(reflection.id), "run": ""}
    response = post(client, web, "/reflections", data)
    assert response.status_code == 303
    assert len(journal.reflections()) == count  # changed, not added
    assert journal.run_detail(ids["full"]).reflections[0].text == "Changed words."
    assert journal.saved_draft(key) is None


def test_a_wellbeing_answer_is_changed(client, journal, web):
    check = journal.record_wellbeing([1, 1, 1, 1, 1])
    page = client.get("/wellbeing").text
    assert f'href="/wellbeing/{check.id}/edit"' in page
    answers = {item: "4" for item in ("cheerful", "calm", "active", "rested", "interest")}
    form = client.get(f"/wellbeing/{check.id}/edit").text
    ids = re.findall(r'<input type="radio" name="([a-z_]+)"', form)
    answers = {name: "4" for name in dict.fromkeys(ids)}
    assert post(client, web, f"/wellbeing/{check.id}", answers).status_code == 303
    (kept,) = [c for c in journal.wellbeing_checks() if c.id == check.id]
    assert all(kept.response.value(name) == 4 for name in answers)


@pytest.mark.parametrize("kind", ["checkin", "moment", "reflection", "wellbeing"])
def test_deleting_moves_to_recently_deleted_and_one_click_brings_it_back(
    client, journal, ids, web, kind
):
    detail = journal.run_detail(ids["full"])
    item = {
        "checkin": lambda: detail.listing.before,
        "moment": lambda: next(m for m in detail.moments if m.note == "the bridge"),
        "reflection": lambda: detail.reflections[0],
        "wellbeing": lambda: journal.record_wellbeing([2, 2, 2, 2, 2]),
    }[kind]()
    counts = journal.store.counts()
    response = post(client, web, f"/delete/{kind}/{item.id}", {"next": f"/runs/{ids['full']}"})
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/runs/{ids['full']}?done=deleted&kind={kind}&id={item.id}"
    )
    page = client.get(response.headers["location"]).text
    assert "Moved to Recently deleted. You can bring it back for 30 days." in page
    assert f'action="/deleted/{kind}/{item.id}/restore"' in page
    trash = client.get("/deleted").text
    assert f'action="/deleted/{kind}/{item.id}/restore"' in trash
    assert "30 more days" in visible(trash)
    back = post(client, web, f"/deleted/{kind}/{item.id}/restore", {"next": "/deleted"})
    assert back.status_code == 303
    assert journal.store.counts() == counts
    assert f"/deleted/{kind}/{item.id}/restore" not in client.get("/deleted").text


def test_a_second_tap_on_delete_or_bring_back_changes_nothing_more(client, journal, ids, web):
    checkin = journal.run_detail(ids["full"]).listing.before
    path = f"/delete/checkin/{checkin.id}"
    assert post(client, web, path, {"next": "/"}).status_code == 303
    again = post(client, web, path, {"next": "/"})
    assert (again.status_code, again.headers["location"]) == (303, "/deleted")
    restore = f"/deleted/checkin/{checkin.id}/restore"
    assert post(client, web, restore, {"next": "/deleted"}).status_code == 303
    assert post(client, web, restore, {"next": "/deleted"}).status_code == 303
    assert journal.run_detail(ids["full"]).listing.before.id == checkin.id


def test_a_next_address_never_leaves_the_app(client, journal, ids, web):
    checkin = journal.run_detail(ids["full"]).listing.before
    response = post(client, web, f"/delete/checkin/{checkin.id}", {"next": "https://evil.example/"})
    assert response.headers["location"].startswith("/deleted?done=deleted")


@pytest.mark.parametrize(
    "path",
    ["/delete/checkin/1", "/deleted/checkin/1/restore", "/checkins/1", "/runs/1", "/moments/1"],
)
def test_changes_need_the_pages_own_token_and_origin(client, journal, ids, path):
    counts = journal.store.counts()
    no_token = client.post(path, data={"note": "x"}, headers={"Origin": "http://127.0.0.1:8765"})
    assert no_token.status_code == 403
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/today").text).group(1)
    elsewhere = client.post(path, data={"csrf": csrf}, headers={"Origin": "http://localhost:9"})
    assert elsewhere.status_code == 403
    assert journal.store.counts() == counts
    assert journal.run_detail(ids["full"]).listing.before is not None


def test_a_checkin_that_joined_no_run_can_be_attached_from_the_run_page(client, journal, ids, web):
    run = journal.run_detail(ids["quiet"]).run
    loose = journal.check_in("before", feeling=-2, at=run.start - timedelta(hours=5))
    assert loose.run_id is None  # too early for the 3-hour rule
    page = client.get(f"/runs/{ids['quiet']}").text
    assert f'action="/checkins/{loose.id}/attach"' in page
    assert "Use the check-in of" in visible(page) and "(bad to fairly bad)" in visible(page)
    response = post(client, web, f"/checkins/{loose.id}/attach", {"run": str(ids["quiet"])})
    assert response.status_code == 303
    assert "The check-in is now part of this run." in client.get(response.headers["location"]).text
    assert journal.run_detail(ids["quiet"]).listing.before.id == loose.id
    assert f'action="/checkins/{loose.id}/attach"' not in client.get(f"/runs/{ids['quiet']}").text
