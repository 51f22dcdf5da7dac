"""Day moods from the terminal: `edit checkin ID --mood`, then delete and bring back."""

from __future__ import annotations

import json

import pytest

from innerpace.cli import main
from innerpace.services import Journal


def run_cli(capsys, data_dir, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def moods(data_dir, daylio_export):
    with Journal.open(data_dir) as journal:
        journal.import_paths([daylio_export], workers=1)
        return journal.day_moods()


def _stored(data_dir, checkin_id):
    with Journal.open(data_dir) as journal:
        return journal.checkin(checkin_id)


def test_a_day_mood_is_changed_by_word_or_number_with_its_note_and_tags(capsys, data_dir, moods):
    rad, good, *_ = moods
    code, out, _ = run_cli(
        capsys, data_dir, "edit", "checkin", str(good.id), "--mood", "meh",
        "--note", "tired after all", "--tag", "friends", "--tag", "Rain",
    )  # fmt: skip
    day = good.at.astimezone().strftime("%a %-d %b %Y")
    assert code == 0 and out.strip() == f"Day mood {good.id} changed: {day}, meh."
    stored = _stored(data_dir, good.id)
    assert stored.response("daylio").value("mood") == 3
    assert (stored.note, stored.tags) == ("tired after all", ("friends", "rain"))
    assert (stored.at, stored.batch_id) == (good.at, None)  # changed: the person's own now
    assert run_cli(capsys, data_dir, "edit", "checkin", str(rad.id), "--mood", "2")[0] == 0
    assert _stored(data_dir, rad.id).response("daylio").value("mood") == 2
    assert run_cli(capsys, data_dir, "edit", "checkin", str(rad.id), "--note", "only words")[0] == 0
    assert _stored(data_dir, rad.id).note == "only words"
    assert _stored(data_dir, rad.id).response("daylio").value("mood") == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--mood", "6"], "Daylio day mood: mood must be a whole number from 1 to 5, not 6"),
        (
            ["--mood", "great"],
            "“great” is not a level of the Daylio day mood; choose one of 1 awful",
        ),
        (["--feeling", "3"], "is a day mood on the Daylio day mood, so it takes no Feeling Scale"),
        (["--arousal", "2"], "; use --mood, e.g. --mood good"),
        (["--run", "1"], "only a before or after check-in belongs to a run; this one is day"),
    ],
)
def test_a_bad_day_mood_edit_says_what_is_wrong_and_changes_nothing(
    capsys, data_dir, moods, args, said
):
    rad = moods[0]
    with Journal.open(data_dir) as journal:
        journal.log_run(minutes=20)
        version = journal.changes.version
    code, out, err = run_cli(capsys, data_dir, "edit", "checkin", str(rad.id), *args)
    assert code == 1 and said in err and out == ""
    with Journal.open(data_dir) as journal:
        assert journal.changes.version == version
        assert journal.checkin(rad.id) == rad


def test_mood_is_for_day_moods_only(capsys, data_dir, moods):
    with Journal.open(data_dir) as journal:
        rest = journal.check_in("rest", feeling=1)
    code, _, err = run_cli(capsys, data_dir, "edit", "checkin", str(rest.id), "--mood", "good")
    assert code == 1 and f"check-in {rest.id} is not a day mood" in err
    assert _stored(data_dir, rest.id) == rest


def test_a_day_mood_is_deleted_listed_plainly_and_restored(capsys, data_dir, moods):
    rad = moods[0]
    day = rad.at.astimezone().strftime("%a %-d %b %Y")
    code, out, _ = run_cli(capsys, data_dir, "delete", "checkin", str(rad.id))
    assert code == 0 and f"Day mood on {day} — rad" in out
    code, out, _ = run_cli(capsys, data_dir, "trash", "--json")
    (item,) = json.loads(out)
    assert (item["kind"], item["id"], item["title"]) == (
        "checkin",
        rad.id,
        f"Day mood on {day} — rad",
    )
    with Journal.open(data_dir) as journal:
        assert rad.id not in [m.id for m in journal.day_moods()]
    assert run_cli(capsys, data_dir, "trash", "restore", "checkin", str(rad.id))[0] == 0
    with Journal.open(data_dir) as journal:
        assert journal.day_moods()[0] == rad and journal.trash() == []
