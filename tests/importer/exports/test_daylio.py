"""Daylio's mood diary export in its real variants.

The two layouts are quoted from real exports (tests/data/SOURCES.md):
``full_date,date,weekday,time,mood,activities,note_title,note`` with rows such as
``2017-12-09,December 9,Saturday,01:25,rad,"shopping | 😉 | discussion...","","Choir concert
and shopping"``, and the older ``year,date,weekday,time,mood,activities,note`` with
``2018,29 March,Thursday,11:54 pm,happy,"socialise | eat out | drinks | music | tired |
dreamt",""`` (the person's own mood names, 12-hour times).
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innerpace.domain import CheckInKind
from innerpace.errors import UserError
from innerpace.importer.exports import daylio
from innerpace.importer.exports.daylio.reader import parse_clock, parse_day

NEW = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    '2017-12-09,December 9,Saturday,01:25,rad,"shopping | 😉 | discussion...","",'
    '"Choir concert and shopping"\n'
    '2017-12-08,December 8,Friday,9:26 pm,good,"friends | movies | good meal","",'
    '"Hung out with Vaughn and Bethany. Went to Thai food. Watched fitzwilly"\n'
    '2017-12-07,December 7,Thursday,13:24,meh,"😶 | 😕","",""\n'
    '2017-12-06,December 6,Wednesday,12:15 am,awful,"","Long day","Slept badly"\n'
)
OLD = (
    "year,date,weekday,time,mood,activities,note\n"
    '2018,29 March,Thursday,11:54 pm,happy,"socialise | eat out | drinks | music | tired | '
    'dreamt",""\n'
    '2018,28 March,Wednesday,10:21 pm,average,"tired | dreamt | stressed / frustrated ",""\n'
    '2018,16 May,Wednesday,23:41,horrible,"","Did nothing today."\n'
)
OWN = {"happy": 5, "average": 3, "horrible": 1}


def write(tmp_path: Path, text: str, *, bom: bool = False, name: str = "daylio_export.csv"):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


VARIANTS = {
    "current": (NEW, False),
    "current with a byte-order mark": (NEW, True),
    "current without a header row": (NEW.split("\n", 1)[1], False),
    "older year column": (OLD, True),
    "older without a header row": (OLD.split("\n", 1)[1], False),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_real_variant_is_read(variant, tmp_path):
    text, bom = VARIANTS[variant]
    found = daylio.read_entries(write(tmp_path, text, bom=bom).read_bytes())
    assert not found.problems
    if "older" in variant:
        assert found.layout == "year" and len(found.entries) == 3
        first = found.entries[0]
        assert (first.day, first.clock, first.mood) == (date(2018, 3, 29), time(23, 54), "happy")
        assert first.activities[:2] == ("socialise", "eat out")
        assert found.entries[2].note == "Did nothing today."
        assert found.unplaced({}) == ["happy", "average", "horrible"]
    else:
        assert found.layout == "full_date" and len(found.entries) == 4
        times = [e.clock for e in found.entries]
        assert times == [time(1, 25), time(21, 26), time(13, 24), time(0, 15)]  # 12 and 24 h
        assert found.entries[3].title == "Long day" and found.entries[3].note == "Slept badly"
        assert found.unplaced({}) == []  # Daylio's own names


def test_a_daylio_export_becomes_day_moods_notes_and_tags_in_one_batch(journal, tmp_path):
    path = write(tmp_path, NEW, bom=True)
    report = journal.import_paths([path], workers=1)
    assert not report.failed and report.checkins == 4 and report.reflections == 3
    moods = sorted(journal.store.list_checkins(), key=lambda c: c.at)
    assert {c.kind for c in moods} == {CheckInKind.DAY}
    assert [c.response("daylio").value("mood") for c in moods] == [1, 3, 4, 5]
    assert all(c.run_id is None and c.batch_id == report.batch for c in moods)
    assert moods[2].tags == ("friends", "movies", "good meal")
    assert moods[3].tags == ("shopping", "😉", "discussion...")
    assert moods[0].tags == () and all(c.note is None for c in moods)  # words: reflections
    assert datetime.combine(date(2017, 12, 8), time(21, 26)).astimezone() == moods[2].at
    words = sorted(journal.store.list_reflections(), key=lambda r: r.created)
    assert [r.text for r in words] == [
        "Long day\n\nSlept badly",
        "Hung out with Vaughn and Bethany. Went to Thai food. Watched fitzwilly",
        "Choir concert and shopping",
    ]
    assert {(r.origin, r.run_id, r.batch_id) for r in words} == {("daylio", None, report.batch)}
    assert words[0].day == date(2017, 12, 6)

    again = journal.import_paths([path], workers=1)
    assert again.checkins == 0 and again.duplicates == 4
    assert [c.tags for c in journal.store.list_checkins()] == [c.tags for c in moods]

    journal.undo_import(report.batch)
    assert journal.store.list_checkins() == [] and journal.store.list_reflections() == []
    back = journal.import_paths([path], workers=1)
    assert back.checkins == 4 and len(journal.store.list_reflections()) == 3


def test_activities_become_lower_case_tags_and_a_long_one_stays_whole_in_the_note(
    journal, tmp_path
):
    long = "Walked the whole canal path to my sister's new flat and back"
    text = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2018-04-02,April 2,Monday,20:05,good,"Good Meal | friends | FRIENDS | {long}",,""\n'
    )
    report = journal.import_paths([write(tmp_path, text)], workers=1)
    assert not report.failed and report.reflections == 0
    (mood,) = journal.store.list_checkins()
    assert mood.tags == ("good meal", "friends")
    assert mood.note == long


def test_the_persons_own_mood_names_are_placed_once(journal, tmp_path):
    path = write(tmp_path, OLD)
    assert journal.daylio_moods_to_place([path]) == ["happy", "average", "horrible"]
    before = journal.import_paths([path], workers=1)
    assert len(before.failed) == 3 and journal.store.list_checkins() == []
    assert "“happy” has no level yet" in before.failed[0].message

    with pytest.raises(UserError, match="from 1"):
        journal.place_daylio_moods({"happy": 9})
    journal.place_daylio_moods(OWN)
    assert journal.daylio_moods_to_place([path]) == []
    report = journal.import_paths([path], workers=1)
    assert not report.failed and report.checkins == 3
    levels = sorted(c.response("daylio").value("mood") for c in journal.store.list_checkins())
    assert levels == [1, 3, 5]


def test_the_cli_asks_nothing_when_told_and_refuses_a_bad_level(tmp_path, capsys):
    from innerpace.cli import main

    path = write(tmp_path, OLD)
    data = ["--data-dir", str(tmp_path / "journal")]
    assert main([*data, "import", str(path), "--daylio-mood", "happy=7"]) == 1  # one clear line
    assert main([*data, "import", str(path), "--daylio-mood", "happy"]) == 2  # usage
    capsys.readouterr()
    assert main([*data, "import", str(path), "--daylio-mood", "happy=5"]) == 3
    said = capsys.readouterr().out
    assert "Your own Daylio moods “average”, “horrible” have no level yet." in said
    assert "--daylio-mood 'average=3'" in said
    code = main(
        [*data, "import", str(path), "--daylio-mood", "happy=5", "--daylio-mood", "average=3",
         "--daylio-mood", "Horrible=1"]
    )  # fmt: skip
    assert code == 0


def test_rows_that_cannot_be_read_are_named_and_the_rest_kept(journal, tmp_path):
    text = NEW + '2017-12-05,December 5,Tuesday,25:61,rad,"","",""\n'
    report = journal.import_paths([write(tmp_path, text)], workers=1)
    (failure,) = report.failed
    assert failure.file.endswith("line 6") and "25:61" in failure.message
    assert report.checkins == 4


def test_a_csv_that_is_not_daylios_is_left_to_the_others(tmp_path):
    other = write(tmp_path, "Date,Steps\n2020-01-01,4000\n", name="steps.csv")
    assert daylio.read_export(other) is None
    assert daylio.read_export(tmp_path) is None


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_times_in_both_clocks(hour, minute):
    twelve = f"{hour % 12 or 12}:{minute:02d} {'am' if hour < 12 else 'pm'}"
    assert parse_clock(twelve) == parse_clock(f"{hour:02d}:{minute:02d}") == time(hour, minute)


def test_older_dates_in_either_order():
    assert parse_day("29 March", "2018") == parse_day("March 29", "2018") == date(2018, 3, 29)
    with pytest.raises(ValueError, match="cannot be read"):
        parse_day("Someday", "2018")


# Rows quoted from three real exports (tests/data/SOURCES.md): a full-date file without
# ``note_title`` and with 12-hour times and the person's own moods ("Sick", "Cry"); an older
# year-column file with month-first dates and 24-hour times; a Spanish phone's file with no
# header row, Spanish dates and weekdays, and its own mood names.
REAL = {
    "full_date without note_title": (
        "full_date,date,weekday,time,mood,activities,note\n"
        '2020-12-20,December 20,Sunday,3:26 AM,meh,"",""\n'
        '2020-10-07,October 7,Wednesday,10:35 PM,Sick,"",""\n'
        '2020-10-04,October 4,Sunday,7:28 PM,bad,"","CORONA"\n'
        '2020-03-02,March 2,Monday,5:04 PM,good,"family | friends | reading | Study",""\n',
        {"Sick": 2},
        [("meh", "03:26", None), ("Sick", "22:35", None), ("bad", "19:28", "CORONA"),
         ("good", "17:04", None)],
    ),
    "year column, month first": (
        "year,date,weekday,time,mood,activities,note\n"
        '2018,June 22,Friday,20:39,bad,"",""\n'
        '2018,June 4,Monday,22:58,rad,"work","Pycon"\n'
        '2018,April 8,Sunday,20:04,good,"work |  Sick",""\n',
        {},
        [("bad", "20:39", None), ("rad", "22:58", "Pycon"), ("good", "20:04", None)],
    ),
    "Spanish, no header": (
        '2021-10-16,16 de octubre,sábado,18:43,mal,"",""\n'
        '2021-10-10,10 de octubre,domingo,9:03,Pos bien,"",""\n'
        '2021-01-05,5 de enero,martes,19:22,como siempre,"juegos | deporte",""\n',
        {"mal": 2, "Pos bien": 4, "como siempre": 3},
        [("mal", "18:43", None), ("Pos bien", "09:03", None), ("como siempre", "19:22", None)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("variant", sorted(REAL))
def test_real_exports_rows_are_read_as_written(variant, journal, tmp_path):
    text, own, expected = REAL[variant]
    found = daylio.read_entries(text.encode())
    assert not found.problems
    got = [(e.mood, e.clock.strftime("%H:%M"), e.note) for e in found.entries]
    assert got == expected
    if own:
        journal.place_daylio_moods(own)
    report = journal.import_paths([write(tmp_path, text)], workers=1)
    assert not report.failed and report.checkins == len(expected)


def test_a_day_mood_is_never_tied_to_a_run_as_before_or_after(journal, tmp_path, fx):
    journal.import_paths([write(tmp_path, NEW)], workers=1)
    evening = datetime.combine(date(2017, 12, 8), time(21, 0)).astimezone()
    run = tmp_path / "run.gpx"
    run.write_bytes(fx.gpx_bytes(evening, points=60))
    assert journal.import_paths([run], workers=1).imported == 1
    assert all(c.run_id is None for c in journal.store.list_checkins())
    (listing,) = journal.runs()
    assert journal.store.checkins_for_runs([listing.run.id]).get(listing.run.id, []) == []
