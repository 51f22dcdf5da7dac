"""The undo confirmation says when a run the import brought stays, made richer by a later one."""

from __future__ import annotations

from tests.services.conftest import as_fit, as_gpx, outdoor_runs


def test_the_undo_page_says_the_richer_copy_stays(client, journal, tmp_path):
    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    first = journal.import_paths([tmp_path / "a.gpx"], workers=1)
    journal.import_paths([tmp_path / "a.fit"], workers=1)
    count = len(journal.runs())
    page = client.get(f"/imports/{first.batch}/undo").text
    assert "1 run it brought stays as the richer copy a later import found" in page
    assert len(journal.runs()) == count  # the page changes nothing
