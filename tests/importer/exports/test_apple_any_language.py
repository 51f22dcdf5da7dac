"""Apple Health from a phone set to Spanish: ``exportar.xml``, found by its content.

The workout and route elements follow real exports (tests/data/SOURCES.md): a watchOS 26
workout whose dates carry the export's offset while ``<MetadataEntry key="HKTimeZone"
value="Europe/Paris"/>`` names its zone; an interval workout with one ``WorkoutRoute`` per
segment; a 2017 workout (watchOS 3) whose route is inline ``<Location date=… latitude=…
longitude=… altitude=…/>`` elements.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innerpace.domain import Sport
from innerpace.importer import Outcome

XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="es_ES">
 <ExportDate value="2026-01-10 09:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="38" durationUnit="min"
   sourceName="Apple Watch de Ana" sourceVersion="26.2"
   creationDate="2025-07-20 07:40:00 +0100" startDate="2025-07-20 07:00:00 +0100"
   endDate="2025-07-20 07:38:00 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning"
    startDate="2025-07-20 07:00:00 +0100" endDate="2025-07-20 07:38:00 +0100" sum="6.1" unit="km"/>
  <WorkoutRoute sourceName="iPhone de Ana" sourceVersion="26.2"
    creationDate="2025-07-20 07:39:00 +0100">
   <FileReference path="/workout-routes/route_2025-07-20_7.38am.gpx"/>
  </WorkoutRoute>
  <WorkoutRoute sourceName="iPhone de Ana" sourceVersion="26.2"
    creationDate="2025-07-20 07:39:00 +0100">
   <FileReference path="/workout-routes/route_2025-07-20_7.10am.gpx"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="23.56276136636734"
   durationUnit="min" totalDistance="4.690861185646896" totalDistanceUnit="km"
   sourceName="Serendipity7" sourceVersion="3.1.3" creationDate="2017-02-07 09:41:56 +0300"
   startDate="2017-02-07 09:14:36 +0300" endDate="2017-02-07 09:41:41 +0300">
  <MetadataEntry key="HKTimeZone" value="Asia/Jerusalem"/>
  <WorkoutRoute sourceName="Serendipity7" sourceVersion="10.2.1"
    creationDate="2017-02-07 09:48:30 +0300" startDate="2017-02-07 09:14:52 +0300"
    endDate="2017-02-07 09:41:19 +0300">
   <Location date="2017-02-07 09:14:52 +0300" latitude="32.9876" longitude="34.8765"
     altitude="77.6543" horizontalAccuracy="7.21759" verticalAccuracy="5.27443" course="-1"
     speed="1.95025"/>
   <Location date="2017-02-07 09:24:52 +0300" latitude="32.9976" longitude="34.8765"
     altitude="79.1" horizontalAccuracy="5" verticalAccuracy="5" course="-1" speed="4.1"/>
   <Location date="2017-02-07 09:41:19 +0300" latitude="33.0176" longitude="34.8765"
     altitude="80.2" horizontalAccuracy="5" verticalAccuracy="5" course="-1" speed="4.2"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30" durationUnit="min"
   sourceName="Apple Watch de Ana" startDate="2025-09-01 18:00:00 +0100"
   endDate="2025-09-01 18:30:00 +0100">
  <MetadataEntry key="HKTimeZone" value="Europe/Madrid"/>
  <WorkoutRoute sourceName="iPhone de Ana">
   <FileReference path="/workout-routes/route_2025-09-02_6.00pm.gpx"/>
  </WorkoutRoute>
 </Workout>
</HealthData>
"""

FIRST_START = datetime(2025, 7, 20, 6, 0, tzinfo=UTC)  # 07:00 at +0100 as written


@pytest.fixture
def spanish_export(tmp_path: Path, fx) -> Path:
    path = tmp_path / "exportar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/exportar.xml", XML)
        routes = {
            "route_2025-07-20_7.10am.gpx": datetime(2025, 7, 20, 6, 10, tzinfo=UTC),
            "route_2025-07-20_7.38am.gpx": datetime(2025, 7, 20, 6, 0, 5, tzinfo=UTC),
            "route_2025-09-02_6.00pm.gpx": datetime(2025, 9, 2, 17, 0, tzinfo=UTC),
            "route_unused.gpx": datetime(2025, 9, 3, 17, 0, tzinfo=UTC),
        }
        for name, start in routes.items():
            archive.writestr(
                f"apple_health_export/workout-routes/{name}", fx.gpx_bytes(start, points=60)
            )
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        archive.writestr("apple_health_export/electrocardiograms/ecg_2025-07-01.csv", "x")
    return path


def test_a_spanish_phones_export_is_found_by_its_content(journal, spanish_export):
    report = journal.import_paths([spanish_export], workers=1)
    assert not report.failed and report.imported == 3
    runs = sorted((x.run for x in journal.runs()), key=lambda r: r.start)
    cycling, running, walking = runs
    assert (cycling.sport, running.sport, walking.sport) == (
        Sport.CYCLING,
        Sport.RUNNING,
        Sport.WALKING,
    )
    assert not any(r.name and r.name.startswith("Route") for r in runs)
    (source,) = report.sources()
    skipped = {s.kind: s.count for s in source.skipped}
    assert skipped == {"account files": 2, "routes": 1}


def test_local_time_comes_from_the_workouts_time_zone(journal, spanish_export):
    journal.import_paths([spanish_export], workers=1)
    runs = sorted((x.run for x in journal.runs()), key=lambda r: r.start)
    cycling, running, walking = runs
    assert running.start == FIRST_START
    assert running.utc_offset_min == 120  # Paris in July, though the export said +0100
    assert cycling.utc_offset_min == 120  # Jerusalem in February
    assert walking.utc_offset_min == 120  # Madrid in September


def test_every_route_of_a_workout_is_joined_in_time_order(journal, spanish_export):
    journal.import_paths([spanish_export], workers=1)
    running = next(x.run for x in journal.runs() if x.run.sport is Sport.RUNNING)
    series = journal.store.get_series(running.id)
    times = list(series.t_s)
    assert len(times) == 120 and times == sorted(times)
    assert times[0] == pytest.approx(5) and times[-1] == pytest.approx(600 + 59 * 5)
    distance = [d for d in series.distance_m if d == d]
    assert distance == sorted(distance)  # carried across the gap between the segments


def test_inline_locations_are_a_route(journal, spanish_export):
    journal.import_paths([spanish_export], workers=1)
    cycling = next(x.run for x in journal.runs() if x.run.sport is Sport.CYCLING)
    series = journal.store.get_series(cycling.id)
    assert series.has_coordinates and len(series) == 3
    assert list(series.lat) == [32.9876, 32.9976, 33.0176]
    assert series.t_s[0] == pytest.approx(16)  # 09:14:52, the workout began 09:14:36


def test_a_route_outside_its_workouts_time_is_not_attached_and_said(journal, spanish_export):
    report = journal.import_paths([spanish_export], workers=1)
    walking = next(x.run for x in journal.runs() if x.run.sport is Sport.WALKING)
    assert journal.store.get_series(walking.id) is None
    (result,) = [f for f in report.files if "Walking" in f.file]
    assert result.outcome is Outcome.IMPORTED
    assert any("outside the workout's time" in w for w in result.warnings)


@pytest.mark.parametrize("name", ["exportar.xml", "vienti.xml", "eksport.xml", "导出.xml"])
def test_any_file_name_is_read_when_the_document_is_health_data(journal, tmp_path, name):
    path = tmp_path / name
    path.write_text(XML, encoding="utf-8")
    report = journal.import_paths([path], workers=1)
    assert report.imported == 3
