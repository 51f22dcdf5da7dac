"""The pages: feelings first, numbers quiet, user text always escaped."""

from __future__ import annotations

import re

import pytest

from innerpace.domain import Sport
from innerpace.web import create_app


def test_home_shows_runs_with_feelings_first(client):
    page = client.get("/").text
    row = next(li for li in page.split('<li class="run-row">') if "Along the river" in li)
    read = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    # what a person reads on the row: before, then after, in the scale's words, numbers small
    assert "fairly bad \u22121 → , then after: good +3" in read
    assert "no check-in" in page  # the quiet run
    assert "Sat 2 May 2026, 07:30" in page  # the runner's own clock (UTC+2), not UTC
    assert page.index("fairly bad") < page.index("32 min")  # numbers come after feelings
    assert '<html lang="en">' in page
    assert 'href="#main"' in page


def test_home_lists_runs_and_walks_by_default_and_every_sport_on_request(journal, client):
    from datetime import UTC, datetime

    journal.log_run(
        at=datetime(2026, 5, 7, 9, 0, tzinfo=UTC), minutes=60, sport=Sport.CYCLING, name="Ride"
    )
    assert "Ride" not in client.get("/").text
    every = client.get("/?sport=all").text
    assert "Ride" in every
    assert "Only runs and walks" in every


def test_an_empty_journal_says_gently_how_to_start(journal, web):
    client = web.TestClient(create_app(journal, token=web.token, port=web.port), base_url=web.base)
    web.sign_in(client)
    page = client.get("/").text
    assert "innerpace log-run" not in page  # a browser offers its own form, not a command
    assert 'href="/import"' in page
    assert 'action="/runs"' in page and 'name="minutes"' in page
    assert "no hurry" in page


def test_the_run_page_shows_feelings_moments_reflections_then_numbers(client, ids):
    page = client.get(f"/runs/{ids['full']}").text
    order = ["How it felt", "Moments", "Reflections", "The numbers"]
    assert [page.index(h) for h in order] == sorted(page.index(h) for h in order)
    assert "arousal 2 of 6" in page
    assert "a heavy week" in page
    assert "noted 8 min after" in page
    assert "release" in page and "the bridge" in page
    assert "a lap press at 6 min — was this a moment?" in page
    assert "First line.\nSecond line, after the bridge." in page
    for number in ("32 min", "31 min", "5.8 km", "5:24 /km", "147 avg, 166 max", "168 spm"):
        assert number in page
    for fact in ("42 m up, 40 m down", "trail", "Forerunner 255", "from a FIT file", "Running"):
        assert fact in page
    assert "<caption>Laps</caption>" in page
    assert "5:30" in page and "26:30" in page


def test_an_unknown_run_gets_a_calm_404(client):
    response = client.get("/runs/999")
    assert response.status_code == 404
    assert "Nothing here" in response.text
    assert "Traceback" not in response.text
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize("path", ["/", "/runs/{hostile}"])
def test_hostile_text_renders_escaped(client, ids, web, path):
    page = client.get(path.format(**ids)).text
    assert web.script not in page
    assert web.img not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_only_scripts_and_styles_are_our_own_files(client, ids):
    for path in ("/", f"/runs/{ids['full']}", f"/runs/{ids['hostile']}", "/runs/999"):
        page = client.get(path).text
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/htmx.min.js" defer>']
        assert "<style" not in page
        assert " style=" not in page
        assert re.search(r"<[a-z][^>]*\son[a-z]+=", page) is None  # no event-handler attributes


def test_the_pages_carry_the_csrf_token_for_htmx(client, web):
    assert len(web.csrf_of(client.get("/").text)) == 64


def test_the_vendored_assets_are_served(client):
    assert "htmx" in client.get("/static/htmx.min.js").text[:200]
    css = client.get("/static/style.css")
    assert css.headers["content-type"].startswith("text/css")
    assert "@import" not in css.text and "url(" not in css.text


def test_a_run_without_a_name_gets_a_plain_title(client, ids):
    page = client.get(f"/runs/{ids['quiet']}").text
    assert "<h1>A run</h1>" in page
    assert "no check-in" in page
    assert "No moments marked on this run." in page
    assert "Nothing written for this run yet." in page
