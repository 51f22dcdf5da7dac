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
from dataclasses import dataclass
from typing import Any

from innerpace.domain import Lap, LapTrigger, Run
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import ParsedActivities
from innerpace.formats.track_math import (
    NO_TIMES,
    PointTexts,
    build_run,
    check_root,
    clean_text,
    epoch_seconds,
    number,
    read_points,
    refuse,
    sport_of,
    time_problem,
    timed_points,
    to_datetime,
)
from innerpace.formats.xml_safety import forget, guarded, local_name

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


def parse_tcx(data: bytes, source: str | None = None) -> ParsedActivities:
    """The activities in a TCX file, one run per ``Activity``.

    Raises :class:`ParseError` (and nothing else) for anything that is not a usable recording.
    """
    return guarded("TCX", _parse, data, source)


def _parse(data: bytes, source: str | None) -> ParsedActivities:
    document = _Document()
    points, root = read_points(
        data,
        source,
        point="Trackpoint",
        texts=_point_reader(),
        others={"Lap": document.lap, "Activity": document.activity, "Course": document.course},
        what="trackpoint",
        position_required=False,
    )
    check_root(root, "TrainingCenterDatabase", "TCX", source)
    activities = document.activities
    if not activities:
        if document.courses:
            raise ParseError("this is a course, not an activity", source)
        raise ParseError("no activities", source)
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
        size = activity.end - activity.first
        columns = points.track(activity.first, activity.end, on_foot=sport.is_on_foot)
        timed = timed_points(columns, label, warnings)
        if isinstance(timed, str):
            run = _from_laps(laps, lap_distance, timer, sport, sport_name, device)
            if run is not None:
                runs.append(run)
                if timed is NO_TIMES:
                    warnings.append(
                        ParseWarning(f"{label} has no timed points; built from its laps")
                    )
                continue
            if timed is NO_TIMES:
                reason = "track points have no times" if size else "no track points"
                reasons.append((size, reason))
                if len(activities) > 1:
                    warnings.append(ParseWarning(f"{label}: {reason}; skipped"))
            else:
                reasons.append((size, "the activity lasts no time: it needs two timed points"))
            continue
        runs.append(
            build_run(
                timed,
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
        raise refuse(reasons, source, "no track points")
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


def _point_reader():
    """Reads one ``Trackpoint`` from its children (``Position``, ``HeartRateBpm``, extensions)."""
    children: dict[object, int] = {}

    def texts(element: Any) -> PointTexts:
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
        if run_cadence is not None:
            cadence_text = run_cadence
        return lat_text, lon_text, time_text, altitude_text, distance_text, hr_text, cadence_text

    return texts


class _Document:
    """What a TCX file says besides its points: activities, their laps, and courses."""

    def __init__(self) -> None:
        self.activities: list[_RawActivity] = []
        self.laps: list[_RawLap] = []
        self.first = 0
        self.courses = 0

    def lap(self, element: Any, count: int) -> None:
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
        self.laps.append(lap)
        forget(element)

    def activity(self, element: Any, count: int) -> None:
        device = None
        for child in element:
            if local_name(child.tag) == "Creator":
                for part in child:
                    if local_name(part.tag) == "Name":
                        device = part.text
        self.activities.append(
            _RawActivity(self.first, count, element.get("Sport"), device, self.laps)
        )
        self.laps = []
        self.first = count
        forget(element)

    def course(self, element: Any, count: int) -> None:
        # A course's points and laps are a plan, not a recording: drop them.
        self.courses += 1
        self.laps = []
        self.first = count
        forget(element)
