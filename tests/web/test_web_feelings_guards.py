"""Every feelings write is refused from another origin or without the CSRF token."""

from __future__ import annotations

import pytest

from innerpace.domain import MomentStatus

FOREIGN = [
    {"Origin": "http://localhost:9"},
    {"Origin": "http://evil.example"},
    {"Origin": "http://127.0.0.1:8765", "Sec-Fetch-Site": "same-site"},
    {"Origin": "http://127.0.0.1:8765", "Sec-Fetch-Site": "cross-site"},
    {},  # no Origin at all
]


def writes(ids: dict[str, int], suggested: int) -> list[tuple[str, dict]]:
    return [
        ("/checkins", {"kind": "before", "feeling": "2"}),
        (f"/runs/{ids['full']}/moments", {"at": "2km", "tag": "calm"}),
        (f"/moments/{suggested}/confirm", {"tag": "joy"}),
        (f"/moments/{suggested}/dismiss", {}),
        ("/reflections", {"text": "hello", "run": str(ids["full"])}),
        (f"/drafts/run-{ids['full']}", {"text": "typed"}),
        ("/drafts/day-2026-01-03/discard", {}),
        ("/wellbeing", {k: "3" for k in ("cheerful", "calm", "active", "rested", "interested")}),
    ]


def state(journal) -> tuple:
    """Everything a write could change, to compare before and after."""
    moments = [(m.id, m.status, m.tags, m.note) for m in journal.store.list_moments()]
    return journal.store.counts(), journal.saved_drafts(), moments


@pytest.fixture
def suggested(journal, ids) -> int:
    journal.save_draft("day-2026-01-03", "kept safe")
    (moment,) = journal.run_detail(ids["full"]).suggested_moments
    assert moment.status is MomentStatus.SUGGESTED
    return moment.id


@pytest.mark.parametrize("headers", FOREIGN)
def test_a_write_from_elsewhere_is_refused_and_changes_nothing(
    client, journal, ids, web, suggested, headers
):
    csrf = web.csrf_of(client.get("/today").text)
    before = state(journal)
    for path, data in writes(ids, suggested):
        response = client.post(path, data={**data, "csrf": csrf}, headers=headers)
        assert response.status_code == 403, path
        response = client.post(path, data=data, headers={**headers, "X-CSRF-Token": csrf})
        assert response.status_code == 403, path
    assert state(journal) == before


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(
    client, journal, ids, web, suggested, csrf
):
    before = state(journal)
    for path, data in writes(ids, suggested):
        body = data if csrf is None else {**data, "csrf": csrf}
        response = client.post(path, data=body, headers={"Origin": web.base})
        assert response.status_code == 403, path
    assert state(journal) == before


def test_a_write_without_a_session_is_refused_and_changes_nothing(
    anonymous, journal, ids, web, suggested
):
    before = state(journal)
    for path, data in writes(ids, suggested):
        assert anonymous.post(path, data=data, headers={"Origin": web.base}).status_code == 403
    assert state(journal) == before


def test_reading_the_feelings_pages_changes_nothing(client, journal, ids):
    before = state(journal)
    for path in ("/today?saved=after&prompt=x&run=1", "/journal?q=bridge", "/wellbeing?saved=1"):
        assert client.get(path).status_code == 200
    assert client.get(f"/reflections/new?run={ids['full']}").status_code == 200
    assert client.get("/drafts/day-2026-01-03").status_code == 405
    assert state(journal) == before
