"""Reading insight through the journal: cached per journal version, refreshed on read."""

from datetime import UTC, date, datetime, timedelta

from innerpace.domain import CheckIn, CheckInKind, Reflection
from innerpace.instruments import get_instrument
from innerpace.services.insight_cases import THEMES_SETTING, journal_version

TODAY = date(2026, 12, 1)


def feeling(value: int):
    return (get_instrument("fs").response({"feeling": value}),)


def add_runs(journal, n: int, start: datetime, lift: int = 2) -> None:
    for i in range(n):
        at = start + timedelta(days=2 * i)
        run = journal.log_run(at=at, minutes=40)
        before = CheckIn(at - timedelta(minutes=5), CheckInKind.BEFORE, feeling(i % 3 - 1), run.id)
        after = CheckIn(
            run.end + timedelta(minutes=5), CheckInKind.AFTER, feeling(i % 3 - 1 + lift), run.id
        )
        journal.store.add_checkin(before)
        journal.store.add_checkin(after)


def test_the_same_journal_version_is_read_once(journal):
    add_runs(journal, 12, datetime(2026, 6, 1, 7, tzinfo=UTC))
    first = journal.insights(TODAY)
    assert journal.insights(TODAY) is first
    assert journal.insight_page(TODAY).insights is first


def test_a_write_changes_the_version_and_the_findings(journal):
    start = datetime(2026, 6, 1, 7, tzinfo=UTC)
    add_runs(journal, 12, start)
    before = journal_version(journal)
    first = journal.insights(TODAY)
    add_runs(journal, 3, start + timedelta(days=40))
    assert journal_version(journal) != before
    again = journal.insights(TODAY)
    assert again is not first
    assert again.lift.numbers.n == first.lift.numbers.n + 3


def test_an_edit_that_keeps_every_count_still_changes_the_version_and_the_lift(journal):
    add_runs(journal, 12, datetime(2026, 6, 1, 7, tzinfo=UTC))
    first = journal.insights(TODAY)
    before = journal_version(journal)
    after = next(c for c in journal.store.list_checkins() if c.kind == CheckInKind.AFTER)
    journal.edit_checkin(after.id, feeling=5)
    assert journal_version(journal) != before
    assert journal.insights(TODAY).lift.numbers.mean != first.lift.numbers.mean


def test_the_version_comes_from_the_change_path(journal):
    assert journal_version(journal) == ("version", journal.changes.version)


def test_reading_remembers_the_themes_so_they_keep_their_places(journal):
    start = datetime(2026, 1, 1, 19, tzinfo=UTC)
    topics = ("river path water geese bridge", "email laptop deadline meeting office")
    for i in range(30):
        journal.store.add_reflection(
            Reflection(text=f"{topics[i % 2]} {i}", created=start + timedelta(days=i))
        )
    found = journal.insights(TODAY)
    stored = journal.store.get_setting(THEMES_SETTING)
    assert found.themes.status == "ready"
    for theme in found.themes.numbers.themes:
        assert theme.key_words[0] in stored


def test_a_page_with_pictures_is_drawn_once_per_version(journal):
    add_runs(journal, 12, datetime(2026, 6, 1, 7, tzinfo=UTC))
    page = journal.insight_page(TODAY)
    assert page.pictures.strokes is not None
    assert journal.insight_page(TODAY).pictures is page.pictures
