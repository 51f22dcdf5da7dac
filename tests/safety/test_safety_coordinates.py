"""Forgetting coordinates: every stored series loses them, and new imports keep none."""

from __future__ import annotations

from pathlib import Path

from innerpace.cli import main
from innerpace.services import Journal

FIT_DIR = Path(__file__).resolve().parents[1] / "data" / "fit"
FIT = FIT_DIR / "fitparse--garmin-fenix-5-run.fit"
OTHER = FIT_DIR / "fitparse--strava-android-app-201.10-b1218918.fit"


def _with_coordinates(journal: Journal) -> list[int]:
    found = []
    for listing in journal.runs():
        series = journal.run_detail(listing.run.id).series
        if series is not None and series.has_coordinates:
            found.append(listing.run.id)
    return found


def test_forget_coordinates_blanks_every_series(journal: Journal) -> None:
    journal.import_paths([FIT, OTHER], workers=1)
    assert _with_coordinates(journal)
    samples = {r.run.id: len(journal.run_detail(r.run.id).series or ()) for r in journal.runs()}
    changed = journal.forget_coordinates()
    assert changed >= 1
    assert _with_coordinates(journal) == []
    assert samples == {
        r.run.id: len(journal.run_detail(r.run.id).series or ()) for r in journal.runs()
    }
    assert journal.setting("keep_coordinates") == "0"
    assert journal.store.counts()["runs"] == 2
    assert journal.store.original_exists is not None


def test_forget_coordinates_with_originals_removes_the_kept_files(journal: Journal) -> None:
    journal.import_paths([FIT], workers=1)
    run = journal.runs()[0].run
    journal.forget_coordinates(originals=True)
    assert journal.store.table_rows("originals") == []
    assert journal.store.get_run(run.id) is not None
    assert _with_coordinates(journal) == []
    journal.change_setting("keep_coordinates", "1")
    journal.import_paths([FIT], workers=1)  # the same activity again is still a duplicate
    assert journal.store.counts()["runs"] == 1


def test_cli_forget_coordinates(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INNERPACE_HOME", str(tmp_path / "j"))
    assert main(["import", str(FIT)]) == 0
    assert main(["forget-coordinates"]) == 0
    out = capsys.readouterr().out
    assert "Coordinates removed from 1 run;" in out and "--originals" in out
    with Journal.open(tmp_path / "j") as journal:
        assert _with_coordinates(journal) == []
