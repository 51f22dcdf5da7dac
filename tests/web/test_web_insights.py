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
