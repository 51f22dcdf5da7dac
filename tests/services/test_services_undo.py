"""Provenance and undo: an import takes back only what it brought, never a word of yours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.services.conftest import as_fit, as_gpx, outdoor_runs

from innerpace.domain import MomentStatus
from innerpace.errors import NotFound


@pytest.fixture
def strava(tmp_path, fx):
    return fx.write_folder(tmp_path / "export", fx.strava_bulk(6))


def test_undo_keeps_what_you_made_lists_it_and_a_reimport_joins_it_again(journal, strava):
    report = journal.import_paths([strava], workers=1)
    imported_words = sorted(r.text for r in journal.store.list_reflections())
    assert imported_words and all(r.batch_id == report.batch for r in journal.reflections())
    count = len(journal.runs())
    listing = journal.runs()[0]
    run = listing.run
    mine = journal.check_in("before", feeling=-2, at=run.start - timedelta(minutes=20))
    assert mine.run_id == run.id
    moment = journal.add_moment(run.id, "10min", tags=["calm"], note="the bridge")
    words = journal.reflect("The river was loud and I was quiet.", run_id=run.id)
    journal.edit_run(run.id, name="River loop")

    preview = journal.undo_preview(report.batch)
    assert journal.runs()  # a preview changes nothing
    summary = journal.undo_import(report.batch)
    expected = (count, len(imported_words))
    assert (summary.runs, summary.reflections) == (preview.runs, preview.reflections) == expected
    assert {(k.kind, k.id) for k in summary.kept} == {
        ("checkin", mine.id),
        ("moment", moment.id),
        ("reflection", words.id),
        ("title", run.id),
    }
    assert journal.runs() == []
    assert [r.text for r in journal.reflections()] == [words.text]  # imported words went
    assert [c.id for c in journal.store.list_checkins()] == [mine.id]  # the watch's went
    assert {k.kind for k in journal.kept_without_run()} == {
        "checkin",
        "moment",
        "reflection",
        "title",
    }

    journal.import_paths([strava], workers=1)
    assert len(journal.runs()) == count
    back = next(r for r in journal.runs() if r.run.start == run.start)
    assert back.run.name == "River loop"
    assert back.before is not None and back.before.id == mine.id
    detail = journal.run_detail(back.run.id)
    assert [(m.id, m.tags, m.note) for m in detail.moments] == [
        (moment.id, ("calm",), "the bridge")
    ]
    assert words.id in {r.id for r in detail.reflections}
    assert sorted(r.text for r in journal.reflections() if r.batch_id) == imported_words  # once
    assert journal.kept_without_run() == []


def test_a_richer_copy_upgrades_the_run_and_its_undo_puts_it_back(journal, tmp_path):
    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    first = journal.import_paths([tmp_path / "a.gpx"], workers=1)
    (listing,) = journal.runs()
    journal.edit_run(listing.run.id, name="Mine", setting="trail")
    samples = len(journal.store.get_series(listing.run.id))
    second = journal.import_paths([tmp_path / "a.fit"], workers=1)
    (upgraded,) = journal.runs()
    assert upgraded.run.source == "fit" and upgraded.run.name == "Mine"
    assert upgraded.run.setting.value == "trail"
    assert {b.id: b.runs for b in journal.imports()} == {first.batch: 1, second.batch: 0}

    summary = journal.undo_import(second.batch)
    assert (summary.runs, summary.restored_runs) == (0, 1)
    (restored,) = journal.runs()
    assert restored.run.id == listing.run.id and restored.run.source == "gpx"
    assert restored.run.name == "Mine"
    assert len(journal.store.get_series(restored.run.id)) == samples


def test_a_kept_lap_moment_stays_and_is_not_suggested_twice(journal):
    from tests.importer.test_importer_pipeline import FIT_DIR

    report = journal.import_paths([FIT_DIR], workers=1)
    suggested = [m for m in journal.store.list_moments() if m.status is MomentStatus.SUGGESTED]
    if not suggested:
        pytest.skip("no lap press in the test files")
    kept = journal.confirm_moment(suggested[0].id, tags=["clarity"], note="here")
    assert kept.batch_id is None
    summary = journal.undo_import(report.batch)
    assert ("moment", kept.id) in {(k.kind, k.id) for k in summary.kept}
    journal.import_paths([FIT_DIR], workers=1)
    moments = journal.store.moments_for_run(journal.store.get_moment(kept.id).run_id)
    at_kept = [m for m in moments if abs((m.at_s or 0) - (kept.at_s or 0)) <= 1]
    assert [(m.id, m.note) for m in at_kept] == [(kept.id, "here")]


def test_undo_of_a_batch_that_is_not_there_says_so(journal):
    with pytest.raises(NotFound, match="no import batch 9"):
        journal.undo_import(9)
    with pytest.raises(NotFound):
        journal.undo_preview(9)
