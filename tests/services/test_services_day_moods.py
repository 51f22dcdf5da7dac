"""Day moods (a mood diary's entries) are changed on their own scale and kept or taken back
with the import that brought them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.domain import CheckInKind
from innerpace.errors import NotFound, UserError
from innerpace.instruments import get_instrument


def _moods(journal, daylio_export):
    batch = journal.import_paths([daylio_export], workers=1).batch
    moods = journal.day_moods()
    assert [m.response("daylio").value("mood") for m in moods] == [5, 4, 3, 1]
    return batch, moods


def _level(checkin) -> float | None:
    return checkin.response("daylio").value("mood")


def test_a_day_mood_is_changed_by_number_or_word_keeps_its_day_and_becomes_the_persons(
    journal, daylio_export
):
    batch, (rad, good, *_) = _moods(journal, daylio_export)
    heard = []
    journal.changes.subscribe(heard.append)
    changed = journal.edit_day_mood(rad.id, mood=3)
    assert heard and heard[0].kind == "checkin" and heard[0].ids == (rad.id,)
    stored = journal.checkin(rad.id)
    assert stored == changed
    assert _level(stored) == 3
    assert stored.responses[0].instrument_version == "1"
    assert (stored.at, stored.kind, stored.source) == (rad.at, CheckInKind.DAY, rad.source)
    assert rad.batch_id == batch and stored.batch_id is None  # changed: the person's own now
    assert stored.tags == rad.tags  # not given: kept
    journal.edit_day_mood(good.id, mood=" Bad ")
    assert _level(journal.checkin(good.id)) == 2


def test_a_day_moods_note_and_tags_are_changed_cleaned_and_cleared(journal, daylio_export):
    _, (_, good, *_) = _moods(journal, daylio_export)
    assert good.tags == ("friends", "movies", "good meal")
    journal.edit_day_mood(good.id, note="  thai food, then a film ", tags=["Friends, Rain", "rain"])
    stored = journal.checkin(good.id)
    assert stored.note == "thai food, then a film"
    assert stored.tags == ("friends", "rain")
    assert _level(stored) == 4  # the level stays
    journal.edit_day_mood(good.id, note="", tags=[])
    stored = journal.checkin(good.id)
    assert stored.note is None and stored.tags == ()


@pytest.mark.parametrize(
    ("mood", "words"),
    [
        (6, "Daylio day mood"),
        ("0", "whole number from 1 to 5, not 0"),
        (2.5, "2.5"),
        ("splendid", "“splendid” is not a level of the Daylio day mood"),
        ("", "“” is not a level"),
    ],
)
def test_a_level_off_the_scale_is_refused_and_nothing_is_written(
    journal, daylio_export, mood, words
):
    _, (rad, *_) = _moods(journal, daylio_export)
    version = journal.changes.version
    with pytest.raises(UserError, match=words.replace(".", r"\.")):
        journal.edit_day_mood(rad.id, mood=mood, note="never kept", tags=["never"])
    assert journal.checkin(rad.id) == rad
    assert journal.changes.version == version


def test_the_words_of_a_refusal_are_the_instruments_own(journal, daylio_export):
    _, (rad, *_) = _moods(journal, daylio_export)
    with pytest.raises(UserError) as refused:
        journal.edit_day_mood(rad.id, mood=9)
    try:
        get_instrument("daylio", "1").response({"mood": 9})
    except ValueError as exc:
        assert str(refused.value) == str(exc)
    else:
        raise AssertionError("the instrument took 9")


def test_a_day_moods_tag_too_long_is_refused_and_nothing_is_written(journal, daylio_export):
    _, (rad, *_) = _moods(journal, daylio_export)
    with pytest.raises(UserError, match="longer than 40"):
        journal.edit_day_mood(rad.id, mood=1, tags=["x" * 41])
    assert journal.checkin(rad.id) == rad


def test_only_a_day_mood_is_changed_as_one(journal, daylio_export):
    before = journal.check_in("rest", feeling=2)
    with pytest.raises(NotFound, match=f"there is no day mood {before.id}"):
        journal.edit_day_mood(before.id, mood=4)
    with pytest.raises(NotFound):
        journal.edit_day_mood(999, mood=4)
    assert journal.checkin(before.id) == before


def test_a_feeling_scale_answer_is_never_written_onto_a_day_mood(journal, daylio_export):
    _, (rad, *_) = _moods(journal, daylio_export)
    for answers in ({"feeling": 3}, {"arousal": 2}, {"feeling": -1, "note": "x"}):
        with pytest.raises(UserError, match="is a day mood on the Daylio day mood") as refused:
            journal.edit_checkin(rad.id, **answers)
        assert "1 awful, 2 bad, 3 meh, 4 good, 5 rad" in str(refused.value)
    assert journal.checkin(rad.id) == rad
    assert journal.checkin(rad.id).response("fs") is None
    journal.edit_checkin(rad.id, note="words only")  # a note alone is still fine
    assert journal.checkin(rad.id).note == "words only"


def test_a_deleted_day_mood_is_named_plainly_and_comes_back(journal, daylio_export):
    _, (rad, good, *_) = _moods(journal, daylio_export)
    journal.edit_day_mood(good.id, note="Thai food")
    item = journal.delete("checkin", rad.id)
    day = rad.at.astimezone().strftime("%a %-d %b %Y")
    assert item.title == f"Day mood on {day} — rad"
    journal.delete("checkin", good.id)
    titles = [i.title for i in journal.trash()]
    assert titles[0].startswith("Day mood on ") and titles[0].endswith(" — good: Thai food")
    assert all("check-in" not in t for t in titles)
    assert rad.id not in [m.id for m in journal.day_moods()]
    journal.restore("checkin", rad.id)
    assert journal.day_moods()[0] == rad


def test_undo_leaves_a_day_mood_the_person_changed_and_a_new_import_does_not_copy_it(
    journal, daylio_export, tmp_path
):
    """A check-in an import brought is the person's once they change it, as a kept moment is:
    taking the import back leaves it, and bringing the same export in again adds the others
    back without a second copy of the changed day."""
    batch, (rad, good, *_) = _moods(journal, daylio_export)
    journal.edit_day_mood(rad.id, mood="meh", note="changed my mind")
    mine = journal.check_in("rest", feeling=2, note="mine")
    preview = journal.undo_preview(batch)
    summary = journal.undo_import(batch)
    assert summary.checkins == preview.checkins == 3
    assert [(m.id, m.note, _level(m)) for m in journal.day_moods()] == [
        (rad.id, "changed my mind", 3)
    ]
    assert {c.id for c in journal.store.list_checkins()} == {mine.id, rad.id}
    again = journal.import_paths([daylio_export], workers=1)
    assert again.checkins == 3  # the others, as Daylio has them; the changed day stays as changed
    moods = journal.day_moods()
    assert [_level(m) for m in moods] == [3, 4, 3, 1]
    assert moods[0].id == rad.id and moods[0].note == "changed my mind"


def test_a_newer_export_of_the_same_diary_adds_only_the_days_not_here(
    journal, daylio_export, tmp_path
):
    _moods(journal, daylio_export)
    lines = daylio_export.read_text("utf-8").splitlines()
    newer = tmp_path / "daylio_export_newer.csv"
    header, first = lines[0], lines[1]
    fresh = first.replace(first.split(",")[0], "2017-12-10", 1)
    newer.write_text("\n".join([header, fresh, *lines[1:]]) + "\n", "utf-8")
    report = journal.import_paths([newer], workers=1)
    assert report.checkins == 1
    assert len(journal.day_moods()) == 5


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mood=st.one_of(st.integers(-3, 8), st.floats(allow_nan=True), st.text(max_size=8)))
def test_any_typed_level_is_kept_exactly_when_the_scale_has_it(journal, daylio_export, mood):
    if not journal.day_moods():
        _moods(journal, daylio_export)
    target = journal.day_moods()[2]
    scale = get_instrument("daylio", "1").items[0]
    words = {w: v for v, w in scale.anchors}
    typed = mood.strip().lower() if isinstance(mood, str) else mood
    try:
        expected = float(words.get(typed, typed))  # type: ignore[arg-type]
    except ValueError:
        expected = None
    fits = expected is not None and expected in scale.values
    try:
        journal.edit_day_mood(target.id, mood=mood)
    except UserError:
        assert not fits
        assert journal.checkin(target.id) == target
    else:
        assert fits and _level(journal.checkin(target.id)) == expected
        journal.edit_day_mood(target.id, mood=_level(target))
