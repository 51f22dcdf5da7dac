"""The daily commands' quick parser hands the same values as the full Typer app, and leaves
help and usage errors to it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from innerpace.cli import daily, main

SAMPLES = [
    ["checkin", "--before", "--feeling", "-2"],
    ["checkin", "--after", "--feeling", "3", "--arousal", "4", "--note", "heavy legs", "--json"],
    ["checkin", "--rest", "--feeling", "0", "--at", "2026-05-01T07:00"],
    ["checkin", "--before", "--feeling", "1", "--run", "7"],
    ["moment", "3", "--at", "7km", "--tag", "calm", "--tag", "joy", "--note", "the bridge"],
    ["moment", "3", "--confirm", "12", "--json"],
    ["moment", "--dismiss", "4", "3"],
    ["reflect", "--run", "2", "--prompt", "enough-today", "--private"],
    ["reflect", "--day", "2026-05-01", "--json"],
    ["search", "river", "quiet"],
    ["search", "--json", "river"],
    ["runs"],
    ["runs", "--sport", "running", "--sport", "walking", "--limit", "5", "--json"],
    ["log-run", "--minutes", "30"],
    ["log-run", "--minutes", "42.5", "--km", "5.2", "--setting", "trail", "--company", "alone",
     "--sport", "hiking", "--name", "Hill", "--ended", "2026-05-01T08:00", "--json"],
    ["log-run", "--at", "2026-05-01T07:00", "--minutes", "30"],
]  # fmt: skip
ROOTS = [[], ["--data-dir", "/tmp/x"], ["--data-dir=/tmp/y", "--passphrase-file", "/tmp/p"]]


def _heard(monkeypatch) -> list[tuple[str, object, dict]]:
    heard: list[tuple[str, object, dict]] = []
    for command, function in daily.COMMANDS.items():

        def record(state, _command=command, **values):
            heard.append((_command, state, values))

        monkeypatch.setitem(daily.COMMANDS, command, record)
        monkeypatch.setattr(daily, function.__name__, record)
    return heard


@pytest.mark.parametrize("root", ROOTS, ids=["plain", "data-dir", "passphrase"])
@pytest.mark.parametrize("args", SAMPLES, ids=lambda a: " ".join(a)[:40])
def test_both_parsers_hand_the_same_values(monkeypatch, root, args):
    heard = _heard(monkeypatch)
    assert daily.run(root + args) == 0
    from innerpace.cli.typer_app import main as full

    assert full(root + args) == 0
    quick, typer_made = heard
    assert quick[0] == typer_made[0]
    assert quick[1] == typer_made[1]  # the same data folder and secrets
    normalise = {k: (v or None) if isinstance(v, list) else v for k, v in quick[2].items()}
    assert normalise == {
        k: (v or None) if isinstance(v, list) else v for k, v in typer_made[2].items()
    }


@pytest.mark.parametrize(
    "args",
    [
        ["checkin", "--feeling", "x"],
        ["checkin", "--before"],
        ["checkin", "--help"],
        ["runs", "--limit", "0"],
        ["log-run", "--minutes"],
        ["runs", "--bogus"],
        ["--unknown-root", "runs"],
        ["checkin", "--bef", "--feeling", "1"],  # no abbreviations, as in Typer
    ],
)
def test_help_and_usage_errors_are_left_to_typer(args):
    assert daily.parse(args) is None


def test_a_usage_error_still_reads_as_before(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "checkin", "--before", "--feeling", "x"]) == 2
    assert "--feeling" in capsys.readouterr().err


def test_a_daily_command_runs_without_loading_typer_or_numpy(data_dir):
    code = (
        "import sys; from innerpace.cli import main;"
        f"rc = main(['--data-dir', {str(data_dir)!r}, 'checkin', '--before', '--feeling', '1']);"
        "print(rc, 'typer' in sys.modules, 'numpy' in sys.modules, 'rich' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 False False False"


def test_the_runs_table_lines_up_its_columns():
    lines = daily.table_lines(["id", "name"], [["1", "River loop"], ["12", ""]])
    assert lines == ["id  name", "1   River loop", "12"]
