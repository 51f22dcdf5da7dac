"""Garmin Training Center (TCX) activities as runs.

* every ``Activity`` is one run, including each leg of a ``MultiSportSession``;
  its ``Sport`` attribute ("Running", "Biking", "Other") gives the sport;
* laps keep their start, ``TotalTimeSeconds``, ``DistanceMeters``, average heart rate and
  ``TriggerMethod`` (Manual, Distance, Time, Location/Position);
* the run's distance is the sum of the laps' ``DistanceMeters`` when the laps carry one, else
  the points' own ``DistanceMeters``, else haversine along the positions;
* cadence (``Cadence`` or the ``TPX/RunCadence`` extension) counts one leg for running and
  walking, so it is doubled to steps/min on foot; other sports keep the device's value;
* points without a position but with distances suggest a treadmill (``Setting.TREADMILL``);
* an activity with laps but no timed points becomes a run from its laps alone;
* a file holding only ``Courses`` is a planned route and is refused.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field

import numpy as np

from innerpace.domain import Lap, LapTrigger, Run
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import ParsedActivities
from innerpace.formats.track_math import (
    MAX_POINTS,
    TrackColumns,
    bad_coordinate,
    build_run,
    clean_text,
    epoch_seconds,
    number,
    order_warning,
    sport_of,
    time_problem,
    time_reader,
    to_datetime,
)
from innerpace.formats.xml_safety import ElementStream, forget, guarded, local_name

_TAGS = ("{*}Trackpoint", "{*}Lap", "{*}Activity", "{*}Course")
_POINT, _LAP, _ACTIVITY, _COURSE = 1, 2, 3, 4
_KINDS = {"Trackpoint": _POINT, "Lap": _LAP, "Activity": _ACTIVITY, "Course": _COURSE}
_TIME, _POSITION, _ALTITUDE, _DISTANCE, _HR, _CADENCE, _EXTENSIONS = range(1, 8)
_LATITUDE, _LONGITUDE, _RUN_CADENCE = range(8, 11)
_CHILDREN = {
    "LatitudeDegrees": _LATITUDE,
    "LongitudeDegrees": _LONGITUDE,
    "RunCadence": _RUN_CADENCE,
    "Time": _TIME,
    "Position": _POSITION,
    "AltitudeMeters": _ALTITUDE,
    "DistanceMeters": _DISTANCE,
    "HeartRateBpm": _HR,
    "Cadence": _CADENCE,
    "Extensions": _EXTENSIONS,
}
_TRIGGERS = {
    "manual": LapTrigger.MANUAL,
    "distance": LapTrigger.DISTANCE,
    "time": LapTrigger.TIME,
    "location": LapTrigger.POSITION,
    "position": LapTrigger.POSITION,
}
_WHAT = "trackpoint"


@dataclass
class _RawLap:
    start: str | None = None
    total: str | None = None
    distance: str | None = None
    avg_hr: str | None = None
    trigger: str | None = None


@dataclass
class _RawActivity:
    first: int
    end: int
    sport: str | None
    device: str | None
    laps: list[_RawLap]


@dataclass
class _Points:
    """Every trackpoint of the file, column-wise, in file order; NaN where missing."""

    time: array = field(default_factory=lambda: array("d"))
    lat: array = field(default_factory=lambda: array("d"))
    lon: array = field(default_factory=lambda: array("d"))
    altitude: array = field(default_factory=lambda: array("d"))
    distance: array = field(default_factory=lambda: array("d"))
    hr: array = field(default_factory=lambda: array("d"))
    cadence: array = field(default_factory=lambda: array("d"))


def parse_tcx(data: bytes, source: str | None = None) -> ParsedActivities:
    """The activities in a TCX file, one run per ``Activity``.

    Raises :class:`ParseError` (and nothing else) for anything that is not a usable recording.
    """
    return guarded("TCX", _parse, data, source)


def _parse(data: bytes, source: str | None) -> ParsedActivities:
    points, activities, courses, root = _read(data, source)
    if root != "TrainingCenterDatabase":
        raise ParseError(f"not a TCX file (the document is <{root[:40]}>)", source)
    if not activities:
        if courses:
            raise ParseError("this is a course, not an activity", source)
        raise ParseError("no activities", source)
    times, lat, lon, altitude, distance, hr, cadence = (
        np.array(column, dtype=np.float64)
        for column in (
            points.time,
            points.lat,
            points.lon,
            points.altitude,
            points.distance,
            points.hr,
            points.cadence,
        )
    )
    runs: list[Run] = []
    warnings: list[ParseWarning] = []
    reasons: list[tuple[int, str]] = []
    lap_number = 0
    for position, activity in enumerate(activities, start=1):
        label = f"activity {position}" if len(activities) > 1 else "the activity"
        laps, lap_distance, timer = _laps(activity.laps, lap_number, source)
        lap_number += len(activity.laps)
        sport_name = clean_text(activity.sport, 60)
        sport = sport_of(sport_name)
        device = clean_text(activity.device)
        span = slice(activity.first, activity.end)
        size = activity.end - activity.first
        t = times[span]
        timed = np.isfinite(t)
        if not timed.any():
            run = _from_laps(laps, lap_distance, timer, sport, sport_name, device)
            if run is not None:
                runs.append(run)
                warnings.append(ParseWarning(f"{label} has no timed points; built from its laps"))
                continue
            reason = "track points have no times" if size else "no track points"
            reasons.append((size, reason))
            if len(activities) > 1:
                warnings.append(ParseWarning(f"{label}: {reason}; skipped"))
            continue
        steps = cadence[span] * 2.0 if sport.is_on_foot else cadence[span].copy()
        columns = TrackColumns(
            t=t,
            lat=lat[span],
            lon=lon[span],
            altitude=altitude[span].copy(),
            hr=hr[span].copy(),
            cadence_spm=steps,
            distance=distance[span].copy(),
            new_segment=np.zeros(size, dtype=bool),
        )
        if not timed.all():
            dropped = int(size - timed.sum())
            warnings.append(ParseWarning(f"{label}: {dropped} points without a time dropped"))
            columns = columns.select(timed)
        if (warning := order_warning(columns.t, label)) is not None:
            warnings.append(warning)
        if not float(columns.t.max()) > float(columns.t.min()):
            run = _from_laps(laps, lap_distance, timer, sport, sport_name, device)
            if run is not None:
                runs.append(run)
                continue
            reasons.append((size, "the activity lasts no time: it needs two timed points"))
            continue
        runs.append(
            build_run(
                columns,
                source_format="tcx",
                sport=sport,
                sport_name=sport_name,
                device=device,
                laps=laps,
                distance_m=lap_distance,
                timer_s=timer,
            )
        )
    if not runs:
        reasons.sort(key=lambda item: -item[0])
        raise ParseError(reasons[0][1] if reasons else "no track points", source)
    return ParsedActivities(format="tcx", runs=tuple(runs), warnings=tuple(warnings))


def _laps(raw: list[_RawLap], before: int, source: str | None):
    """Laps, the sum of their distances (None if none has one) and of their timer times."""
    laps: list[Lap] = []
    distances: list[float] = []
    timer = 0.0
    what = "lap"
    for offset, item in enumerate(raw):
        index = before + offset
        total = number(item.total, what, index, "TotalTimeSeconds", source)
        if math.isnan(total):  # missing
            total = 0.0
        if not 0.0 <= total <= 30 * 86_400.0:
            raise ParseError(
                f"lap {index + 1}: TotalTimeSeconds {item.total!r:.40} is not a duration", source
            )
        meters = number(item.distance, what, index, "DistanceMeters", source)
        if 0.0 <= meters <= 1e8:
            distances.append(meters)
        else:
            meters = float("nan")
        avg_hr = number(item.avg_hr, what, index, "AverageHeartRateBpm", source)
        timer += total
        if item.start is None:
            continue
        try:
            start = epoch_seconds(item.start)
        except ValueError:
            raise ParseError(
                f"lap {index + 1}: StartTime {item.start!r:.40} is not a time", source
            ) from None
        problem = time_problem(item.start, start)
        if problem:
            raise ParseError(f"lap {index + 1}: StartTime {problem.removeprefix('time ')}", source)
        laps.append(
            Lap(
                start=to_datetime(start),
                elapsed_s=total,
                distance_m=meters if meters == meters else None,
                trigger=_TRIGGERS.get((item.trigger or "").strip().lower(), LapTrigger.UNKNOWN),
                avg_hr=avg_hr if 0 < avg_hr <= 300 else None,
            )
        )
    return tuple(laps), (float(sum(distances)) if distances else None), (timer if raw else None)


def _from_laps(laps, lap_distance, timer, sport, sport_name, device) -> Run | None:
    """A run from lap summaries alone (a manual entry, or a file without trackpoints)."""
    if not laps or not timer or timer <= 0:
        return None
    return Run(
        start=min(lap.start for lap in laps),
        duration_s=timer,
        sport=sport,
        sport_name=sport_name,
        moving_s=timer,
        distance_m=lap_distance,
        laps=laps,
        device=device,
        source="tcx",
    )


def _read(data: bytes, source: str | None):
    """One pass over the document, gathering trackpoints into number columns."""
    stream = ElementStream(data, _TAGS, source)
    read_time = time_reader(_WHAT, source)
    points = _Points()
    time_append, lat_append, lon_append = points.time.append, points.lat.append, points.lon.append
    altitude_append, distance_append = points.altitude.append, points.distance.append
    hr_append, cadence_append = points.hr.append, points.cadence.append
    activities: list[_RawActivity] = []
    laps: list[_RawLap] = []
    kinds: dict[object, int] = {}
    children: dict[object, int] = {}
    first = 0
    count = 0
    courses = 0
    nan = float("nan")
    for element in stream:
        tag = element.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = kinds[tag] = _KINDS.get(local_name(tag), 0)
        if kind == _POINT:
            if count >= MAX_POINTS:
                raise ParseError(f"more than {MAX_POINTS:,} trackpoints", source)
            time_text = altitude_text = distance_text = hr_text = cadence_text = None
            run_cadence = lat_text = lon_text = None
            for child in element:
                code = children.get(child.tag)
                if code is None:
                    code = children[child.tag] = _CHILDREN.get(local_name(child.tag), 0)
                if code == _TIME:
                    time_text = child.text
                elif code == _POSITION:
                    for part in child:
                        code = children.get(part.tag)
                        if code is None:
                            code = children[part.tag] = _CHILDREN.get(local_name(part.tag), 0)
                        if code == _LATITUDE:
                            lat_text = part.text
                        elif code == _LONGITUDE:
                            lon_text = part.text
                elif code == _ALTITUDE:
                    altitude_text = child.text
                elif code == _DISTANCE:
                    distance_text = child.text
                elif code == _HR:
                    for part in child:
                        hr_text = part.text
                elif code == _CADENCE:
                    cadence_text = child.text
                elif code == _EXTENSIONS:
                    for part in child.iter():
                        code = children.get(part.tag)
                        if code is None:
                            code = children[part.tag] = _CHILDREN.get(local_name(part.tag), 0)
                        if code == _RUN_CADENCE:
                            run_cadence = part.text
            if lat_text is None and lon_text is None:
                lat = lon = nan
            else:
                try:
                    lat = float(lat_text)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    lat = nan
                if not -90.0 <= lat <= 90.0:
                    raise bad_coordinate(_WHAT, count, "latitude", lat_text, source)
                try:
                    lon = float(lon_text)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    lon = nan
                if not -180.0 <= lon <= 180.0:
                    raise bad_coordinate(_WHAT, count, "longitude", lon_text, source)
            time_append(read_time(time_text, count))
            lat_append(lat)
            lon_append(lon)
            if run_cadence is not None:
                cadence_text = run_cadence
            try:
                altitude = nan if altitude_text is None else float(altitude_text)
            except ValueError:
                altitude = number(altitude_text, _WHAT, count, "altitude", source)
            altitude_append(altitude)
            try:
                distance = nan if distance_text is None else float(distance_text)
            except ValueError:
                distance = number(distance_text, _WHAT, count, "distance", source)
            distance_append(distance)
            try:
                hr = nan if hr_text is None else float(hr_text)
            except ValueError:
                hr = number(hr_text, _WHAT, count, "heart rate", source)
            hr_append(hr)
            try:
                cadence = nan if cadence_text is None else float(cadence_text)
            except ValueError:
                cadence = number(cadence_text, _WHAT, count, "cadence", source)
            cadence_append(cadence)
            count += 1
            if not count & 63:  # free read points in batches: cheaper than one by one
                forget(element)
        elif kind == _LAP:
            lap = _RawLap(start=element.get("StartTime"))
            for child in element:
                name = local_name(child.tag)
                if name == "TotalTimeSeconds":
                    lap.total = child.text
                elif name == "DistanceMeters":
                    lap.distance = child.text
                elif name == "TriggerMethod":
                    lap.trigger = child.text
                elif name == "AverageHeartRateBpm":
                    for part in child:
                        lap.avg_hr = part.text
            laps.append(lap)
            forget(element)
        elif kind == _ACTIVITY:
            device = None
            for child in element:
                if local_name(child.tag) == "Creator":
                    for part in child:
                        if local_name(part.tag) == "Name":
                            device = part.text
            activities.append(_RawActivity(first, count, element.get("Sport"), device, laps))
            laps = []
            first = count
            forget(element)
        elif kind == _COURSE:
            # A course's points and laps are a plan, not a recording: drop them.
            courses += 1
            laps = []
            first = count
            forget(element)
    return points, activities, courses, stream.root_name
