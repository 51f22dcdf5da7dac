"""The same run in two formats (Strava exports both) is kept once, from the richer recording."""

from datetime import date, timedelta

import pytest

from innerpace.demo import generate
from innerpace.domain.times import iso_utc
from innerpace.formats.fit_writer import encode_run


@pytest.fixture(scope="module")
def outdoor_run():
    runs = generate(5, end=date(2026, 6, 1), runs=12).runs
    return next(r for r in runs if r.series is not None and r.series.has_coordinates)


def as_gpx(run) -> bytes:
    s = run.series
    points = "".join(
        f'<trkpt lat="{s.lat[i]:.7f}" lon="{s.lon[i]:.7f}"><ele>{s.altitude_m[i]:.1f}</ele>'
        f"<time>{iso_utc(run.start + timedelta(seconds=s.t_s[i]))}</time></trkpt>"
        for i in range(0, len(s), 5)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Same run</name><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def test_fit_then_gpx_keeps_the_fit(journal, tmp_path, outdoor_run):
    (tmp_path / "a.fit").write_bytes(encode_run(outdoor_run))
    (tmp_path / "b.gpx").write_bytes(as_gpx(outdoor_run))
    first = journal.import_paths([tmp_path / "a.fit"], workers=1)
    second = journal.import_paths([tmp_path / "b.gpx"], workers=1)
    assert (first.imported, second.imported, second.duplicates) == (1, 0, 1)
    (listing,) = journal.runs()
    assert listing.run.source == "fit"


def test_gpx_then_fit_upgrades_to_the_fit_and_keeps_feelings(journal, tmp_path, outdoor_run):
    (tmp_path / "b.gpx").write_bytes(as_gpx(outdoor_run))
    (tmp_path / "a.fit").write_bytes(encode_run(outdoor_run))
    journal.import_paths([tmp_path / "b.gpx"], workers=1)
    (listing,) = journal.runs()
    journal.check_in("after", feeling=3, at=listing.run.end + timedelta(minutes=5))
    report = journal.import_paths([tmp_path / "a.fit"], workers=1)
    assert (report.imported, report.duplicates) == (0, 1)
    (listing,) = journal.runs()
    assert listing.run.source == "fit"
    assert listing.post_feeling == 3
    assert len(journal.store.get_series(listing.run.id)) == len(outdoor_run.series)
