import json

import soundfile as sf

from innerpace.cli import main
from innerpace.domain import Run


def test_guide_list_names_the_six_sessions(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "guide", "list", "--json"]) == 0
    ids = {row["id"] for row in json.loads(capsys.readouterr().out)}
    assert {
        "first-quiet-run",
        "breathe-3-2",
        "body-scan",
        "noting",
        "long-quiet",
        "hard-day",
    } <= ids


def test_guide_render_writes_a_file_of_the_asked_length(capsys, data_dir, tmp_path):
    out = tmp_path / "hard.flac"
    code = main(
        ["--data-dir", str(data_dir), "guide", "render", "hard-day", "--cadence", "172",
         "--minutes", "1", "--out", str(out), "--json"]
    )  # fmt: skip
    assert code == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["cadence_spm"] == 172
    info = sf.info(str(out))
    assert info.frames == 60 * info.samplerate


def test_cadence_auto_uses_recent_runs(capsys, journal, tmp_path):
    for hour, cadence in enumerate([168.0, 172.0, 176.0]):
        journal.store.add_run(
            Run(
                start=__import__("datetime").datetime(
                    2026, 5, 1, hour, tzinfo=__import__("datetime").UTC
                ),
                duration_s=1800,
                avg_cadence_spm=cadence,
            )
        )
    assert journal.recent_cadence() == 172.0


def test_bad_guide_input_is_one_line_exit_1_and_leaves_no_file(capsys, data_dir, tmp_path):
    cases = [
        (["nope", "--cadence", "170", "--out", str(tmp_path / "a.wav")], "no session called"),
        (["hard-day", "--cadence", "240", "--out", str(tmp_path / "b.wav")], "between 120 and 230"),
        (["hard-day", "--cadence", "170", "--out", str(tmp_path / "c.aiff")], ".wav, .flac"),
        (
            ["hard-day", "--cadence", "170", "--out", str(tmp_path / "no" / "d.wav")],
            "does not exist",
        ),
        (["hard-day", "--out", str(tmp_path / "e.wav")], "no recent run recorded a cadence"),
    ]
    for args, message in cases:
        code = main(["--data-dir", str(data_dir), "guide", "render", *args])
        err = capsys.readouterr().err
        assert code == 1, args
        assert message in err.lower() or message in err
        assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal"]
