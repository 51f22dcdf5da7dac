"""Apple Health's ``export.zip`` / ``export.xml``: workouts, their heart rate and routes.

``export.xml`` can be several gigabytes, so it is streamed twice and never held:

1. the workouts (a few thousand at most) are collected with their statistics;
2. heart-rate records, which Apple writes apart from the workouts and not in their order,
   are streamed and each one is put into the workout it falls in (sorted intervals and a
   binary search), building each workout's series.

Every element is freed as soon as it is read. The parser expands no entities, loads no
DTD and uses no network; a prologue that declares entities is refused. Apple's own
header (an internal DTD of element and attribute lists) is read without being applied.

Each workout becomes a candidate whose bytes are the workout record itself, serialised
deterministically (its attributes, statistics, metadata and route reference), so
importing the same export again adds nothing. Route GPX files the workout names give the
track and distance. State of Mind entries become check-ins when the journal's import
can store check-ins that belong to no run; until then they are counted.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from innerpace.domain import CheckIn, CheckInKind, Run, Series, Setting, Sport
from innerpace.domain.feelings import Response
from innerpace.formats.errors import NotAnActivity, ParseError, ParseWarning
from innerpace.formats.parsed import ParsedActivities
from innerpace.importer.exports.apple.values import (
    METRES,
    SECONDS,
    as_datetime,
    epoch,
    number,
    quantity,
    zone_offset,
)
from innerpace.importer.exports.apple.words import sport_of
from innerpace.importer.exports.tree import ExportTree, Skipped
from innerpace.importer.sources import Candidate, failing

FORMAT = "apple-health"
HEART_RATE = "HKQuantityTypeIdentifierHeartRate"
STATE_OF_MIND_INSTRUMENT = ("apple-state-of-mind", "1")
MAX_PROLOGUE = 1 << 20
MAX_SAMPLES = 200_000  # heart-rate samples kept for one workout
NEAR_RUN_S = 2 * 3600.0

#: The options every read of export.xml uses: no entities, no DTD, no network.
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}

_DISTANCE_STATS = (
    "HKQuantityTypeIdentifierDistanceWalkingRunning",
    "HKQuantityTypeIdentifierDistanceCycling",
    "HKQuantityTypeIdentifierDistanceSwimming",
    "HKQuantityTypeIdentifierDistanceRowing",
)
MAX_INLINE_POINTS = 200_000  # inline <Location> points kept for one workout
ROUTE_SLACK_S = 300.0  # a route may start or end this much outside its workout


def read_export(path: Path) -> Iterator[Candidate] | None:
    """The candidates of an Apple Health export (zip, folder or export.xml), or None."""
    found = _locate(path)
    if found is None:
        return None
    return _candidates(*found)


# -- where export.xml is ---------------------------------------------------------------------
def _is_health(head: bytes) -> bool:
    """Whether a document is Apple Health's, by its root element, whatever its file name
    (phones in other languages write ``exportar.xml``, ``vienti.xml``, ``eksport.xml``…)."""
    return re.search(rb"<HealthData[\s>/]", head) is not None


def _locate(path: Path) -> tuple[ExportTree | None, Path, str, str] | None:
    """(tree or None, path, xml member or file, folder that route paths start from)."""
    if path.is_file():
        try:
            with path.open("rb") as handle:
                head = handle.read(8192)
        except OSError:
            return None
        if not head.startswith(b"PK\x03\x04"):
            return (None, path, str(path), str(path.parent)) if _is_health(head) else None
    tree = ExportTree.open(path)
    if tree is None:
        return None
    xmls = [n for n in tree.names if n.lower().endswith(".xml") and n.count("/") <= 1]
    order = {"export.xml": 0}
    for name in sorted(xmls, key=lambda n: (n.count("/"), order.get(posixpath.basename(n), 1), n)):
        if _is_health(tree.head(name, 8192)):
            return tree, path, name, posixpath.dirname(name)
    tree.close()
    return None


@dataclass
class _Source:
    tree: ExportTree | None
    path: Path
    xml: str
    base: str

    @property
    def label(self) -> str:
        return self.tree.label(self.xml) if self.tree is not None else self.xml

    def open_xml(self) -> IO[bytes]:
        if self.tree is not None:
            return self.tree.stream(self.xml)
        return Path(self.xml).open("rb")

    def route(self, reference: str) -> Callable[[], bytes] | None:
        relative = posixpath.normpath(reference.lstrip("/"))
        if relative.startswith(".."):
            return None
        if self.tree is None:
            file = Path(self.base) / relative
            return file.read_bytes if file.is_file() else None
        name = posixpath.join(self.base, relative) if self.base else relative
        return self.tree.reader(name) if name in self.tree else None

    def close(self) -> None:
        if self.tree is not None:
            self.tree.close()


# -- streaming -------------------------------------------------------------------------------
def _elements(source: _Source, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Each ``tags`` element of export.xml as it ends; freed once the caller moves on."""
    with source.open_xml() as stream:
        _check_prologue(stream, source.label)
    with source.open_xml() as stream:
        # Safe: PARSER_OPTIONS expand no entities and load no DTD or network resource.
        events = etree.iterparse(stream, events=("end",), tag=tags, **PARSER_OPTIONS)  # noqa: S320
        while True:
            try:
                _event, element = next(events)
            except StopIteration:
                return
            except etree.LxmlError as error:
                raise ParseError(f"export.xml is not well-formed: {_short(error)}") from None
            except (ValueError, TypeError, UnicodeError, OverflowError) as error:
                raise ParseError(f"export.xml could not be read: {_short(error)}") from None
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]


def _check_prologue(stream: IO[bytes], label: str) -> None:
    head = b""
    while len(head) < MAX_PROLOGUE:
        chunk = stream.read(65536)
        if not chunk:
            break
        head += chunk
        if re.search(rb"<HealthData[\s>/]", head):
            break
    root = re.search(rb"<HealthData[\s>/]", head)
    prologue = head[: root.start()] if root else head
    if b"<!ENTITY" in prologue:
        raise ParseError("export.xml declares entities; such files are refused", label)


def _short(error: BaseException, limit: int = 200) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:limit]


# -- workouts --------------------------------------------------------------------------------
@dataclass
class Workout:
    """One ``<Workout>`` as read: what it says, and the heart rate found for it."""

    attributes: dict[str, str]
    statistics: list[dict[str, str]]
    metadata: list[tuple[str, str]]
    routes: list[str]
    start: float
    end: float
    offset_min: int
    hr_t: array = field(default_factory=lambda: array("d"))
    hr: array = field(default_factory=lambda: array("d"))
    # inline <Location> points (before iOS 13): seconds since 1970, lat, lon, altitude
    points: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def route(self) -> str | None:
        return self.routes[0] if self.routes else None

    def canonical(self) -> bytes:
        """The workout record as deterministic JSON (its bytes make it idempotent)."""
        record = {
            "workout": dict(sorted(self.attributes.items())),
            "statistics": sorted(
                (dict(sorted(s.items())) for s in self.statistics),
                key=lambda s: json.dumps(s, sort_keys=True),
            ),
            "metadata": sorted(self.metadata),
            "route": self.route,
        }
        if len(self.routes) > 1:
            record["routes"] = self.routes
        return json.dumps(record, ensure_ascii=False, sort_keys=True).encode()

    def statistic(self, kind: str) -> dict[str, str] | None:
        return next((s for s in self.statistics if s.get("type") == kind), None)

    def meta(self, key: str) -> str | None:
        return next((v for k, v in self.metadata if k == key), None)


def _workout(element: etree._Element) -> Workout | None:
    attributes = {str(k): str(v) for k, v in element.attrib.items()}
    start = epoch(attributes.get("startDate"))
    end = epoch(attributes.get("endDate"))
    if start is None:
        return None
    statistics: list[dict[str, str]] = []
    metadata: list[tuple[str, str]] = []
    routes: list[str] = []
    points: list[tuple[float, float, float, float]] = []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "WorkoutStatistics":
            statistics.append({str(k): str(v) for k, v in child.attrib.items()})
        elif tag == "MetadataEntry":
            metadata.append((str(child.get("key", "")), str(child.get("value", ""))))
        elif tag == "WorkoutRoute":
            for reference in child.iter("FileReference"):
                path = reference.get("path")
                if path and path not in routes:
                    routes.append(path)
            for location in child.iter("Location"):
                point = _location(location)
                if point is not None and len(points) < MAX_INLINE_POINTS:
                    points.append(point)
    stop = end[0] if end is not None else start[0]
    offset = zone_offset(dict(metadata).get("HKTimeZone"), start[0])
    workout = Workout(
        attributes,
        statistics,
        metadata,
        routes,
        start[0],
        stop,
        start[1] if offset is None else offset,
    )
    workout.points = sorted(points)
    return workout


def _location(element: etree._Element) -> tuple[float, float, float, float] | None:
    when = epoch(element.get("date"))
    lat, lon = number(element.get("latitude")), number(element.get("longitude"))
    if when is None or lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    altitude = number(element.get("altitude"))
    return when[0], lat, lon, altitude if altitude is not None else float("nan")


@dataclass(frozen=True, slots=True)
class StateOfMind:
    """A State of Mind entry: when, and how pleasant it felt (valence −1…1)."""

    at: float
    offset_min: int
    valence: float
    record: bytes


def _state_of_mind(element: etree._Element) -> StateOfMind | None:
    when = epoch(element.get("startDate"))
    if when is None:
        return None
    metadata = [
        (str(c.get("key", "")), str(c.get("value", "")))
        for c in element
        if c.tag == "MetadataEntry"
    ]
    candidates = [element.get("valence")]
    candidates += [v for k, v in metadata if k.lower().endswith("valence")]
    candidates.append(element.get("value"))
    valence = next((v for v in map(number, candidates) if v is not None and -1 <= v <= 1), None)
    if valence is None:
        return None
    attributes = {str(k): str(v) for k, v in element.attrib.items()}
    record = json.dumps(
        {"stateOfMind": dict(sorted(attributes.items())), "metadata": sorted(metadata)},
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    return StateOfMind(when[0], when[1], valence, record)


# -- the two passes --------------------------------------------------------------------------
@dataclass
class _Found:
    workouts: list[Workout] = field(default_factory=list)
    moods: list[StateOfMind] = field(default_factory=list)
    error: ParseError | None = None


def _read(source: _Source) -> _Found:
    found = _Found()
    try:
        for element in _elements(source, ("Workout", "Record")):
            if element.tag == "Workout" and (workout := _workout(element)) is not None:
                found.workouts.append(workout)
    except ParseError as error:
        found.error = error
    found.workouts.sort(key=lambda w: (w.start, w.end))
    try:
        _bin_records(source, found)
    except ParseError as error:
        found.error = found.error or error
    return found


def _bin_records(source: _Source, found: _Found) -> None:
    workouts = found.workouts
    starts = [w.start for w in workouts]
    reach: list[float] = []  # the latest end among workouts up to each index
    for workout in workouts:
        reach.append(max(workout.end, reach[-1] if reach else workout.end))
    for element in _elements(source, ("Record",)):
        kind = element.get("type")
        if kind == HEART_RATE:
            if not workouts:
                continue
            when = epoch(element.get("startDate"))
            if when is None:
                continue
            t = when[0]
            index = bisect_right(starts, t) - 1
            while index >= 0 and reach[index] >= t:
                workout = workouts[index]
                if workout.end >= t:
                    value = number(element.get("value"))
                    if value is not None and 20 <= value <= 260 and len(workout.hr) < MAX_SAMPLES:
                        workout.hr_t.append(t - workout.start)
                        workout.hr.append(value)
                    break
                index -= 1
        elif kind is not None and "StateOfMind" in kind:
            mood = _state_of_mind(element)
            if mood is not None:
                found.moods.append(mood)


# -- candidates ------------------------------------------------------------------------------
def _candidates(tree: ExportTree | None, path: Path, xml: str, base: str) -> Iterator[Candidate]:
    source = _Source(tree, path, xml, base)
    try:
        found = _read(source)
        label = source.label
        for workout in found.workouts:
            yield _workout_candidate(source, label, workout)
        skipped = Skipped(str(path))
        for mood in found.moods:
            yield _mood_candidate(label, mood, found.workouts)
        if found.error is not None:
            yield Candidate(label, failing(found.error.for_source(label)))
        if tree is not None:
            routes = {r.lstrip("/") for w in found.workouts for r in w.routes}
            for name in tree.names:
                relative = posixpath.relpath(name, base or ".")
                if name == xml or relative in routes:
                    continue
                if relative.startswith("workout-routes/"):
                    skipped.add("routes", "route files no workout names")
                elif name.lower().endswith((".jpg", ".jpeg", ".png", ".heic", ".pdf")):
                    skipped.add("photos", "photos and documents are not imported")
                else:
                    skipped.add("account files", "health records and clinical documents")
        yield from skipped.candidates()
    finally:
        source.close()


def _workout_candidate(source: _Source, label: str, workout: Workout) -> Candidate:
    kind = workout.attributes.get("workoutActivityType", "")
    name = f"{label}!Workout {workout.attributes.get('startDate', '')} {_short_type(kind)}"

    def parsed() -> ParsedActivities:
        return workout_activity(workout, source.route, name)

    identity = f"apple:{workout.attributes.get('startDate')}:{kind}"
    return Candidate(name, workout.canonical, parsed=parsed, identity=identity)


def _short_type(kind: str) -> str:
    return kind.removeprefix("HKWorkoutActivityType") or "Workout"


def workout_activity(
    workout: Workout,
    routes: Callable[[str], Callable[[], bytes] | None] | None = None,
    source: str | None = None,
) -> ParsedActivities:
    """One workout as an activity, with its heart rate and, when present, its route."""
    kind = _short_type(workout.attributes.get("workoutActivityType", ""))
    sport = sport_of(kind)
    duration = quantity(
        workout.attributes.get("duration"),
        workout.attributes.get("durationUnit"),
        SECONDS,
        "min",
    )
    if not duration or duration <= 0:
        duration = workout.end - workout.start
    if duration <= 0:
        raise NotAnActivity("the workout lasts no time", source)
    warnings: list[ParseWarning] = []
    series, route_run = _series(workout, routes, warnings)
    distance = _distance(workout)
    if distance is None and route_run is not None:
        distance = route_run.distance_m
    heart = workout.statistic("HKQuantityTypeIdentifierHeartRate") or {}
    avg_hr = number(heart.get("average"))
    max_hr = number(heart.get("maximum"))
    if workout.hr and avg_hr is None:
        avg_hr = sum(workout.hr) / len(workout.hr)
    if workout.hr and max_hr is None:
        max_hr = max(workout.hr)
    indoor = workout.meta("HKIndoorWorkout") == "1"
    setting = Setting.UNKNOWN
    if indoor:
        setting = Setting.TREADMILL if sport in (Sport.RUNNING, Sport.WALKING) else Setting.INDOOR
    climb = workout.meta("HKElevationAscended")
    gain = quantity(*(climb.split() + [""])[:2], METRES) if climb else None
    if gain is None and route_run is not None:
        gain = route_run.elevation_gain_m
    run = Run(
        start=as_datetime(workout.start),
        duration_s=duration,
        sport=sport,
        sport_name=kind if sport is Sport.OTHER else None,
        utc_offset_min=workout.offset_min,
        distance_m=distance,
        setting=setting,
        avg_hr=avg_hr,
        max_hr=max_hr,
        elevation_gain_m=gain,
        device=_device(workout.attributes),
        source=FORMAT,
        series=series,
    )
    return ParsedActivities(FORMAT, (run,), tuple(warnings))


def _distance(workout: Workout) -> float | None:
    total = quantity(
        workout.attributes.get("totalDistance"),
        workout.attributes.get("totalDistanceUnit"),
        METRES,
    )
    if total:
        return total
    for kind in _DISTANCE_STATS:
        stat = workout.statistic(kind)
        if stat is not None:
            value = quantity(stat.get("sum"), stat.get("unit"), METRES)
            if value is not None:
                return value
    return None


def _device(attributes: dict[str, str]) -> str | None:
    match = re.search(r"name:([^,>]{1,60})", attributes.get("device", ""))
    text = match.group(1) if match else attributes.get("sourceName")
    if not text:
        return None
    return " ".join(text.split())[:80] or None


def _series(
    workout: Workout,
    routes: Callable[[str], Callable[[], bytes] | None] | None,
    warnings: list[ParseWarning],
) -> tuple[Series | None, Run | None]:
    """The workout's samples: its routes joined in time order (or its inline locations),
    with the heart rate laid over them; heart rate alone when there is no route."""
    import numpy as np

    order = np.argsort(np.frombuffer(workout.hr_t, dtype=np.float64), kind="stable")
    hr_t = np.frombuffer(workout.hr_t, dtype=np.float64)[order]
    hr = np.frombuffer(workout.hr, dtype=np.float64)[order]
    route_run = _routes(workout, routes, warnings)
    if route_run is not None and route_run.series is not None and len(route_run.series):
        track = route_run.series
        t = np.frombuffer(track.t_s, dtype=np.float64)
        filled = (
            np.interp(t, hr_t, hr, left=np.nan, right=np.nan)
            if len(hr)
            else np.full(len(t), np.nan)
        )
        series = Series(
            t_s=track.t_s,
            distance_m=track.distance_m,
            hr=array("d", filled),
            cadence_spm=track.cadence_spm,
            altitude_m=track.altitude_m,
            lat=track.lat,
            lon=track.lon,
        )
        return series, route_run
    if not len(hr):
        return None, route_run
    nan = array("d", [float("nan")]) * len(hr)
    series = Series(
        t_s=array("d", hr_t),
        distance_m=nan,
        hr=array("d", hr),
        cadence_spm=array("d", nan),
        altitude_m=array("d", nan),
        lat=array("d", nan),
        lon=array("d", nan),
    )
    return series, route_run


def _within(workout: Workout, first: float, last: float) -> bool:
    return last >= workout.start - ROUTE_SLACK_S and first <= workout.end + ROUTE_SLACK_S


def _routes(
    workout: Workout,
    routes: Callable[[str], Callable[[], bytes] | None] | None,
    warnings: list[ParseWarning],
) -> Run | None:
    """Every route of the workout in time order, as one track (times from the workout's
    start, distance carried across the gaps between them); a route outside the workout's
    time is left out and said."""
    pieces: list[tuple[float, Series]] = []
    distance = 0.0
    gain = 0.0
    for reference in workout.routes if routes is not None else []:
        run = _route(reference, routes, warnings)
        if run is None or run.series is None or not len(run.series):
            continue
        first = run.start.timestamp()
        last = first + run.series.t_s[-1]
        if not _within(workout, first, last):
            warnings.append(
                ParseWarning(
                    f"its route {reference} was recorded outside the workout's time; not attached"
                )
            )
            continue
        pieces.append((first - workout.start, run.series))
        gain += run.elevation_gain_m or 0.0
    if not pieces and workout.points:
        first, last = workout.points[0][0], workout.points[-1][0]
        if _within(workout, first, last):
            pieces.append((0.0, _inline_series(workout)))
        else:
            warnings.append(
                ParseWarning("its recorded locations fall outside the workout's time; not attached")
            )
    if not pieces:
        return None
    pieces.sort(key=lambda p: p[0])
    columns: dict[str, array] = {
        name: array("d")
        for name in ("t_s", "distance_m", "hr", "cadence_spm", "altitude_m", "lat", "lon")
    }
    for shift, series in pieces:
        columns["t_s"].extend(t + shift for t in series.t_s)
        finite = [d for d in series.distance_m if d == d]
        columns["distance_m"].extend(d + distance if d == d else d for d in series.distance_m)
        if finite:
            distance += max(finite)
        for name in ("hr", "cadence_spm", "altitude_m", "lat", "lon"):
            columns[name].extend(getattr(series, name))
    track = Series(**columns)
    return Run(
        start=as_datetime(workout.start),
        duration_s=max(workout.end - workout.start, 1.0),
        distance_m=distance or None,
        elevation_gain_m=gain or None,
        series=track,
        source="gpx",
    )


def _inline_series(workout: Workout) -> Series:
    """The inline ``<Location>`` points of a workout (iOS before 13) as a track."""
    from math import asin, cos, radians, sin, sqrt

    t = array("d")
    distance = array("d")
    lat = array("d")
    lon = array("d")
    altitude = array("d")
    total = 0.0
    previous: tuple[float, float] | None = None
    for when, la, lo, alt in workout.points:
        if previous is not None:
            p1, p2 = radians(previous[0]), radians(la)
            dlat, dlon = p2 - p1, radians(lo - previous[1])
            h = sin(dlat / 2) ** 2 + cos(p1) * cos(p2) * sin(dlon / 2) ** 2
            total += 2 * 6_371_008.8 * asin(min(1.0, sqrt(h)))
        previous = (la, lo)
        t.append(when - workout.start)
        distance.append(total)
        lat.append(la)
        lon.append(lo)
        altitude.append(alt)
    nan = array("d", [float("nan")]) * len(t)
    return Series(
        t_s=t,
        distance_m=distance,
        hr=nan,
        cadence_spm=array("d", nan),
        altitude_m=altitude,
        lat=lat,
        lon=lon,
    )


def _route(
    reference: str,
    routes: Callable[[str], Callable[[], bytes] | None],
    warnings: list[ParseWarning],
) -> Run | None:
    reader = routes(reference)
    if reader is None:
        warnings.append(ParseWarning(f"its route {reference} is not in the export"))
        return None
    from innerpace.formats.gpx import parse_gpx

    try:
        parsed = parse_gpx(reader(), reference)
    except (ParseError, OSError, zipfile.BadZipFile) as error:
        reason = error.reason if isinstance(error, ParseError) else str(error)
        warnings.append(ParseWarning(f"its route could not be read ({reason})"))
        return None
    return parsed.runs[0] if parsed.runs else None


# -- State of Mind ---------------------------------------------------------------------------
def state_of_mind_checkin(mood: StateOfMind, workouts: list[Workout]) -> CheckIn:
    """A State of Mind entry as a check-in on its own instrument (valence × 100, −100…100).

    It counts as *before* a run when a workout starts within two hours after it, and as
    *after* otherwise; the journal ties it to a run only when one is near.
    """
    soon = any(0 <= w.start - mood.at <= NEAR_RUN_S for w in workouts)
    instrument, version = STATE_OF_MIND_INSTRUMENT
    response = Response(instrument, version, (("valence", float(round(mood.valence * 100))),))
    return CheckIn(
        at=as_datetime(mood.at),
        kind=CheckInKind.BEFORE if soon else CheckInKind.AFTER,
        responses=(response,),
        source=FORMAT,
    )


def _mood_candidate(label: str, mood: StateOfMind, workouts: list[Workout]) -> Candidate:
    name = f"{label}!State of Mind {as_datetime(mood.at).isoformat()}"

    def parsed() -> ParsedActivities:
        checkin = state_of_mind_checkin(mood, workouts)
        return ParsedActivities(FORMAT, (), checkins=(checkin,))  # type: ignore[call-arg]

    return Candidate(name, lambda: mood.record, parsed=parsed)
