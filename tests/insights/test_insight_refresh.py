"""The findings of each new journal version, computed in the background while the app runs."""

import warnings
from datetime import UTC, date, datetime, timedelta

import pytest

from innerpace.domain import Reflection
from innerpace.services import Journal
from innerpace.services.insight_cases import THEMES_SETTING, InsightRefresher

from .test_insight_cases import add_runs

TODAY = date(2026, 12, 1)
START = datetime(2026, 6, 1, 7, tzinfo=UTC)
WAIT_S = 60.0  # an upper bound on a slow machine; the test goes on as soon as it is ready


@pytest.fixture
def refresher(journal):
    found = InsightRefresher(journal, debounce_s=0.05, poll_s=0.2, today=lambda: TODAY)
    found.start()
    yield found
    found.stop()


def test_a_write_is_followed_by_its_findings_without_a_page_request(journal, refresher):
    add_runs(journal, 12, START)
    journal.log_run(at=START + timedelta(days=60), minutes=30)  # announced on the change path
    version = journal.changes.version
    ready = refresher.wait_for(version, WAIT_S)
    assert ready is not None
    assert ready.insights.lift.numbers.n == 12
    assert ready.pictures.strokes is not None
    page = journal.insight_page(TODAY)
    assert page.insights is ready.insights  # the page used what the thread computed
    assert page.pictures is ready.pictures


def test_findings_of_an_older_version_are_never_served_for_a_newer_one(journal, refresher):
    add_runs(journal, 12, START)
    journal.log_run(at=START + timedelta(days=60), minutes=30)
    ready = refresher.wait_for(journal.changes.version, WAIT_S)
    assert ready is not None
    refresher.stop()  # nothing computes in the background from here
    add_runs(journal, 3, START + timedelta(days=90))
    page = journal.insight_page(TODAY)
    assert page.insights is not ready.insights
    assert page.insights.lift.numbers.n == ready.insights.lift.numbers.n + 3


def test_a_change_no_one_announced_here_is_caught_by_looking_at_the_version(
    journal, data_dir, refresher
):
    add_runs(journal, 12, START)
    journal.log_run(at=START + timedelta(days=60), minutes=30)
    first = refresher.wait_for(journal.changes.version, WAIT_S)
    assert first is not None
    with Journal.open(data_dir) as other:  # as an import in its own program: not heard here
        add_runs(other, 2, START + timedelta(days=100))
        version = other.changes.version
    ready = refresher.wait_for(version, WAIT_S)
    assert ready is not None
    assert ready.insights.lift.numbers.n == first.insights.lift.numbers.n + 2
    assert journal.insight_page(TODAY).insights is ready.insights


def test_the_thread_only_reads_and_the_page_remembers_the_themes(journal, refresher):
    topics = ("river path water geese bridge", "email laptop deadline meeting office")
    for i in range(30):
        journal.store.add_reflection(
            Reflection(text=f"{topics[i % 2]} {i}", created=START + timedelta(days=i))
        )
    journal.log_run(at=START, minutes=30)
    ready = refresher.wait_for(journal.changes.version, WAIT_S)
    assert ready is not None and ready.insights.themes.status == "ready"
    assert journal.store.get_setting(THEMES_SETTING) is None
    page = journal.insight_page(TODAY)
    assert page.insights is ready.insights
    assert ready.insights.themes.numbers.themes[0].key_words[0] in journal.store.get_setting(
        THEMES_SETTING
    )
    # keeping the themes moved the version on, but the findings are the same ones
    assert journal.insight_page(TODAY).insights is ready.insights


def test_stopping_ends_the_thread_and_later_writes_start_nothing(journal):
    refresher = InsightRefresher(journal, debounce_s=0.05, poll_s=0.2, today=lambda: TODAY)
    refresher.start()
    assert refresher.wait_for(journal.changes.version, WAIT_S) is not None
    refresher.stop()
    assert refresher.thread is not None and not refresher.thread.is_alive()
    journal.log_run(at=START, minutes=30)
    assert refresher.wait_for(journal.changes.version, 0.5) is None


def test_an_encrypted_journal_is_read_with_its_key(journal):
    add_runs(journal, 12, START)
    journal.lock("a long and quiet passphrase")  # locking needs every connection closed
    assert journal.encrypted
    refresher = InsightRefresher(journal, debounce_s=0.05, poll_s=0.2, today=lambda: TODAY)
    refresher.start()
    try:
        journal.log_run(at=START + timedelta(days=60), minutes=30)
        ready = refresher.wait_for(journal.changes.version, WAIT_S)
        assert ready is not None
        assert ready.insights.lift.numbers.n == 12
        assert journal.insight_page(TODAY).insights is ready.insights
    finally:
        refresher.stop()


def test_the_web_app_runs_the_refresh_while_it_serves_and_stops_it_after(data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from innerpace.web import create_app

    with Journal.open(data_dir) as journal:
        app = create_app(journal, token="t" * 40, port=8765)
        with TestClient(app, base_url="http://127.0.0.1:8765"):
            refresher = app.state.insight_refresh
            assert refresher.thread.is_alive()
            journal.log_run(at=START, minutes=30)
            assert refresher.wait_for(journal.changes.version, WAIT_S) is not None
        assert not refresher.thread.is_alive()
