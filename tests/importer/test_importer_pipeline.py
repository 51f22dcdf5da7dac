import gzip
import io
import json
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.domain import CheckInKind, MomentStatus
from innerpace.importer import Outcome, detect_format
from innerpace.instruments import get_instrument

FIT_DIR = Path(__file__).resolve().parents[1] / "data" / "fit"
RUN_FIT = FIT_DIR / "fitparse--garmin-fenix-5-run.fit"
MULTISPORT_FIT = FIT_DIR / "fitparse--sample_mulitple_header.fit"
SETTINGS_FIT = FIT_DIR / "fitparse--Settings.fit"


def test_formats_are_told_by_content_not_name():
    assert detect_format(RUN_FIT.read_bytes()) == "fit"
    assert detect_format(b"\xef\xbb\xbf<?xml version='1.0'?>\n<gpx version='1.1'>") == "gpx"
    assert detect_format(b"  \n<?xml version='1.0'?><TrainingCenterDatabase xmlns='x'>") == "tcx"
    assert detect_format(b"<?xml version='1.0'?><kml>") is None
    assert detect_format(b"date,distance\n") is None


def test_a_folder_imports_once_and_again_adds_nothing(journal, tmp_path):
    folder = tmp_path / "watch"
    shutil.copytree(FIT_DIR, folder)
    first = journal.import_paths([folder], workers=1)
    assert first.imported >= 7
    assert first.skipped >= 1  # the settings file is not an activity
    assert not first.failed
    runs_after_first = journal.store.counts()["runs"]
    second = journal.import_paths([folder], workers=2)
    assert second.imported == 0
    assert second.duplicates >= 7
    assert journal.store.counts()["runs"] == runs_after_first


def test_a_multisport_file_becomes_one_activity_per_leg(journal):
    report = journal.import_paths([MULTISPORT_FIT], workers=1)
    sports = sorted(listing.run.sport.value for listing in journal.runs())
    assert report.imported == len(sports) >= 3
    assert "running" in sports and "cycling" in sports and "swimming" in sports


def test_nested_zips_and_gzip_are_walked_without_unpacking_to_disk(journal, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("activities/run.fit.gz", gzip.compress(RUN_FIT.read_bytes()))
        z.writestr("notes.txt", "not an activity")
    outer = tmp_path / "export.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("UploadedFiles_0.zip", inner.getvalue())
    report = journal.import_paths([outer], workers=1)
    assert report.imported == 1
    assert report.skipped == 1
    (result,) = [f for f in report.files if f.outcome is Outcome.IMPORTED]
    assert result.file.endswith("export.zip!UploadedFiles_0.zip!activities/run.fit")


def test_a_zip_bomb_is_refused_with_its_reason(journal, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.fit", b"\0" * (20 * 1024 * 1024))
    report = journal.import_paths([bomb], workers=1)
    (failure,) = report.failed
    assert "zip bomb" in failure.message
    assert journal.store.counts()["runs"] == 0


def test_a_file_that_is_no_activity_fails_clearly_and_the_rest_imports(journal, tmp_path):
    note = tmp_path / "run.fit"
    note.write_text("this is a shopping list")
    report = journal.import_paths([note, RUN_FIT], workers=1)
    assert report.imported == 1
    assert [(f.file, f.message) for f in report.failed] == [
        (str(note), "not a FIT, GPX or TCX file")
    ]
    assert report.exit_code == 3


def test_a_dry_run_writes_nothing(journal):
    report = journal.import_paths([FIT_DIR], dry_run=True, workers=1)
    assert report.imported >= 7
    assert report.batch is None
    assert journal.is_empty()


def test_a_broken_file_keeps_what_can_be_kept_and_says_so(journal):
    report = journal.import_paths([FIT_DIR / "fitparse--strava-android-app-201.10-b1218918.fit"])
    assert report.imported == 1
    (result,) = report.files
    assert any("never defined" in w for w in result.warnings)


def test_the_original_file_is_kept_byte_for_byte(journal):
    journal.import_paths([RUN_FIT], workers=1)
    row = journal.store._conn.execute("SELECT id FROM originals").fetchone()
    fmt, name, data = journal.store.original_file(row[0])
    assert (fmt, name) == ("fit", str(RUN_FIT))
    assert data == RUN_FIT.read_bytes()


def test_undo_removes_a_batch_but_never_your_own_checkins(journal):
    report = journal.import_paths([RUN_FIT], workers=1)
    (listing,) = journal.runs()
    from innerpace.domain import CheckIn

    journal.store.add_checkin(
        CheckIn(
            at=listing.run.start - timedelta(minutes=5),
            kind=CheckInKind.BEFORE,
            responses=(get_instrument("fs").response({"feeling": -1}),),
            run_id=listing.run.id,
        )
    )
    assert journal.undo_import(int(report.batch)).runs == 1
    assert journal.runs() == []
    (kept,) = journal.store.list_checkins()
    assert kept.run_id is None  # unlinked, not lost


def test_manual_lap_presses_on_foot_become_suggested_moments(journal):
    journal.import_paths([FIT_DIR], workers=1)
    moments = [m for m in journal.store.list_moments() if m.source == "lap"]
    for moment in moments:
        assert moment.status is MomentStatus.SUGGESTED
        run = journal.store.get_run(moment.run_id)
        assert run.sport.is_on_foot
        assert 0 <= moment.at_s <= run.duration_s + 1


def test_import_json_report_and_exit_codes(capsys, data_dir, tmp_path):
    bad = tmp_path / "broken.gpx"
    bad.write_bytes(b"\x00\x01\x02")
    code = main(["--data-dir", str(data_dir), "import", str(RUN_FIT), str(bad), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 3
    assert report["imported"] == 1
    assert report["failed"] == [{"file": str(bad), "error": "not a FIT, GPX or TCX file"}]
    assert set(report) >= {"imported", "duplicates", "skipped", "failed", "batch"}
    assert main(["--data-dir", str(data_dir), "import", str(RUN_FIT), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["imported"], again["duplicates"]) == (0, 1)
    assert main(["--data-dir", str(data_dir), "imports", "--json"]) == 0
    batches = json.loads(capsys.readouterr().out)
    assert [b["activities"] for b in batches] == [0, 1]
    assert main(["--data-dir", str(data_dir), "undo-import", batches[1]["batch"]]) == 0
    assert "Removed import batch" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "undo-import", "99"]) == 1


def test_a_missing_path_is_reported_not_fatal(journal, tmp_path):
    report = journal.import_paths([tmp_path / "nowhere.fit", RUN_FIT], workers=1)
    assert report.imported == 1
    assert report.failed[0].message == "no such file or folder"


@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_bytes_twice_in_one_import_land_once(journal, tmp_path, workers):
    for name in ("a.fit", "b.fit"):
        shutil.copy(RUN_FIT, tmp_path / name)
    report = journal.import_paths([tmp_path], workers=workers)
    assert (report.imported, report.duplicates) == (1, 1)
