import gzip
import itertools
from datetime import UTC, datetime

import pytest

from innerpace.importer import Outcome
from innerpace.importer import pipeline as import_pipeline
from innerpace.importer.exports import strava
from innerpace.importer.exports.strava.values import DayOrder, parse_date, parse_number
from innerpace.importer.exports.strava.words import columns_of, is_automatic_title

GPX_START = datetime(2018, 3, 10, 7, 30, tzinfo=UTC)
TCX_START = datetime(2018, 3, 11, 17, 0, tzinfo=UTC)
LOOSE_START = datetime(2018, 3, 20, 6, 0, tzinfo=UTC)


def german_export(fx, columns: int = 87) -> dict[str, bytes]:
    header = fx.strava_header("de", columns)
    rows = [
        {
            "id": "101",
            "date": "02.05.2021, 07:00:00",
            "name": "Lauf am See",
            "type": "Lauf",
            "description": "Leichter Regen.\nGut gelaufen.",
            "note": "Knie etwas müde",
            "rpe": "7",
            "elapsed": "3000",
            "filename": "activities/101.fit.gz",
        },
        {
            "id": "102",
            "date": "10.03.2018, 07:30:00",
            "name": "Abendlauf",
            "type": "Lauf",
            "rpe": "#error#",
            "elapsed": "300",
            "filename": "activities/102.gpx",
        },
        {
            "id": "103",
            "date": "11.03.2018, 17:00:00",
            "name": "<script>alert(1)</script> *fast*",
            "type": "Lauf",
            "description": "Zeile",
            "rpe": "11",
            "elapsed": "200",
            "filename": "activities/103.tcx.gz",
        },
        {
            "id": "104",
            "date": "14.03.2018, 18:05:00",
            "name": "Laufband im Hotel",
            "type": "Lauf",
            "elapsed": "1800",
            "moving": "1750",
            "distance": "5,2",
            "distance_m": "5200,0",
            "rpe": "4",
        },
        {
            "id": "105",
            "date": "15.03.2018, 07:00:00",
            "name": "Morgenlauf",
            "type": "Lauf",
            "elapsed": "2400",
            "distance": "8,0",
            "filename": "activities/105.gpx",
        },
        {"id": "106", "date": "#error#", "name": "Ohne Datum", "elapsed": "600"},
    ]
    csv = fx.strava_csv(header, [fx.strava_row(header, "de", r) for r in rows])
    return {
        "activities.csv": csv,
        "activities/101.fit.gz": gzip.compress(fx.RUN_FIT.read_bytes()),
        "activities/102.gpx": fx.gpx_bytes(GPX_START, name="aus der Datei"),
        "activities/103.tcx.gz": gzip.compress(fx.tcx_bytes(TCX_START)),
        "activities/999.gpx": fx.gpx_bytes(LOOSE_START),
        "media/a.jpg": b"\xff\xd8\xff",
        "media/b.jpg": b"\xff\xd8\xff",
        "media/c.mp4": b"\0\0\0\x18ftyp",
        "profile.csv": b"Athlete ID\n1\n",
        "routes/9.gpx": fx.gpx_bytes(LOOSE_START, points=3),
    }


def by_name(journal):
    return {listing.run.name: listing.run for listing in journal.runs()}


def test_a_german_zip_brings_names_notes_and_effort(journal, tmp_path, fx):
    path = fx.write_zip(tmp_path / "export_1.zip", german_export(fx))
    report = journal.import_paths([path], workers=1)

    assert report.imported == 6  # FIT, GPX, TCX, a manual entry, a missing file's row, a loose file
    (failure,) = report.failed
    assert failure.file.endswith("activities.csv line 7")
    assert "no date" in failure.message
    skipped = {f.kind: f.count for f in report.files if f.outcome is Outcome.SKIPPED}
    assert skipped == {"account files": 1, "photos": 3, "routes": 1}
    (source,) = report.sources()
    assert source.imported == 6 and source.failed == 1
    assert [(s.kind, s.count) for s in source.skipped] == sorted(skipped.items())

    runs = by_name(journal)
    assert runs["Lauf am See"].source == "fit" and runs["Lauf am See"].device
    assert runs["Abendlauf"].source == "gpx"  # the table's title wins over the file's
    assert runs["<script>alert(1)</script> *fast*"].source == "tcx"
    manual = runs["Laufband im Hotel"]
    assert (manual.source, manual.duration_s, manual.moving_s) == ("strava", 1800, 1750)
    assert manual.distance_m == pytest.approx(5200)
    assert manual.start == datetime(2018, 3, 14, 18, 5, tzinfo=UTC)
    fallback = runs["Morgenlauf"]
    assert fallback.source == "strava" and fallback.distance_m == pytest.approx(8000)
    warned = [f for f in report.files if f.file.endswith("line 6")][0]
    assert any("not in the export" in w for w in warned.warnings)

    words = {(r.origin, r.private): r for r in journal.store.list_reflections()}
    public = [r for r in journal.store.list_reflections() if r.origin == "strava"]
    assert words[("strava", False)] in public
    texts = sorted(r.text for r in public)
    assert "Lauf am See\n\nLeichter Regen.\nGut gelaufen." in texts
    assert "<script>alert(1)</script> *fast*\n\nZeile" in texts  # as written, never escaped
    assert not any("Abendlauf" in t or "Morgenlauf" in t for t in texts)  # automatic titles
    (note,) = [r for r in journal.store.list_reflections() if r.origin == "strava-private"]
    assert note.private and note.text == "Knie etwas müde"
    assert note.run_id == runs["Lauf am See"].id

    efforts = {
        c.run_id: c.response("strava-rpe").value("rpe")
        for c in journal.store.list_checkins()
        if c.response("strava-rpe")
    }
    assert efforts == {runs["Lauf am See"].id: 7, manual.id: 4}


def test_reimporting_adds_nothing_and_a_stopped_import_resumes(journal, tmp_path, fx, monkeypatch):
    from innerpace.services import Journal

    path = fx.write_zip(tmp_path / "export.zip", german_export(fx, columns=101))
    with Journal.open(tmp_path / "clean") as clean:
        clean.import_paths([path], workers=1)
        expected = clean.store.counts()

    walk = import_pipeline.walk
    monkeypatch.setattr(
        import_pipeline, "walk", lambda paths, readers=(): itertools.islice(walk(paths, readers), 3)
    )
    stopped = journal.import_paths([path], workers=1)
    assert 0 < stopped.imported < 6
    monkeypatch.setattr(import_pipeline, "walk", walk)
    resumed = journal.import_paths([path], workers=2)
    assert resumed.imported == 6 - stopped.imported
    counts = journal.store.counts()
    assert {k: counts[k] for k in ("runs", "checkins", "reflections")} == {
        k: expected[k] for k in ("runs", "checkins", "reflections")
    }
    again = journal.import_paths([path], workers=1)
    assert again.imported == 0
    assert journal.store.counts()["runs"] == expected["runs"]


def test_an_english_folder_with_101_columns_and_both_date_forms(journal, tmp_path, fx):
    header = fx.strava_header("en", 101)
    rows = [
        {
            "id": "7",
            "date": "Jun 11, 2017, 2:34:09 PM",
            "name": "Morning Run",
            "type": "Run",
            "elapsed": "1500",
            "distance": "4.1",
            "distance_m": "4100.0",
            "media": "media/x.jpg",
        },
        {
            "id": "8",
            "date": "2017-06-12 14:34:09",
            "name": "Hill walk",
            "type": "Walk",
            "description": "Slow, and glad of it.",
            "elapsed": "3600",
            "distance": "6.0",
        },
        {
            "id": "9",
            "date": "Jun 13, 2017, 6:00:00 AM",
            "name": "Evening Run",
            "type": "Run",
            "filename": "activities/9.gpx.gz",
        },
    ]
    members = {
        "activities.csv": fx.strava_csv(header, [fx.strava_row(header, "en", r) for r in rows]),
        "activities/9.gpx.gz": gzip.compress(fx.gpx_bytes(GPX_START)),
        "media/x.jpg": b"\xff\xd8",
    }
    folder = fx.write_folder(tmp_path / "strava", members)
    report = journal.import_paths([folder], workers=1)
    assert report.imported == 3 and not report.failed
    runs = by_name(journal)
    assert runs["Morning Run"].start == datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)
    assert runs["Morning Run"].distance_m == pytest.approx(4100)
    assert runs["Hill walk"].start == datetime(2017, 6, 12, 14, 34, 9, tzinfo=UTC)
    assert runs["Hill walk"].sport.value == "walking"
    assert runs["Hill walk"].distance_m == pytest.approx(6000)
    assert runs["Evening Run"].source == "gpx"
    texts = [r.text for r in journal.store.list_reflections()]
    assert texts == ["Hill walk\n\nSlow, and glad of it."]


def test_a_french_header_is_understood(journal, tmp_path, fx):
    header = fx.strava_header("fr", 40)
    row = {
        "id": "55",
        "date": "11 juin 2017, 14:34:09",
        "name": "Sortie au parc",
        "type": "Course à pied",
        "note": "Pensé à maman.",
        "elapsed": "2000",
        "distance": "5,0",
        "rpe": "6",
    }
    csv = fx.strava_csv(header, [fx.strava_row(header, "fr", row)], bom=False)
    members = {"activities.csv": csv, "activities/.keep": b""}
    path = fx.write_zip(tmp_path / "export_fr.zip", members)
    report = journal.import_paths([path], workers=1)
    assert report.imported == 1
    (listing,) = journal.runs()
    assert listing.run.start == datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)
    assert listing.run.distance_m == pytest.approx(5000)
    words = {r.origin: r for r in journal.store.list_reflections()}
    assert words["strava-private"].private and words["strava-private"].text == "Pensé à maman."
    assert words["strava"].text == "Sortie au parc" and not words["strava"].private
    (checkin,) = journal.store.list_checkins()
    assert checkin.response("strava-rpe").value("rpe") == 6


def test_columns_are_found_by_meaning_and_the_first_of_a_repeat_wins(fx):
    header = fx.strava_header("en", 99)
    columns = columns_of(header)
    assert columns["elapsed_s"] == 5 and columns["distance"] == 6
    assert columns["distance_m"] == 17 and columns["moving_s"] == 16
    assert columns["rpe"] == header.index("Perceived Exertion")
    german = columns_of(fx.strava_header("de", 60))
    assert german["private_note"] == 10 and german["filename"] == 12
    legacy = columns_of(
        ["id", "date", "name", "type", "description", "elapsed_time", "distance", "filename"]
    )
    assert legacy["elapsed_s"] == 5 and legacy["filename"] == 7


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("Jun 11, 2017, 2:34:09 PM", True, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("Dec 1, 2017, 12:04:09 AM", True, datetime(2017, 12, 1, 0, 4, 9, tzinfo=UTC)),
        ("2017-06-11 14:34:09", True, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("11.06.2017, 14:34:09", False, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("11. Juni 2017, 14:34:09", False, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("11 févr. 2020 à 07:01:02", False, datetime(2020, 2, 11, 7, 1, 2, tzinfo=UTC)),
        ("11 de junio de 2017, 14:34:09", False, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("11 giu 2017, 14:34:09", False, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC)),
        ("11 mrt. 2017 14:34:09", False, datetime(2017, 3, 11, 14, 34, 9, tzinfo=UTC)),
        ("11 de out. de 2017 14:34:09", False, datetime(2017, 10, 11, 14, 34, 9, tzinfo=UTC)),
        ("#error#", True, None),
        ("", True, None),
    ],
)
def test_every_date_form_strava_wrote(text, month_first, expected):
    order = DayOrder.MONTH_FIRST if month_first else DayOrder.DAY_FIRST
    assert parse_date(text, order) == expected


def test_numbers_titles_and_what_is_not_strava(tmp_path, fx):
    assert parse_number("5,2", decimal_comma=True) == 5.2
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("nan") is None
    assert all(map(is_automatic_title, ["Morning Run", "Abendlauf", "Course à pied le midi"]))
    assert not any(map(is_automatic_title, ["Run to the lake", "Evening run with Sam"]))
    garmin = fx.write_zip(tmp_path / "garmin.zip", fx.garmin_export())
    assert strava.read_export(garmin) is None
    assert strava.read_export(tmp_path / "nothing-here.zip") is None
    note = tmp_path / "notes.zip"
    note.write_bytes(b"PK\x03\x04 not really a zip")
    assert strava.read_export(note) is None
