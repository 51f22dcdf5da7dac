"""The open export: what it holds, that it is written atomically, and the round trip."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
import zlib
from array import array
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.cli import main
from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Lap,
    LapTrigger,
    Moment,
    MomentStatus,
    Reflection,
    Run,
    Series,
    WellbeingCheck,
)
from innerpace.export import mapping
from innerpace.export.reader import read_export
from innerpace.instruments import get_instrument
from innerpace.services import Journal
from innerpace.store import EXPORT_TABLES, VERSION_KEY

FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"
CSV_FILES = ("runs", "checkins", "answers", "moments", "reflections", "wellbeing")


def _files(export: Path) -> dict[str, bytes]:
    if export.suffix == ".zip":
        with zipfile.ZipFile(export) as archive:
            return {n: archive.read(n) for n in archive.namelist()}
    return {str(p.relative_to(export)): p.read_bytes() for p in export.rglob("*") if p.is_file()}


def _content(export: Path) -> dict[str, object]:
    """Every file of an export, journal.json parsed, without the export timestamp."""
    files = _files(export)
    document = json.loads(files.pop("journal.json"))
    document.pop("exported_at")
    return {"journal.json": document, **files}


def _series(n: int, coordinates: bool = True) -> Series:
    nan = float("nan")
    return Series(
        t_s=array("d", [float(i) for i in range(n)]),
        distance_m=array("d", [i * 2.5 for i in range(n)]),
        hr=array("d", [140.0 + i % 7 if i % 5 else nan for i in range(n)]),
        cadence_spm=array("d", [170.0] * n),
        altitude_m=array("d", [nan] * n),
        lat=array("d", [51.5 + i * 1e-5 if coordinates else nan for i in range(n)]),
        lon=array("d", [-0.12 - i * 1e-5 if coordinates else nan for i in range(n)]),
    )


def _fill(journal: Journal, words: list[str], samples: int) -> None:
    start = datetime(2026, 5, 1, 7, 30, tzinfo=UTC)
    fs, fas, who5 = get_instrument("fs"), get_instrument("fas"), get_instrument("who5")
    for i, text in enumerate(words):
        begin = start + timedelta(days=i)
        run = Run(
            start=begin,
            duration_s=1800 + i,
            distance_m=5000.0 + i,
            name=text[:20] or None,
            laps=(Lap(begin, 900.0, 2500.0, LapTrigger.MANUAL, 150.0), Lap(begin, 900.0)),
            series=_series(samples) if samples else None,
            source="fit",
        )
        run_id = journal.store.add_run(run)
        journal.store.add_checkin(
            CheckIn(
                at=begin - timedelta(minutes=5),
                kind=CheckInKind.BEFORE,
                responses=(fs.response({"feeling": i % 11 - 5}), fas.response({"arousal": 3})),
                run_id=run_id,
                note=text or None,
                tags=("calm", text.strip().lower()[:40]) if text.strip() else (),
            )
        )
        journal.store.add_moment(
            Moment(
                run_id=run_id,
                at_s=60.0,
                tags=("breath",),
                note=text or None,
                status=MomentStatus.CONFIRMED,
            )
        )
        journal.store.add_reflection(
            Reflection(
                text=text or "quiet",
                created=begin + timedelta(hours=1),
                run_id=run_id,
                private=bool(i % 2),
                prompt_id="p1",
            )
        )
    journal.store.add_reflection(
        Reflection(text="a day without running", created=start, day=date(2026, 4, 30))
    )
    answers = {item.id: 3 for item in who5.items}
    journal.store.add_wellbeing(WellbeingCheck(at=start, response=who5.response(answers)))
    journal.change_setting("country", "GB")


def _fill_daily_loop(journal: Journal, samples: int) -> None:
    """What the daily loop adds to a journal: entries an import brought (a day mood among them),
    a track kept whole, a title the person changed, the data a richer copy replaced, words kept
    after their run's import was taken back, and something in Recently deleted."""
    store = journal.store
    fs, fas, who5 = get_instrument("fs"), get_instrument("fas"), get_instrument("who5")
    at = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    first = store.start_batch()
    run_id = store.add_run(
        Run(
            start=at,
            duration_s=2400,
            distance_m=8000.0,
            series=_series(samples) if samples else None,
            source="strava",
            track_uncropped=True,
        ),
        batch_id=first,
    )
    store.add_checkin(
        CheckIn(
            at=at - timedelta(hours=3),
            kind=CheckInKind.DAY,
            responses=(fs.response({"feeling": 2}),),
            source="daylio",
            batch_id=first,
            tags=("friends", "good meal"),
        )
    )
    store.add_moment(
        Moment(
            run_id=run_id, at_s=300.0, status=MomentStatus.SUGGESTED, source="lap", batch_id=first
        )
    )
    store.add_reflection(
        Reflection(text="from the account", created=at, run_id=run_id, origin="strava",
                   batch_id=first)
    )  # fmt: skip
    answers = {item.id: 2 for item in who5.items}
    store.add_wellbeing(WellbeingCheck(at=at, response=who5.response(answers), batch_id=first))
    store.finish_batch(first, {"imported": 1})
    mine = store.add_checkin(
        CheckIn(
            at=at - timedelta(minutes=5),
            kind=CheckInKind.BEFORE,
            responses=(fs.response({"feeling": 1}), fas.response({"arousal": 2})),
            run_id=run_id,
        )
    )
    journal.edit_run(run_id, name="the long one")
    second = store.start_batch()
    raw = FIT.read_bytes()
    original = store.add_original(
        sha256=hashlib.sha256(raw).hexdigest(),
        fmt="fit",
        name=FIT.name,
        size=len(raw),
        codec="zlib",
        data=zlib.compress(raw),
        batch_id=second,
    )
    richer = Run(
        start=at,
        duration_s=2401,
        distance_m=8010.0,
        laps=(Lap(at, 1200.0, 4000.0, LapTrigger.DISTANCE, 151.0),),
        series=_series(samples + 3),
        source="fit",
        track_uncropped=True,
    )
    store.upgrade_run(run_id, richer, by_batch=second, original_id=original)
    store.finish_batch(second, {"imported": 0})
    third = store.start_batch()
    gone = store.add_run(
        Run(start=at + timedelta(days=2), duration_s=1500, distance_m=4000.0, source="fit"),
        batch_id=third,
    )
    store.finish_batch(third, {"imported": 1})
    journal.reflect("kept after the import went", run_id=gone)
    store.add_moment(Moment(run_id=gone, at_s=90.0, tags=("calm",)))
    journal.undo_import(third)
    journal.delete("checkin", mine)


_JSON_COLUMNS = ("run_json", "laps_json", "edited_fields", "tags", "summary_json")


def _rows(journal: Journal, with_coordinates: bool) -> dict[str, list[dict]]:
    """Every row of every table the export carries, as the journal holds it; without coordinates,
    what the export leaves out (originals, coordinates) is left out here too."""
    tables = {}
    for table in EXPORT_TABLES:
        rows = [
            {k: json.loads(v) if k in _JSON_COLUMNS and v else v for k, v in row.items()}
            for row in journal.store.table_rows(table)
            if table != "settings" or row["key"] != VERSION_KEY
        ]
        if not with_coordinates:
            if table in ("originals", "series", "replaced_runs"):
                continue
            for row in rows:
                row.pop("original_id", None)
        tables[table] = rows
    return tables


def test_an_export_holds_the_whole_journal_in_open_formats(journal: Journal, tmp_path: Path):
    _fill(journal, ["first, with a comma", 'and "quotes"\nand a new line'], samples=30)
    out = journal.export(tmp_path / "export")
    files = _files(out)
    for name in CSV_FILES:
        assert f"{name}.csv" in files
    document = json.loads(files["journal.json"])
    assert document["innerpace-export"] == mapping.EXPORT_VERSION == 4
    assert VERSION_KEY not in document["settings"]  # the journal's own count, not a setting
    assert {i["id"] for i in document["instruments"]} == {"fs", "fas", "who5"}
    run = document["runs"][0]
    assert len(run["laps"]) == 2 and run["series"]["samples"] == 30
    assert run["series"]["channels"]["lat"] == [None] * 30, "coordinates are left out"
    assert run["series"]["channels"]["hr"][0] is None and run["series"]["channels"]["hr"][1] == 141
    assert document["checkins"][0]["answers"][0]["instrument_version"] == "1"
    assert document["checkins"][0]["tags"] == ["calm", "first, with a comma"]
    assert document["settings"]["country"] == "GB"
    assert document["originals"] == []
    rows = list(csv.DictReader(io.StringIO(files["checkins.csv"].decode())))
    assert rows[1]["note"] == 'and "quotes"\nand a new line'
    answers = list(csv.DictReader(io.StringIO(files["answers.csv"].decode())))
    assert len(answers) == 2 * 2 + 5
    markdown = files["reflections/2026-05-01-run-1.md"].decode()
    assert markdown.startswith('---\nid: 1\nrun: 1\nday: "2026-05-01"')
    assert markdown.rstrip().endswith("first, with a comma")
    assert "reflections/2026-04-30-day.md" in files


def test_coordinates_and_originals_only_when_asked(journal: Journal, tmp_path: Path) -> None:
    journal.import_paths([FIT], workers=1)
    plain = _files(journal.export(tmp_path / "plain.zip"))
    assert not [n for n in plain if n.startswith("originals/")]
    document = json.loads(plain["journal.json"])
    assert all(v is None for v in document["runs"][0]["series"]["channels"]["lat"])
    full = _files(journal.export(tmp_path / "full.zip", with_coordinates=True))
    (original,) = [n for n in full if n.startswith("originals/")]
    assert full[original] == FIT.read_bytes()
    document = json.loads(full["journal.json"])
    assert any(v is not None for v in document["runs"][0]["series"]["channels"]["lat"])


def test_the_export_is_written_atomically(journal: Journal, tmp_path: Path) -> None:
    _fill(journal, ["one"], samples=5)
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="already exists"):
        journal.export(target)
    assert (target / "keep.txt").read_text() == "mine"
    journal.export(tmp_path / "a.zip")
    journal.export(tmp_path / "a.zip")  # replacing a zip is one rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "journal", "out"]


def test_an_export_restores_only_into_an_empty_journal(journal: Journal, tmp_path: Path):
    _fill(journal, ["one", "two"], samples=10)
    out = journal.export(tmp_path / "e.zip")
    with pytest.raises(Exception, match="restores only into an empty journal"):
        journal.import_paths([out])
    assert journal.store.counts()["runs"] == 2


def test_read_export_yields_the_original_files(journal: Journal, tmp_path: Path) -> None:
    journal.import_paths([FIT], workers=1)
    out = journal.export(tmp_path / "e", with_coordinates=True)
    assert read_export(FIT) is None
    assert read_export(tmp_path) is None
    (candidate,) = list(read_export(out))
    assert candidate.read() == FIT.read_bytes()


def _round_trip(source: Journal, folder: Path, with_coordinates: bool, suffix: str) -> None:
    first = source.export(folder / f"first{suffix}", with_coordinates=with_coordinates)
    with Journal.open(folder / "restored") as restored:
        report = restored.import_paths([first])
        assert report.imported == len(source.runs())
        assert restored.store.integrity_check() == "ok"
        # nothing the person made is lost: every row comes back as it was
        assert _rows(restored, with_coordinates) == _rows(source, with_coordinates)
        assert restored.store.version() > 0
        second = restored.export(folder / f"second{suffix}", with_coordinates=with_coordinates)
        if source.store.counts()["reflections"]:
            assert restored.store.search_reflections("quiet OR running")
    assert _content(first) == _content(second)


def test_cli_export_and_import_round_trip(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("INNERPACE_HOME", str(tmp_path / "a"))
    assert main(["import", str(FIT)]) == 0
    assert main(["export", "--out", str(tmp_path / "x.zip"), "--with-coordinates"]) == 0
    assert main(["--data-dir", str(tmp_path / "b"), "import", str(tmp_path / "x.zip")]) == 0
    assert main(["--data-dir", str(tmp_path / "b"), "import", str(tmp_path / "x.zip")]) == 1
    assert "empty journal" in capsys.readouterr().err
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "b"),
                "export",
                "--out",
                str(tmp_path / "y.zip"),
                "--with-coordinates",
            ]
        )
        == 0
    )
    assert _content(tmp_path / "x.zip") == _content(tmp_path / "y.zip")


def test_the_demo_year_round_trips(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "demo") as journal:
        journal.seed_demo()
        _round_trip(journal, tmp_path, with_coordinates=True, suffix=".zip")


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    words=st.lists(texts, max_size=4),
    samples=st.integers(0, 40),
    coords=st.booleans(),
    zipped=st.booleans(),
)
def test_export_import_export_is_identical(tmp_path_factory, words, samples, coords, zipped):
    folder = tmp_path_factory.mktemp("trip")
    with Journal.open(folder / "source") as journal:
        _fill(journal, words, samples)
        _fill_daily_loop(journal, samples)
        _round_trip(journal, folder, with_coordinates=coords, suffix=".zip" if zipped else "")


def test_nan_is_written_as_null(journal: Journal, tmp_path: Path) -> None:
    _fill(journal, ["x"], samples=6)
    text = (journal.export(tmp_path / "e") / "journal.json").read_text()
    assert "NaN" not in text
    assert not any(
        isinstance(v, float) and math.isnan(v)
        for v in json.loads(text)["runs"][0]["series"]["channels"]["altitude_m"]
        if v is not None
    )
