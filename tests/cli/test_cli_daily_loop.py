"""The daily loop from the terminal: check in, log a run by hand, check in, change your mind."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest

from innerpace.cli import main
from innerpace.services import Journal


def run_cli(capsys, data_dir, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_before_log_run_without_a_time_and_after_the_run_shows_both(capsys, data_dir):
    set_out = (datetime.now().astimezone() - timedelta(minutes=35)).isoformat(timespec="seconds")
    code, out, _ = run_cli(
        capsys, data_dir, "checkin", "--before", "--feeling", "-2", "--at", set_out
    )
    assert code == 0 and "with run" not in out  # no run yet: it waits for one
    code, out, _ = run_cli(capsys, data_dir, "log-run", "--minutes", "30", "--json")
    assert code == 0
    logged = json.loads(out)
    assert logged["pre_feeling"] == -2  # the run ended now, so the earlier check-in joined it
    code, out, _ = run_cli(capsys, data_dir, "checkin", "--after", "--feeling", "3")
    assert code == 0 and f"with run {logged['id']}" in out
    code, out, _ = run_cli(capsys, data_dir, "runs", "--json")
    (shown,) = json.loads(out)
    assert (shown["id"], shown["pre_feeling"], shown["post_feeling"]) == (logged["id"], -2, 3)
    end = datetime.fromisoformat(shown["start"]) + timedelta(seconds=shown["duration_s"])
    assert abs((datetime.now().astimezone() - end).total_seconds()) < 120
    with Journal.open(data_dir) as journal:
        detail = journal.run_detail(logged["id"])
        assert detail.listing.after.delay_s is not None and detail.listing.after.delay_s < 120


def test_log_run_takes_a_start_or_an_end_never_both(capsys, data_dir):
    code, out, _ = run_cli(
        capsys, data_dir, "log-run", "--minutes", "40", "--ended", "2026-05-01T08:00+00:00",
        "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["start"] == "2026-05-01T07:20:00Z"
    code, _, err = run_cli(
        capsys, data_dir, "log-run", "--minutes", "40", "--ended", "2026-05-01T08:00",
        "--at", "2026-05-01T07:00",
    )  # fmt: skip
    assert code == 1 and "not both" in err
    code, _, err = run_cli(capsys, data_dir, "log-run", "--minutes", "40", "--ended", "soon")
    assert code == 1 and "--ended 'soon' is not a time" in err
    code, out, _ = run_cli(capsys, data_dir, "runs", "--json")
    assert len(json.loads(out)) == 1  # the refused ones changed nothing


def test_edit_delete_trash_and_restore_from_the_terminal(capsys, data_dir, monkeypatch):
    with Journal.open(data_dir) as journal:
        run = journal.log_run(minutes=30, km=5.0)
        checkin = journal.check_in("after", feeling=1, note="tired")
        moment = journal.add_moment(run.id, "2km", tags=["calm"])
        words = journal.reflect("first words", run_id=run.id)
        who5 = journal.record_wellbeing([3, 3, 3, 3, 3])
    assert run_cli(capsys, data_dir, "edit", "checkin", str(checkin.id), "--feeling", "4",
                   "--note", "")[0] == 0  # fmt: skip
    assert run_cli(capsys, data_dir, "edit", "moment", str(moment.id), "--at", "3km",
                   "--tag", "joy")[0] == 0  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("second words"))
    assert run_cli(capsys, data_dir, "edit", "reflection", str(words.id), "--private")[0] == 0
    assert run_cli(capsys, data_dir, "edit", "wellbeing", str(who5.id), "--answers",
                   "4,4,4,4,4")[0] == 0  # fmt: skip
    assert run_cli(capsys, data_dir, "edit", "run", str(run.id), "--title", "Quiet one",
                   "--setting", "trail")[0] == 0  # fmt: skip
    with Journal.open(data_dir) as journal:
        detail = journal.run_detail(run.id)
        assert detail.listing.post_feeling == 4 and detail.listing.after.note is None
        assert [(m.at_m, m.tags) for m in detail.moments] == [(3000.0, ("joy",))]
        assert [(r.text, r.private) for r in detail.reflections] == [("second words", True)]
        assert {v for _, v in journal.wellbeing_checks()[0].response.answers} == {4.0}
        assert (detail.run.name, detail.run.setting.value) == ("Quiet one", "trail")

    code, out, _ = run_cli(capsys, data_dir, "delete", "reflection", str(words.id))
    assert code == 0 and "Recently deleted" in out and "second words" in out
    code, out, _ = run_cli(capsys, data_dir, "delete", "run", str(run.id))
    assert code == 0
    code, out, _ = run_cli(capsys, data_dir, "trash", "--json")
    assert [(i["kind"], i["id"]) for i in json.loads(out)] == [
        ("run", run.id),
        ("reflection", words.id),
    ]
    code, out, _ = run_cli(capsys, data_dir, "runs", "--json")
    assert json.loads(out) == []
    assert run_cli(capsys, data_dir, "trash", "restore", "run", str(run.id))[0] == 0
    assert run_cli(capsys, data_dir, "trash", "restore", "reflection", str(words.id))[0] == 0
    code, _, err = run_cli(capsys, data_dir, "trash", "restore", "reflection", str(words.id))
    assert code == 1 and "no reflection" in err
    with Journal.open(data_dir) as journal:
        detail = journal.run_detail(run.id)
        assert [r.text for r in detail.reflections] == ["second words"]
        assert detail.listing.post_feeling == 4
        assert journal.trash() == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["edit", "checkin", "99", "--feeling", "1"], "no check-in 99"),
        (["edit", "checkin", "1", "--feeling", "9"], "feeling"),
        (["delete", "thought", "1"], "thought is not something that can be deleted"),
        (["delete", "moment", "5"], "no moment 5 to delete"),
        (["edit", "run", "1", "--setting", "moon"], "moon is not a setting"),
    ],
)
def test_bad_edits_say_what_is_wrong_and_change_nothing(capsys, data_dir, args, said):
    with Journal.open(data_dir) as journal:
        journal.log_run(minutes=20)
        journal.check_in("after", feeling=1)
        before = journal.changes.version
    code, _, err = run_cli(capsys, data_dir, *args)
    assert code == 1 and said in err
    with Journal.open(data_dir) as journal:
        assert journal.changes.version == before
        assert journal.runs()[0].post_feeling == 1


def test_undo_import_prints_what_stays(capsys, data_dir, tmp_path):
    from tests.services.conftest import as_gpx, outdoor_runs

    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    with Journal.open(data_dir) as journal:
        report = journal.import_paths([tmp_path / "a.gpx"], workers=1)
        journal.reflect("Words of mine about the hill.", run_id=journal.runs()[0].run.id)
    code, out, _ = run_cli(capsys, data_dir, "undo-import", str(report.batch), "--preview")
    assert code == 0 and "nothing has changed yet" in out and "Words of mine" in out
    code, out, _ = run_cli(capsys, data_dir, "undo-import", str(report.batch))
    assert code == 0 and "(1 activity)" in out
    assert "kept without a run" in out and "reflection" in out and "Words of mine" in out


def test_undo_import_says_a_run_made_richer_later_stays(capsys, data_dir, tmp_path):
    from tests.services.conftest import as_fit, as_gpx, outdoor_runs

    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    with Journal.open(data_dir) as journal:
        first = journal.import_paths([tmp_path / "a.gpx"], workers=1)
        journal.import_paths([tmp_path / "a.fit"], workers=1)
    for preview in (("--preview",), ()):
        code, out, _ = run_cli(capsys, data_dir, "undo-import", str(first.batch), *preview)
        assert code == 0 and "0 activities" in out
        assert "1 run it brought stays as the richer copy a later import found" in out
    with Journal.open(data_dir) as journal:
        (left,) = journal.runs()
        assert left.run.source == "fit"
