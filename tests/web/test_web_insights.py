"""The Insights page: plain sentences, honest about how much data there is."""

from innerpace.services import Journal
from innerpace.web import create_app

FORBIDDEN = ("significant", "proven", "cured", "therapy", "treats")


def test_a_small_journal_hears_not_enough_yet(client):
    page = client.get("/insights")
    assert page.status_code == 200
    assert "more run" in page.text
    assert "doesn" in page.text


def test_the_demo_insights_read_as_honest_plain_language(tmp_path, web):
    journal = Journal.open(tmp_path / "demo", demo=True)
    app = create_app(journal, token=web.token, port=web.port)
    client = web.TestClient(app, base_url=web.base, follow_redirects=False)
    web.sign_in(client)
    page = client.get("/insights").text
    for heading in ("How you feel after running", "The hard days", "What you keep running with"):
        assert heading in page
    assert "felt on average" in page
    assert "likely between" in page
    assert not any(word in page.lower() for word in FORBIDDEN)
    journal.close()


def test_insights_need_a_session(anonymous):
    assert anonymous.get("/insights").status_code == 403


def test_the_demo_insights_lead_with_pictures_and_keep_the_numbers_under_how_sure(tmp_path, web):
    journal = Journal.open(tmp_path / "demo", demo=True)
    app = create_app(journal, token=web.token, port=web.port)
    client = web.TestClient(app, base_url=web.base, follow_redirects=False)
    web.sign_in(client)
    page = client.get("/insights").text
    first_section = page[page.index("How you feel after running") :]
    assert first_section.index("<svg") < first_section.index("felt on average")
    assert page.count('role="img"') >= 5
    assert page.count("<desc id=") == page.count("<svg")
    assert "<summary>How sure is this?</summary>" in page
    assert "half-cosine" in page  # the method is named in the disclosure, not in the sentences
    assert "/static/insights.css" in page
    for phrase in ("lately", "helps", "standardized size", "in your longer runs"):
        assert phrase not in page
    run = next(r for r in journal.store.list_runs() if journal.store.get_series(r.id) is not None)
    series = journal.store.get_series(run.id)
    run_page = client.get(f"/runs/{run.id}").text
    if len(series.lat):
        assert "The route of this run" in run_page and "pic-route" in run_page
    assert client.get("/static/insights.css").status_code == 200
    journal.close()
