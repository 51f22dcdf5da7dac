"""Every export kind: the report says what happened to everything, per path named, in the
command line's text and JSON alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innerpace.cli import main

DAYLIO = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    '2017-12-09,December 9,Saturday,01:25,rad,"shopping | friends","","Choir concert"\n'
    '2017-12-08,December 8,Friday,9:26 pm,good,"movies","",""\n'
)


def strava(tmp_path: Path, fx) -> Path:
    header = fx.strava_header("en", 103)
    rows = [
        {"id": "1", "date": "Jun 11, 2017, 2:34:09 PM", "name": "Morning Run", "type": "Run",
         "elapsed": "1500", "distance": "4.1"},
        {"id": "2", "date": "Jun 12, 2017, 2:34:09 PM", "name": "Lake", "type": "Run",
         "filename": "activities/2.gpx"},
    ]  # fmt: skip
    from datetime import UTC, datetime

    members = {
        "activities.csv": fx.strava_csv(header, [fx.strava_row(header, "en", r) for r in rows]),
        "activities/2.gpx": fx.gpx_bytes(datetime(2017, 6, 12, 14, 34, 9, tzinfo=UTC)),
        "media/1.jpg": b"\xff\xd8",
        "media/2.jpg": b"\xff\xd8",
        "routes/3.gpx": b"<gpx/>",
        "profile.csv": b"x",
    }
    return fx.write_zip(tmp_path / "strava.zip", members)


def garmin(tmp_path: Path, fx) -> Path:
    return fx.write_zip(tmp_path / "garmin.zip", fx.garmin_export())


def apple(tmp_path: Path, fx) -> Path:
    path, _ = fx.apple_export(tmp_path, workouts=3, hr_records=300, moods=1, routes=1)
    return path


def daylio(tmp_path: Path, fx) -> Path:
    path = tmp_path / "daylio_export.csv"
    path.write_text(DAYLIO)
    return path


def folder(tmp_path: Path, fx) -> Path:
    from datetime import UTC, datetime

    members = {"a.gpx": fx.gpx_bytes(datetime(2020, 1, 1, tzinfo=UTC)), "b.txt": b"hello"}
    return fx.write_folder(tmp_path / "files", members)


EXPECTED = {
    strava: (2, 0, {"photos": 2, "routes": 1, "account files": 1}),
    garmin: (None, 0, {"non-activity files": 1, "account files": 3, "non-activity FIT files": 1}),
    apple: (3, 1, {"account files": 1}),
    daylio: (0, 2, {}),
    folder: (1, 0, {"other files": 1}),
}


@pytest.mark.parametrize("build", list(EXPECTED), ids=lambda b: b.__name__)
def test_the_report_says_what_happened_to_everything(build, tmp_path, fx, capsys):
    path = build(tmp_path, fx)
    data = ["--data-dir", str(tmp_path / "journal")]
    assert main([*data, "import", "--dry-run", "--json", str(path)]) == 0
    capsys.readouterr()
    assert main([*data, "import", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    (source,) = report["sources"]
    imported, checkins, skipped = EXPECTED[build]
    assert source["source"] == str(path) and source["failed"] == 0
    if imported is not None:
        assert source["imported"] == imported
    assert source["checkins"] == checkins
    assert {s["kind"]: s["count"] for s in source["skipped"]} == skipped
    assert all(s["reason"] for s in source["skipped"])
    assert report["skipped"] == sum(skipped.values())

    assert main([*data, "import", str(path)]) == 0  # again, as text: everything already here
    text = capsys.readouterr().out
    assert f"From {path}:" in text
    for kind, count in skipped.items():
        assert f"{count} {kind} not imported: " in text
