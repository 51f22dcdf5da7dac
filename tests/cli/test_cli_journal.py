import json
import subprocess
import sys

import pytest

from innerpace.cli import main


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_run_then_runs_json_lists_it_with_its_fields(capsys, data_dir):
    code, out, _ = run_cli(
        capsys,
        "--data-dir", str(data_dir),
        "log-run", "--at", "2026-05-01T07:30+02:00", "--minutes", "32", "--km", "5.2",
        "--setting", "treadmill", "--company", "alone",
    )  # fmt: skip
    assert code == 0
    assert "Logged run 1" in out
    code, out, _ = run_cli(capsys, "--data-dir", str(data_dir), "runs", "--json")
    assert code == 0
    (run,) = json.loads(out)
    assert run["start"] == "2026-05-01T05:30:00Z"
    assert run["duration_s"] == 1920
    assert run["distance_m"] == 5200
    assert (run["sport"], run["setting"], run["company"]) == ("running", "treadmill", "alone")
    assert run["pre_feeling"] is None and run["post_feeling"] is None
    assert set(run) >= {"id", "start", "duration_s", "distance_m", "sport", "setting"}


def test_runs_are_listed_newest_first_and_can_be_narrowed_by_sport(capsys, data_dir):
    d = str(data_dir)
    for at, sport in [("2026-05-01T07:00Z", "running"), ("2026-05-03T07:00Z", "walking"),
                      ("2026-05-02T07:00Z", "cycling")]:  # fmt: skip
        assert (
            main(["--data-dir", d, "log-run", "--at", at, "--minutes", "30", "--sport", sport]) == 0
        )
    capsys.readouterr()
    _, out, _ = run_cli(capsys, "--data-dir", d, "runs", "--json")
    assert [r["sport"] for r in json.loads(out)] == ["walking", "cycling", "running"]
    _, out, _ = run_cli(capsys, "--data-dir", d, "runs", "--json", "--sport", "cycling")
    assert [r["sport"] for r in json.loads(out)] == ["cycling"]


def test_runs_table_reads_calmly_on_an_empty_journal(capsys, data_dir):
    code, out, _ = run_cli(capsys, "--data-dir", str(data_dir), "runs")
    assert code == 0
    assert "No runs yet" in out


def test_info_tells_where_the_journal_lives(capsys, data_dir):
    code, out, _ = run_cli(capsys, "--data-dir", str(data_dir), "info", "--json")
    assert code == 0
    facts = json.loads(out)
    assert facts["data_dir"] == str(data_dir)
    assert facts["schema_version"] >= 1
    assert facts["counts"]["runs"] == 0


def test_the_data_folder_defaults_to_innerpace_home(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("INNERPACE_HOME", str(tmp_path / "home-journal"))
    code, out, _ = run_cli(capsys, "info", "--json")
    assert code == 0
    assert json.loads(out)["data_dir"] == str(tmp_path / "home-journal")


@pytest.mark.parametrize("kind", ["file", "under-a-file", "not-creatable"])
def test_a_bad_data_dir_gives_one_line_and_exit_1(capsys, tmp_path, kind):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    target = {
        "file": afile,
        "under-a-file": afile / "journal",
        "not-creatable": "/proc/innerpace-journal",
    }[kind]
    code, out, err = run_cli(capsys, "--data-dir", str(target), "runs", "--json")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("innerpace: ")
    assert "data folder" in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log-run", "--minutes", "0"], "--minutes must be more than 0"),
        (["log-run", "--minutes", "30", "--setting", "moon"], "--setting must be one of"),
        (["log-run", "--minutes", "30", "--at", "soon"], "is not a time"),
        (["runs", "--sport", "flying"], "--sport must be one of"),
    ],
)
def test_user_errors_name_the_problem_without_a_traceback(capsys, data_dir, args, message):
    code, _, err = run_cli(capsys, "--data-dir", str(data_dir), *args)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_usage_errors_exit_2(capsys, data_dir):
    code, _, err = run_cli(capsys, "--data-dir", str(data_dir), "runs", "--no-such-flag")
    assert code == 2
    assert "No such option" in err


def test_the_installed_command_and_python_m_agree(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "innerpace", "--data-dir", str(target), "runs"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"innerpace: data folder {target} is a file, not a folder"


def test_quiet_numbers_hide_distance_in_the_table(capsys, data_dir):
    d = str(data_dir)
    assert main(["--data-dir", d, "log-run", "--minutes", "30", "--km", "5.5"]) == 0
    assert main(["--data-dir", d, "runs"]) == 0
    assert "5.5 km" in capsys.readouterr().out
    assert main(["--data-dir", d, "settings", "quiet_numbers", "1"]) == 0
    assert main(["--data-dir", d, "runs"]) == 0
    out = capsys.readouterr().out
    assert "5.5 km" not in out
    assert "30 min" in out
