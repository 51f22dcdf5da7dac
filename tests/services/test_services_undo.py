"""Provenance and undo: an import takes back only what it brought, never a word of yours."""

from __future__ import annotations

import itertools
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


def _replaced(journal) -> int:
    return journal.store._conn.execute("SELECT COUNT(*) FROM replaced_runs").fetchone()[0]


def test_undo_of_the_batch_that_first_brought_a_run_leaves_the_richer_copy(journal, tmp_path):
    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    first = journal.import_paths([tmp_path / "a.gpx"], workers=1)
    (listing,) = journal.runs()
    mine = journal.check_in("before", feeling=2, at=listing.run.start - timedelta(minutes=15))
    words = journal.reflect("Slow start, easy end.", run_id=listing.run.id)
    journal.edit_run(listing.run.id, name="Mine")
    second = journal.import_paths([tmp_path / "a.fit"], workers=1)
    (richer,) = journal.runs()
    samples = len(journal.store.get_series(richer.run.id))

    preview = journal.undo_preview(first.batch)
    summary = journal.undo_import(first.batch)
    for said in (preview, summary):
        assert (said.runs, said.restored_runs, said.handed_over, said.kept) == (0, 0, 1, ())
    (left,) = journal.runs()
    assert (left.run.id, left.run.source, left.run.name) == (listing.run.id, "fit", "Mine")
    assert len(journal.store.get_series(left.run.id)) == samples
    assert left.before is not None and left.before.id == mine.id
    assert journal.store.get_reflection(words.id).run_id == left.run.id
    assert {b.id: b.runs for b in journal.imports()} == {second.batch: 1}
    assert _replaced(journal) == 0 and journal.kept_without_run() == []

    again = journal.import_paths([tmp_path / "a.gpx"], workers=1)  # a poorer copy: a duplicate
    assert (again.imported, again.duplicates) == (0, 1)
    (still,) = journal.runs()
    assert (still.run.id, still.run.source) == (left.run.id, "fit")

    journal.undo_import(again.batch)
    gone = journal.undo_import(second.batch)
    assert gone.runs == 1 and journal.runs() == []
    assert {(k.kind, k.id) for k in gone.kept} >= {("checkin", mine.id), ("reflection", words.id)}
    journal.import_paths([tmp_path / "a.fit"], workers=1)
    (back,) = journal.runs()
    assert back.run.source == "fit" and back.run.name == "Mine"
    assert back.before is not None and back.before.id == mine.id


@pytest.mark.parametrize("first_undone", ["poorer", "richer"])
def test_undoing_both_batches_in_either_order_leaves_nothing_and_lets_either_come_back(
    journal, tmp_path, first_undone
):
    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    batches = {
        "poorer": journal.import_paths([tmp_path / "a.gpx"], workers=1).batch,
        "richer": journal.import_paths([tmp_path / "a.fit"], workers=1).batch,
    }
    second_undone = "richer" if first_undone == "poorer" else "poorer"
    journal.undo_import(batches[first_undone])
    (left,) = journal.runs()
    assert left.run.source == ("gpx" if first_undone == "richer" else "fit")
    assert {b.id: b.runs for b in journal.imports()} == {batches[second_undone]: 1}
    journal.undo_import(batches[second_undone])
    assert journal.runs() == [] and journal.imports() == [] and _replaced(journal) == 0
    for name, source in (("a.gpx", "gpx"), ("a.fit", "fit")):
        report = journal.import_paths([tmp_path / name], workers=1)
        assert report.imported == (1 if source == "gpx" else 0)
        (found,) = journal.runs()
        assert found.run.source == source


def _journal_as(journal, batch_files: dict[int, int]) -> tuple:
    """What the journal holds, with each batch named by the file it imported."""
    runs = sorted(
        (
            listing.run.start,
            listing.run.source,
            listing.run.duration_s,
            listing.run.distance_m,
            len(journal.store.get_series(listing.run.id)),
            batch_files[
                journal.store._conn.execute(
                    "SELECT batch_id FROM runs WHERE id = ?", (listing.run.id,)
                ).fetchone()[0]
            ],
        )
        for listing in journal.runs()
    )
    return runs, _replaced(journal)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_line_of_richer_copies_undone_in_any_order_is_as_if_only_the_rest_came(
    journal, tmp_path, order
):
    from innerpace.services import Journal

    (run,) = outdoor_runs(1)
    files = [tmp_path / "a5.gpx", tmp_path / "a4.gpx", tmp_path / "a.fit"]  # poorest first
    files[0].write_bytes(as_gpx(run, every=5))
    files[1].write_bytes(as_gpx(run, every=4))
    files[2].write_bytes(as_fit(run))
    batch_files = {journal.import_paths([f], workers=1).batch: i for i, f in enumerate(files)}
    assert _replaced(journal) == 2
    undone: set[int] = set()
    for step, index in enumerate(order):
        batch = next(b for b, i in batch_files.items() if i == index)
        journal.undo_import(batch)
        undone.add(index)
        reference = Journal.open(tmp_path / f"only-{step}")
        try:
            only = {
                reference.import_paths([files[i]], workers=1).batch: i
                for i in range(3)
                if i not in undone
            }
            assert _journal_as(journal, batch_files) == _journal_as(reference, only)
        finally:
            reference.close()
    assert journal.runs() == []


def test_a_poorer_copy_is_not_kept_and_comes_in_once_the_richer_one_is_taken_back(
    journal, tmp_path
):
    (run,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(run))
    (tmp_path / "a.fit").write_bytes(as_fit(run))
    richer = journal.import_paths([tmp_path / "a.fit"], workers=1)
    poorer = journal.import_paths([tmp_path / "a.gpx"], workers=1)
    assert (poorer.imported, poorer.duplicates) == (0, 1)
    held = journal.store._conn.execute("SELECT batch_id FROM originals").fetchall()
    assert [b for (b,) in held] == [richer.batch]

    journal.undo_import(richer.batch)
    assert journal.runs() == []
    back = journal.import_paths([tmp_path / "a.gpx"], workers=1)
    assert back.imported == 1
    (found,) = journal.runs()
    assert found.run.source == "gpx"


def test_words_and_feelings_an_import_brought_are_yours_once_you_change_them(journal, strava):
    """Changing an imported reflection, check-in or well-being answer makes it the person's,
    as keeping a lap moment does: undo leaves it (on no run if its run goes), and importing the
    same export again brings back the rest without a second copy of what was changed."""
    report = journal.import_paths([strava], workers=1)
    imported = sorted(journal.reflections(), key=lambda r: r.created)
    assert len(imported) >= 2 and all(r.batch_id == report.batch for r in imported)
    changed, untouched = imported[0], imported[1]
    journal.edit_reflection(changed.id, text=changed.text + "\n\nAnd the geese were back.")
    assert journal.reflection(changed.id).batch_id is None

    summary = journal.undo_import(report.batch)
    assert ("reflection", changed.id) in {(k.kind, k.id) for k in summary.kept}
    left = journal.reflections()
    assert [r.id for r in left] == [changed.id]
    assert left[0].text.endswith("And the geese were back.")

    journal.import_paths([strava], workers=1)
    texts = [r.text for r in journal.reflections()]
    assert texts.count(changed.text + "\n\nAnd the geese were back.") == 1
    assert changed.text not in texts  # not brought a second time beside the changed words
    assert untouched.text in texts  # what was not changed comes back as the export has it
    back = journal.reflection(changed.id)
    assert back.run_id is not None  # rejoined its run, which came back


def test_a_check_in_an_import_brought_is_yours_once_you_change_it(journal, strava):
    report = journal.import_paths([strava], workers=1)
    brought = [c for c in journal.store.list_checkins() if c.batch_id == report.batch]
    assert brought, "the export's own feelings come in as check-ins"
    first = brought[0]
    journal.edit_checkin(first.id, note="legs heavy, head clear")
    assert journal.checkin(first.id).batch_id is None
    journal.undo_import(report.batch)
    assert [c.id for c in journal.store.list_checkins()] == [first.id]
    journal.import_paths([strava], workers=1)
    same = [
        c
        for c in journal.store.list_checkins()
        if (c.at, c.kind, c.source) == (first.at, first.kind, first.source)
    ]
    assert [(c.id, c.note) for c in same] == [(first.id, "legs heavy, head clear")]
    assert len(journal.store.list_checkins()) == len(brought)
