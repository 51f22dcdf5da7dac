import itertools
import math
from datetime import UTC, datetime

import pytest

from innerpace.domain import CheckInKind
from innerpace.importer import Outcome
from innerpace.importer import pipeline as import_pipeline
from innerpace.importer.exports import apple
from innerpace.importer.exports.apple import reader as health
from innerpace.importer.exports.apple.values import epoch

WORKOUTS, RECORDS = 500, 50_000  # the scale itself is measured in benchmarks/


@pytest.fixture(scope="module")
def big_export(tmp_path_factory, fx):
    folder = tmp_path_factory.mktemp("apple")
    return fx.apple_export(folder, workouts=WORKOUTS, hr_records=RECORDS, moods=3, routes=2)


def test_a_large_export_brings_every_workout_with_its_heart_rate(journal, big_export):
    path, facts = big_export
    report = journal.import_paths([path], workers=1)
    assert report.imported == WORKOUTS and not report.failed
    (summary,) = [f for f in report.files if f.outcome is Outcome.SKIPPED]
    assert (summary.kind, summary.count) == ("account files", 1)  # export_cda.xml
    moods = [c for c in journal.store.list_checkins() if c.response("apple-state-of-mind")]
    assert len(moods) == 3
    runs = {listing.run.start: listing.run for listing in journal.runs()}
    assert len(runs) == WORKOUTS
    for i in (0, 1, 2, 3, 4, 277, WORKOUTS - 1):
        run = runs[facts.starts[i]]
        assert run.utc_offset_min == facts.offsets[i]
        series = journal.store.get_series(run.id)
        beats = [v for v in series.hr if not math.isnan(v)]
        if i in facts.routes:
            assert series.has_coordinates
            assert beats  # heart rate laid over the route's times
        else:
            assert len(beats) == facts.hr_in_workouts[i]
            assert sum(beats) / len(beats) == pytest.approx(facts.hr_mean[i])
        assert run.avg_hr == pytest.approx(facts.hr_mean[i], abs=1.0)
        assert run.device == "Apple Watch" and run.source == "apple-health"
    sports = {run.sport.value for run in runs.values()}
    assert sports == {"running", "walking", "hiking", "other"}
    assert {run.sport_name for run in runs.values() if run.sport.value == "other"} == {"Yoga"}
    first = runs[facts.starts[0]]
    assert first.duration_s == 30 * 60 and first.distance_m == pytest.approx(5000)
    second = runs[facts.starts[1]]
    assert second.distance_m == pytest.approx(31 / 6 * 1000, abs=1)  # old-style attributes

    again = journal.import_paths([path], workers=2)
    assert again.imported == 0 and again.duplicates == WORKOUTS + 3  # and the 3 moods


def test_a_stopped_import_resumes_to_the_same_journal(journal, tmp_path, fx, monkeypatch):
    from innerpace.services import Journal

    path, _facts = fx.apple_export(tmp_path, workouts=40, hr_records=4000, routes=1)
    with Journal.open(tmp_path / "clean") as clean:
        clean.import_paths([path], workers=1)
        expected = clean.store.counts()["runs"]
    walk = import_pipeline.walk
    monkeypatch.setattr(
        import_pipeline,
        "walk",
        lambda paths, readers=(): itertools.islice(walk(paths, readers), 15),
    )
    assert journal.import_paths([path], workers=1).imported == 15
    monkeypatch.setattr(import_pipeline, "walk", walk)
    assert journal.import_paths([path], workers=1).imported == expected - 15
    assert journal.store.counts()["runs"] == expected == 40


def test_an_unpacked_export_xml_and_its_routes_are_read_in_place(journal, tmp_path, fx):
    folder, facts = fx.apple_export(tmp_path, workouts=6, hr_records=600, routes=1, as_zip=False)
    report = journal.import_paths([folder / "export.xml"], workers=1)
    assert report.imported == 6 and not report.failed
    first = next(x.run for x in journal.runs() if x.run.start == facts.starts[0])
    assert journal.store.get_series(first.id).has_coordinates
    assert apple.read_export(folder) is not None


def test_declared_entities_are_refused_and_never_expanded(journal, tmp_path):
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [<!ENTITY lol0 "lol">'
        f'{laughs}]>\n<HealthData><Workout workoutActivityType="&lol9;" '
        'startDate="2020-01-01 07:00:00 +0000" endDate="2020-01-01 07:30:00 +0000"/>'
        "</HealthData>"
    )
    path = tmp_path / "export.xml"
    path.write_text(bomb)
    report = journal.import_paths([path], workers=1)
    assert journal.store.counts()["runs"] == 0
    (failure,) = report.failed
    assert "declares entities" in failure.message


def test_a_broken_export_keeps_the_workouts_before_the_break(journal, tmp_path, fx):
    folder, _facts = fx.apple_export(tmp_path, workouts=5, hr_records=500, as_zip=False)
    xml = folder / "export.xml"
    text = xml.read_text()
    xml.write_text(text[: text.rindex("<ActivitySummary")] + "<Workout <<broken")
    report = journal.import_paths([xml], workers=1)
    assert report.imported == 5
    (failure,) = report.failed
    assert "not well-formed" in failure.message


def test_state_of_mind_becomes_a_check_in_on_its_own_scale():
    workout = health.Workout({}, [], [], [], start=10_000.0, end=12_000.0, offset_min=60)
    before = health.StateOfMind(at=10_000.0 - 1800, offset_min=60, valence=-0.5, record=b"{}")
    later = health.StateOfMind(at=50_000.0, offset_min=60, valence=0.254, record=b"{}")
    checkin = health.state_of_mind_checkin(before, [workout])
    assert checkin.kind is CheckInKind.BEFORE
    assert checkin.at == datetime(1970, 1, 1, 2, 16, 40, tzinfo=UTC)
    (response,) = checkin.responses
    assert (response.instrument_id, response.instrument_version) == ("apple-state-of-mind", "1")
    assert response.value("valence") == -50
    after = health.state_of_mind_checkin(later, [workout])
    assert after.kind is CheckInKind.AFTER and after.responses[0].value("valence") == 25


def test_apple_times_keep_their_offset():
    assert epoch("2019-03-04 07:12:43 +0100") == (1551679963.0, 60)
    assert epoch("2019-03-04 07:12:43 -0530") == (1551679963.0 + 6.5 * 3600, -330)
    assert epoch("2019-03-04") is None
    assert epoch("not a date at all") is None


def test_state_of_mind_entries_arrive_as_check_ins(journal, tmp_path, fx):
    path, _facts = fx.apple_export(tmp_path, workouts=10, hr_records=1000, moods=3)
    report = journal.import_paths([path], workers=1)
    assert report.imported == 10 and not report.failed
    values = sorted(
        c.response("apple-state-of-mind").value("valence")
        for c in journal.store.list_checkins()
        if c.response("apple-state-of-mind")
    )
    assert values == [-50, -25, 0]
    journal.import_paths([path], workers=1)
    assert len(journal.store.list_checkins()) == 3
