"""Synthetic account exports (Strava, Garmin, Apple Health) for the tests and the benchmark.

Nothing here is anyone's data: names, notes, times and heart rates are made up; FIT
members are the small openly licensed files under ``tests/data/fit``.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
FIT_DIR = REPO / "tests" / "data" / "fit"
RUN_FIT = FIT_DIR / "fitparse--garmin-fenix-5-run.fit"
MULTISPORT_FIT = FIT_DIR / "fitparse--sample_mulitple_header.fit"
SETTINGS_FIT = FIT_DIR / "fitparse--Settings.fit"

# -- activity files --------------------------------------------------------------------------


def gpx_bytes(start: datetime, points: int = 60, name: str | None = None, step_s: int = 5) -> bytes:
    """A small recorded GPX track: ``points`` points, one every ``step_s`` seconds."""
    rows = []
    for i in range(points):
        when = (start + timedelta(seconds=i * step_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat, lon = 47.0 + i * 0.0001, 8.0 + i * 0.00005
        rows.append(
            f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{400 + i % 7}</ele>'
            f"<time>{when}</time></trkpt>"
        )
    title = f"<name>{name}</name>" if name else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="innerpace fixtures" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk>{title}<type>running</type><trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()


def tcx_bytes(start: datetime, points: int = 40, step_s: int = 5) -> bytes:
    """A small TCX running activity with heart rate."""
    stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = []
    for i in range(points):
        when = (start + timedelta(seconds=i * step_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(
            f"<Trackpoint><Time>{when}</Time><Position>"
            f"<LatitudeDegrees>{46.5 + i * 0.0001:.6f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{7.4 + i * 0.0001:.6f}</LongitudeDegrees></Position>"
            f"<DistanceMeters>{i * 14.0:.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{130 + i % 10}</Value></HeartRateBpm></Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f'<Id>{stamp}</Id><Lap StartTime="{stamp}"><TotalTimeSeconds>{points * step_s}'
        f"</TotalTimeSeconds><DistanceMeters>{(points - 1) * 14.0:.1f}</DistanceMeters>"
        f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
        f"<Track>{''.join(rows)}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


# -- Strava ----------------------------------------------------------------------------------
#: Strava's English header of 2024-2025 exports (99 columns), as the export writes it.
STRAVA_EN = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed", "Elevation Gain",
    "Elevation Loss", "Elevation Low", "Elevation High", "Max Grade", "Average Grade",
    "Average Positive Grade", "Average Negative Grade", "Max Cadence", "Average Cadence",
    "Max Heart Rate", "Average Heart Rate", "Max Watts", "Average Watts", "Calories",
    "Max Temperature", "Average Temperature", "Relative Effort", "Total Work",
    "Number of Runs", "Uphill Time", "Downhill Time", "Other Time", "Perceived Exertion",
    "Type", "Start Time", "Weighted Average Power", "Power Count",
    "Prefer Perceived Exertion", "Perceived Relative Effort", "Commute",
    "Total Weight Lifted", "From Upload", "Grade Adjusted Distance",
    "Weather Observation Time", "Weather Condition", "Weather Temperature",
    "Apparent Temperature", "Dewpoint", "Humidity", "Weather Pressure", "Wind Speed",
    "Wind Gust", "Wind Bearing", "Precipitation Intensity", "Sunrise Time", "Sunset Time",
    "Moon Phase", "Bike", "Gear", "Precipitation Probability", "Precipitation Type",
    "Cloud Cover", "Weather Visibility", "UV Index", "Weather Ozone", "Jump Count",
    "Total Grit", "Average Flow", "Flagged", "Average Elapsed Speed", "Dirt Distance",
    "Newly Explored Distance", "Newly Explored Dirt Distance", "Activity Count",
    "Total Steps", "Carbon Saved", "Pool Length", "Training Load", "Intensity",
    "Average Grade Adjusted Pace", "Timer Time", "Total Cycles", "Media",
]  # fmt: skip

#: The German header's first 51 columns as German exports write them.
STRAVA_DE = [
    "Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart",
    "Aktivitätsbeschreibung", "Verstrichene Zeit", "Distanz", "Max. Herzfrequenz",
    "Relative Leistung", "Pendeln", "Hinweis zur Privatsphäre für Aktivitäten",
    "Aktivitätsausrüstung", "Dateiname", "Sportlergewicht", "Fahrradgewicht",
    "Verstrichene Zeit", "Bewegungszeit", "Distanz", "Höchstgeschw.",
    "Durchschnittliche Geschwindigkeit", "Höhenzunahme", "Höhenunterschied", "Min. Höhe",
    "Max. Höhe", "Max. Steigung", "Durchschnittliche Steigung",
    "Durchschnittliche positive Steigung", "Durchschnittliche negative Steigung",
    "Max. Tritt-/Schrittfrequenz", "Durchschnittliche Trittfrequenz", "Max. Herzfrequenz",
    "Durchschnittliche Herzfrequenz", "Max. Watt", "Durchschnittliche Watt", "Kalorien",
    "Max. Temperatur", "Durchschnittliche Temperatur", "Relative Leistung", "Gesamtarbeit",
    "Anzahl Läufe", "Bergaufzeit", "Bergabzeit", "Andere Zeit", "Gefühlte Anstrengung", "Art",
    "Startzeit", "Gewichtete durchschnittliche Leistung", "Leistungszahl",
    "Gefühlte Anstrengung verwenden", "Gefühlte relative Leistung", "Pendeln",
]  # fmt: skip

STRAVA_FR = [
    "ID de l'activité", "Date de l'activité", "Nom de l'activité", "Type d'activité",
    "Description de l'activité", "Temps écoulé", "Distance", "Fréquence cardiaque max.",
    "Effort relatif", "Trajet domicile-travail", "Note privée de l'activité",
    "Équipement de l'activité", "Nom du fichier", "Poids de l'athlète", "Poids du vélo",
    "Temps écoulé", "Temps de déplacement", "Distance", "Vitesse max.", "Vitesse moyenne",
    "Dénivelé positif", "Dénivelé négatif", "Effort perçu",
]  # fmt: skip

#: Where each meaning sits in the headers above: (column title, occurrence).
_MEANINGS = {
    "en": {
        "id": "Activity ID", "date": "Activity Date", "name": "Activity Name",
        "type": "Activity Type", "description": "Activity Description",
        "elapsed": "Elapsed Time", "distance": "Distance", "note": "Activity Private Note",
        "filename": "Filename", "moving": "Moving Time", "rpe": "Perceived Exertion",
        "commute": "Commute", "gear": "Activity Gear", "media": "Media",
    },
    "de": {
        "id": "Aktivitäts-ID", "date": "Aktivitätsdatum", "name": "Name der Aktivität",
        "type": "Aktivitätsart", "description": "Aktivitätsbeschreibung",
        "elapsed": "Verstrichene Zeit", "distance": "Distanz",
        "note": "Hinweis zur Privatsphäre für Aktivitäten", "filename": "Dateiname",
        "moving": "Bewegungszeit", "rpe": "Gefühlte Anstrengung", "commute": "Pendeln",
        "gear": "Aktivitätsausrüstung",
    },
    "fr": {
        "id": "ID de l'activité", "date": "Date de l'activité", "name": "Nom de l'activité",
        "type": "Type d'activité", "description": "Description de l'activité",
        "elapsed": "Temps écoulé", "distance": "Distance",
        "note": "Note privée de l'activité", "filename": "Nom du fichier",
        "moving": "Temps de déplacement", "rpe": "Effort perçu",
        "commute": "Trajet domicile-travail", "gear": "Équipement de l'activité",
    },
}  # fmt: skip
_HEADERS = {"en": STRAVA_EN, "de": STRAVA_DE, "fr": STRAVA_FR}


def strava_header(language: str, columns: int) -> list[str]:
    """A header of exactly ``columns`` columns: the language's own, cut or padded with
    columns no version of the importer knows."""
    base = list(_HEADERS[language])
    if columns <= len(base):
        return base[:columns]
    return base + [f"Neue Spalte {i}" for i in range(columns - len(base))]


def strava_row(header: list[str], language: str, values: dict[str, str]) -> list[str]:
    """One row for ``header`` from values by meaning; ``distance_m`` fills the second
    Distance column; unknown columns get filler text, some of it ``#error#``."""
    cells = [("#error#" if i % 11 == 0 else "0") for i in range(len(header))]
    names = _MEANINGS[language]
    for meaning, value in values.items():
        if meaning == "distance_m":
            title, occurrence = names["distance"], 2
        else:
            title, occurrence = names[meaning], 1
        seen = 0
        for index, column in enumerate(header):
            if column == title:
                seen += 1
                if seen == occurrence:
                    cells[index] = value
                    break
    for meaning in ("description", "note", "filename", "rpe", "media"):
        if meaning not in values and meaning in names and names[meaning] in header:
            cells[header.index(names[meaning])] = ""
    return cells


def strava_csv(header: list[str], rows: Iterable[list[str]], bom: bool = True) -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def write_zip(path: Path, members: dict[str, bytes], stored: Iterable[str] = ()) -> Path:
    keep = set(stored)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name in keep else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return path


def write_folder(path: Path, members: dict[str, bytes]) -> Path:
    for name, data in members.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


def strava_bulk(count: int, start: datetime | None = None) -> dict[str, bytes]:
    """A large English export: ``count`` activities, each a distinct GPX or a manual row."""
    start = start or datetime(2016, 1, 1, 6, 0, tzinfo=UTC)
    header = strava_header("en", 99)
    rows, members = [], {}
    for i in range(count):
        when = start + timedelta(days=i, minutes=i % 90)
        manual = i % 10 == 9
        values = {
            "id": str(1000 + i),
            "date": when.strftime("%b %d, %Y, %I:%M:%S %p").replace(" 0", " "),
            "name": "Morning Run" if i % 3 else f"Run number {i}",
            "type": "Run",
            "elapsed": "1800",
            "moving": "1750",
            "distance": "5.2",
            "distance_m": "5200.0",
            "rpe": str(1 + i % 10),
        }
        if i % 4 == 0:
            values["description"] = f"Quiet run {i}; the river was high."
        if not manual:
            name = f"activities/{1000 + i}.gpx.gz"
            values["filename"] = name
            members[name] = gzip.compress(gpx_bytes(when, points=360), mtime=0)
        rows.append(strava_row(header, "en", values))
    members["activities.csv"] = strava_csv(header, rows)
    return members


# -- Garmin ----------------------------------------------------------------------------------
def garmin_export(folder_start: datetime | None = None) -> dict[str, bytes]:
    """A Garmin account export: two nested upload zips (one deflated, one stored) holding a
    run, a multisport file, a settings file, a GPX and a note; JSON summaries beside them."""
    start = folder_start or datetime(2021, 5, 2, 7, 0, tzinfo=UTC)
    part1 = io.BytesIO()
    with zipfile.ZipFile(part1, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("someone_123.fit", RUN_FIT.read_bytes())
        archive.writestr("someone_124.fit", MULTISPORT_FIT.read_bytes())
        archive.writestr("someone_125.fit", SETTINGS_FIT.read_bytes())
        archive.writestr("notes.txt", "not an activity")
    part2 = io.BytesIO()
    with zipfile.ZipFile(part2, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("someone_126.gpx", gpx_bytes(start, points=80))
        archive.writestr("someone_127.tcx.gz", gzip.compress(tcx_bytes(start + timedelta(days=1))))
    base = "DI_CONNECT/DI-Connect-Uploaded-Files/"
    return {
        "DI_CONNECT/DI-Connect-Fitness/someone_0_summarizedActivities.json": b"[]",
        "DI_CONNECT/DI-Connect-Wellness/2021-01-01_2021-04-30_sleepData.json": b"[]",
        "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
        f"{base}UploadedFiles_0-_Part1.zip": part1.getvalue(),
        f"{base}UploadedFiles_0-_Part2.zip": part2.getvalue(),
    }


# -- Apple Health ----------------------------------------------------------------------------
APPLE_PROLOGUE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutStatistics|WorkoutRoute)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-12-31 20:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth=""/>
"""
_DEVICE = (
    "&lt;&lt;HKDevice: 0x283a1f2c0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,1, software:10.1&gt;"
)
_TYPES = (
    "HKWorkoutActivityTypeRunning",
    "HKWorkoutActivityTypeRunning",
    "HKWorkoutActivityTypeWalking",
    "HKWorkoutActivityTypeHiking",
    "HKWorkoutActivityTypeYoga",
)


@dataclass
class AppleFacts:
    """What a generated Apple export holds, to check an import against."""

    workouts: int = 0
    hr_records: int = 0
    hr_in_workouts: list[int] = field(default_factory=list)
    hr_mean: list[float] = field(default_factory=list)
    moods: int = 0
    routes: list[int] = field(default_factory=list)
    starts: list[datetime] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def write_apple_xml(
    out: IO[str],
    *,
    workouts: int,
    hr_records: int,
    moods: int = 3,
    routes: int = 0,
    other_records: int = 0,
) -> AppleFacts:
    """Stream an export.xml: heart-rate records first (in reversed blocks, so not in
    workout order), other records, State of Mind entries, then the workouts."""
    facts = AppleFacts(workouts=workouts, moods=moods)
    base = datetime(2019, 1, 1, 7, 0, tzinfo=UTC)
    inside = int(hr_records * 0.9) // max(1, workouts)
    outside = hr_records - inside * workouts
    zones = (timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)))
    plan = []
    for i in range(workouts):
        zone = zones[i % 2]
        start = (base + timedelta(days=i, minutes=(i * 7) % 300)).astimezone(zone)
        minutes = 30 + i % 30
        plan.append((start, minutes))
        facts.starts.append(start.astimezone(UTC))
        facts.offsets.append(60 if i % 2 == 0 else -300)
    out.write(APPLE_PROLOGUE)
    # heart rate, written in blocks of workouts from the last to the first
    facts.hr_in_workouts = [0] * workouts
    facts.hr_mean = [0.0] * workouts
    block = 50
    for first in reversed(range(0, workouts, block)):
        for i in range(first, min(first + block, workouts)):
            start, minutes = plan[i]
            total = 0.0
            step = minutes * 60 / max(1, inside)
            for j in range(inside):
                when = _stamp(start + timedelta(seconds=int(j * step)))
                value = 100 + (i + j) % 60
                total += value
                out.write(
                    f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
                    f'sourceVersion="10.1" device="{_DEVICE}" unit="count/min" '
                    f'creationDate="{when}" startDate="{when}" endDate="{when}" '
                    f'value="{value}">\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext"'
                    f' value="2"/>\n </Record>\n'
                )
            facts.hr_in_workouts[i] = inside
            facts.hr_mean[i] = total / inside if inside else 0.0
    for k in range(outside):  # resting heart rate at night, outside every workout
        when = _stamp(base + timedelta(days=k % max(1, workouts), hours=-5, seconds=k % 3600))
        out.write(
            f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
            f'unit="count/min" startDate="{when}" endDate="{when}" value="58"/>\n'
        )
    for k in range(other_records):
        when = _stamp(base + timedelta(minutes=k))
        out.write(
            f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" '
            f'unit="count" creationDate="{when}" startDate="{when}" endDate="{when}" '
            f'value="{k % 90}"/>\n'
        )
    for k in range(moods):
        start, _minutes = plan[k % max(1, workouts)] if workouts else (base, 0)
        when = _stamp(start - timedelta(minutes=30))
        out.write(
            f' <Record type="HKDataTypeStateOfMind" sourceName="Phone" startDate="{when}" '
            f'endDate="{when}">\n  <MetadataEntry key="HKStateOfMindValence" '
            f'value="{-0.5 + k * 0.25:.2f}"/>\n </Record>\n'
        )
    for i, (start, minutes) in enumerate(plan):
        end = start + timedelta(minutes=minutes)
        kind = _TYPES[i % len(_TYPES)]
        km = minutes / 6.0
        attrs = (
            f'workoutActivityType="{kind}" duration="{minutes}" durationUnit="min" '
            f'sourceName="Watch" sourceVersion="10.1" device="{_DEVICE}" '
            f'creationDate="{_stamp(end)}" startDate="{_stamp(start)}" endDate="{_stamp(end)}"'
        )
        if i % 2:
            attrs += f' totalDistance="{km:.3f}" totalDistanceUnit="km"'
        out.write(f" <Workout {attrs}>\n")
        out.write('  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n')
        if i % 2 == 0:
            out.write(
                '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
                f'startDate="{_stamp(start)}" endDate="{_stamp(end)}" sum="{km:.3f}" '
                'unit="km"/>\n'
            )
        if i < routes:
            facts.routes.append(i)
            out.write(
                '  <WorkoutRoute sourceName="Watch">\n'
                f'   <FileReference path="/workout-routes/route_{i}.gpx"/>\n'
                "  </WorkoutRoute>\n"
            )
        out.write(" </Workout>\n")
    for k in range(min(workouts, 400)):
        out.write(f' <ActivitySummary dateComponents="2019-01-{1 + k % 28:02d}"/>\n')
    out.write("</HealthData>\n")
    facts.hr_records = hr_records
    return facts


def apple_export(
    target: Path,
    *,
    workouts: int,
    hr_records: int,
    moods: int = 3,
    routes: int = 0,
    other_records: int = 0,
    as_zip: bool = True,
) -> tuple[Path, AppleFacts]:
    """Write an ``export.zip`` (or an ``apple_health_export`` folder) under ``target``."""
    options = dict(
        workouts=workouts, hr_records=hr_records, moods=moods, routes=routes,
        other_records=other_records,
    )  # fmt: skip
    if as_zip:
        path = target / "export.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("apple_health_export/export.xml", "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
                facts = write_apple_xml(text, **options)
                text.flush()
                text.detach()
            for i in facts.routes:
                start = facts.starts[i]
                archive.writestr(
                    f"apple_health_export/workout-routes/route_{i}.gpx",
                    gpx_bytes(start, points=120, step_s=10),
                )
            archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        return path, facts
    folder = target / "apple_health_export"
    (folder / "workout-routes").mkdir(parents=True, exist_ok=True)
    with (folder / "export.xml").open("w", encoding="utf-8", buffering=1 << 20) as out:
        facts = write_apple_xml(out, **options)
    for i in facts.routes:
        (folder / "workout-routes" / f"route_{i}.gpx").write_bytes(
            gpx_bytes(facts.starts[i], points=120, step_s=10)
        )
    return folder, facts
