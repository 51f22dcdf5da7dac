import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.domain import Moment, MomentStatus
from innerpace.services import Journal

RUN_FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"


def cli(capsys, data_dir, *args):
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(data_dir: Path) -> str:
    """Every row of every table, as a digest: equal digests mean nothing was written."""
    conn = sqlite3.connect(data_dir / "journal.db")
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM pragma_table_list WHERE schema='main' AND type='table'"
            " AND name NOT LIKE 'sqlite_%'"
        )
    ]
    digest = hashlib.sha256()
    for table in sorted(tables):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


@pytest.fixture
def with_run(capsys, data_dir):
    assert cli(capsys, data_dir, "import", str(RUN_FIT))[0] == 0
    return data_dir


def test_checkins_before_and_after_attach_to_the_run_whenever_it_arrives(capsys, data_dir):
    # The run (2017-06-11 14:34:09Z, 57 s) is imported only after both check-ins are made.
    code, out, _ = cli(
        capsys, data_dir, "checkin", "--before", "--feeling", "-2", "--arousal", "2",
        "--at", "2017-06-11T14:00:00Z", "--note", "tight shoulders", "--json",
    )  # fmt: skip
    assert code == 0
    before = json.loads(out)
    assert before["run"] is None
    assert before["prompt"]["id"]
    code, out, _ = cli(
        capsys, data_dir, "checkin", "--after", "--feeling", "3", "--arousal", "3",
        "--at", "2017-06-11T14:45:00Z", "--json",
    )  # fmt: skip
    assert json.loads(out)["run"] is None
    assert cli(capsys, data_dir, "import", str(RUN_FIT))[0] == 0
    with Journal.open(data_dir) as journal:
        (listing,) = journal.runs()
        assert (listing.pre_feeling, listing.post_feeling) == (-2, 3)
        assert listing.pre_arousal == 2
        assert listing.after.delay_s == pytest.approx((45 - 34) * 60 - 9 - 56.9, abs=2)
        assert listing.before.note == "tight shoulders"


def test_a_checkin_after_the_import_finds_its_run_by_time(capsys, with_run):
    code, out, _ = cli(
        capsys, with_run, "checkin", "--after", "--feeling", "4", "--at",
        "2017-06-11T14:40:00Z", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["run"] == 1


def test_a_checkin_keeps_its_tags_and_edit_replaces_or_clears_them(capsys, data_dir):
    code, out, _ = cli(
        capsys, data_dir, "checkin", "--rest", "--feeling", "2", "--tag", "Rain",
        "--tag", "after work, rain", "--json",
    )  # fmt: skip
    assert code == 0
    made = json.loads(out)
    assert made["tags"] == ["rain", "after work"]
    assert cli(capsys, data_dir, "edit", "checkin", str(made["id"]), "--tag", "calm")[0] == 0
    with Journal.open(data_dir) as journal:
        assert journal.checkin(made["id"]).tags == ("calm",)
    assert cli(capsys, data_dir, "edit", "checkin", str(made["id"]), "--note", "x")[0] == 0
    with Journal.open(data_dir) as journal:
        assert journal.checkin(made["id"]).tags == ("calm",)  # not given: kept
    assert cli(capsys, data_dir, "edit", "checkin", str(made["id"]), "--tag", "")[0] == 0
    with Journal.open(data_dir) as journal:
        assert journal.checkin(made["id"]).tags == ()


def test_rest_day_checkins_come_in_pairs(capsys, data_dir):
    for at in ("2026-05-02T07:00Z", "2026-05-02T08:00Z", "2026-05-03T07:00Z"):
        assert cli(capsys, data_dir, "checkin", "--rest", "--feeling", "1", "--at", at)[0] == 0
    with Journal.open(data_dir) as journal:
        kinds = [c.kind.value for c in journal.store.list_checkins()]
    assert kinds == ["rest-first", "rest-second", "rest-first"]


def test_a_lap_moment_can_be_kept_or_set_aside(capsys, with_run):
    with Journal.open(with_run) as journal:
        journal.store.add_moment(
            Moment(run_id=1, at_s=30, status=MomentStatus.SUGGESTED, source="lap")
        )
    code, out, _ = cli(capsys, with_run, "moments", "1", "--json")
    (suggested,) = json.loads(out)
    assert suggested["status"] == "suggested"
    code, out, _ = cli(
        capsys, with_run, "moment", "1", "--confirm", str(suggested["id"]), "--tag", "release",
        "--note", "it came up", "--json",
    )  # fmt: skip
    kept = json.loads(out)
    assert (kept["status"], kept["tags"], kept["note"]) == ("confirmed", ["release"], "it came up")
    code, out, _ = cli(capsys, with_run, "moment", "1", "--at", "100m", "--tag", "Calm", "--json")
    assert json.loads(out)["tags"] == ["calm"]
    assert json.loads(out)["at_m"] == 100


def test_reflections_are_kept_and_found(capsys, with_run, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("The river path was **quiet** today.\n"))
    code, out, _ = cli(capsys, with_run, "reflect", "--run", "1", "--json")
    assert code == 0
    code, out, _ = cli(capsys, with_run, "search", "rive", "--json")
    (hit,) = json.loads(out)
    assert hit["run"] == 1
    assert "[river]" in hit["snippet"]
    code, out, _ = cli(capsys, with_run, "search", "nothing-like-this", "--json")
    assert json.loads(out) == []


def test_wellbeing_scores_and_shows_the_card_level(capsys, data_dir):
    code, out, _ = cli(capsys, data_dir, "wellbeing", "--answers", "4,4,3,4,4", "--json")
    assert (json.loads(out)["score"], json.loads(out)["card"]) == (76, "none")
    code, out, _ = cli(capsys, data_dir, "wellbeing", "--answers", "3,3,2,1,3", "--json")
    assert json.loads(out)["card"] == "prominent"  # a drop of 10 or more
    code, out, _ = cli(capsys, data_dir, "wellbeing", "--answers", "1,1,1,1,1")
    assert "emergency" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "--before", "--feeling", "7"], "from -5 to 5"),
        (["checkin", "--before", "--feeling", "1", "--arousal", "9"], "from 1 to 6"),
        (["checkin", "--feeling", "1"], "choose one of"),
        (["checkin", "--after", "--feeling", "1", "--run", "42"], "no run 42"),
        (["checkin", "--rest", "--feeling", "1", "--run", "1"], "belongs to no run"),
        (
            ["checkin", "--before", "--feeling", "1", "--run", "1", "--at", "2017-06-11T15:00Z"],
            "before run 1 began",
        ),
        (
            ["checkin", "--after", "--feeling", "1", "--run", "1", "--at", "2017-06-11T14:00Z"],
            "once run 1 had ended",
        ),
        (
            ["checkin", "--after", "--feeling", "1", "--run", "1", "--at", "2999-01-01T07:00Z"],
            "has not come yet",
        ),
        (["checkin", "--rest", "--feeling", "1", "--tag", "x" * 41], "longer than 40"),
        (["moment", "1", "--at", "3h"], "should be a distance"),
        (["moment", "1", "--at", "90min"], "after its end"),
        (["moment", "1", "--at", "12km"], "past its end"),
        (["moment", "42", "--at", "1min"], "no run 42"),
        (["moment", "1", "--confirm", "999"], "no moment 999"),
        (["reflect", "--run", "1", "--prompt", "no-such-prompt"], "no prompt"),
        (["wellbeing", "--answers", "1,2,3"], "5 answers"),
        (["wellbeing", "--answers", "1,2,3,4,9"], "from 0 to 5"),
        (["settings", "quiet_numbers", "maybe"], "must be one of"),
        (["settings", "colour", "blue"], "no setting"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(capsys, with_run, args, message):
    before = snapshot(with_run)
    code, out, err = cli(capsys, with_run, *args)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(with_run) == before


def test_an_empty_reflection_keeps_nothing(capsys, with_run, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("   \n"))
    before = snapshot(with_run)
    code, _, err = cli(capsys, with_run, "reflect", "--run", "1")
    assert code == 1
    assert "empty" in err
    assert snapshot(with_run) == before


def test_settings_change_and_show(capsys, data_dir):
    assert cli(capsys, data_dir, "settings", "country", "ie")[0] == 0
    code, out, _ = cli(capsys, data_dir, "settings", "--json")
    assert json.loads(out)["country"] == "IE"


def test_a_checkin_before_a_run_logged_by_hand_finds_it(capsys, data_dir):
    cli(capsys, data_dir, "checkin", "--before", "--feeling", "-1", "--at", "2026-05-02T06:50Z")
    assert cli(capsys, data_dir, "log-run", "--at", "2026-05-02T07:00Z", "--minutes", "30")[0] == 0
    with Journal.open(data_dir) as journal:
        (listing,) = journal.runs()
    assert listing.pre_feeling == -1


def test_a_feeling_remembered_for_a_past_run_keeps_when_it_was_felt(capsys, with_run):
    code, out, _ = cli(
        capsys, with_run, "checkin", "--after", "--feeling", "3", "--run", "1",
        "--at", "2017-06-11T14:50:00Z", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["run"] == 1
    with Journal.open(with_run) as journal:
        (listing,) = journal.runs()
    assert listing.after.at.isoformat().startswith("2017-06-11T14:50")
    assert listing.after.delay_s == pytest.approx((50 - 34) * 60 - 9 - 56.9, abs=2)
