"""GPX 1.0 and 1.1 tracks as runs.

Rules, in the order a file meets them:

* elements are matched on their local names, so GPX 1.0, GPX 1.1 and files without a
  namespace read alike; Garmin TrackPointExtension v1/v2 (and plain ``<heartrate>`` /
  ``<cadence>``) inside ``<extensions>`` give heart rate and cadence;
* every ``<trk>`` is one activity (GPS loggers start a new track for a new recording);
  the ``<trkseg>`` inside a track are pauses of one recording: no distance or moving time is
  counted across a break between segments;
* GPX times are UTC; a track whose points have no times is skipped (a journal needs a start),
  and within a track, points without a time are dropped with a warning;
* ``<type>`` gives the sport (words such as "running", or Strava's numbers such as "9"); a
  track without a type is taken to be a run, with a warning;
* cadence in Garmin's extension counts one leg, like FIT: on foot it is doubled to steps/min;
* ``<name>`` is kept as plain text; ``creator`` names the device;
* distance is haversine along the positions; there is no treadmill guess for GPX, since
  every point has a position.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np

from innerpace.domain import Run, Sport
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import ParsedActivities
from innerpace.formats.track_math import (
    MAX_POINTS,
    TrackColumns,
    bad_coordinate,
    build_run,
    clean_text,
    number,
    order_warning,
    sport_of,
    time_reader,
)
from innerpace.formats.xml_safety import ElementStream, forget, guarded, local_name

_TAGS = ("{*}trkpt", "{*}trkseg", "{*}trk", "{*}rtept")
_POINT, _SEGMENT, _TRACK, _ROUTE_POINT = 1, 2, 3, 4
_KINDS = {"trkpt": _POINT, "trkseg": _SEGMENT, "trk": _TRACK, "rtept": _ROUTE_POINT}
# Children of <trkpt> that matter, and extension elements carrying heart rate or cadence.
_TIME, _ELE, _EXTENSIONS = 1, 2, 3
_CHILDREN = {"time": _TIME, "ele": _ELE, "extensions": _EXTENSIONS}
_HR, _CAD = 1, 2
_EXTENSION_FIELDS = {"hr": _HR, "heartrate": _HR, "cad": _CAD, "cadence": _CAD}
_EXTENSION_TAGS = tuple(f"{{*}}{name}" for name in _EXTENSION_FIELDS)
_WHAT = "track point"


@dataclass
class _Track:
    number: int
    first: int
    end: int = 0
    name: str | None = None
    kind: str | None = None
    segment_starts: list[int] = field(default_factory=list)


@dataclass
class _Points:
    """Every track point of the file, column-wise, in file order; NaN where missing."""

    lat: array = field(default_factory=lambda: array("d"))
    lon: array = field(default_factory=lambda: array("d"))
    ele: array = field(default_factory=lambda: array("d"))
    time: array = field(default_factory=lambda: array("d"))
    hr: array = field(default_factory=lambda: array("d"))
    cad: array = field(default_factory=lambda: array("d"))


def parse_gpx(data: bytes, source: str | None = None) -> ParsedActivities:
    """The recorded tracks in a GPX file, one run per ``<trk>``.

    Raises :class:`ParseError` (and nothing else) for anything that is not a usable recording.
    """
    return guarded("GPX", _parse, data, source)


def _parse(data: bytes, source: str | None) -> ParsedActivities:
    points, tracks, route_points, creator, root = _read(data, source)
    if root != "gpx":
        raise ParseError(f"not a GPX file (the document is <{root[:40]}>)", source)
    if not points.lat:
        if route_points:
            raise ParseError("this is a route, not a recorded activity", source)
        raise ParseError("no track points", source)
    times, lat, lon, ele, hr, cad = (
        np.array(column, dtype=np.float64)
        for column in (points.time, points.lat, points.lon, points.ele, points.hr, points.cad)
    )
    device = clean_text(creator)
    runs: list[Run] = []
    warnings: list[ParseWarning] = []
    reasons: list[tuple[int, str]] = []
    for track in tracks:
        span = slice(track.first, track.end)
        size = track.end - track.first
        label = f"track {track.number}"
        if size == 0:
            reasons.append((0, "no track points"))
            if len(tracks) > 1:
                warnings.append(ParseWarning(f"{label} has no points; skipped"))
            continue
        t = times[span]
        timed = np.isfinite(t)
        if not timed.any():
            reasons.append((size, "track points have no times"))
            warnings.append(ParseWarning(f"{label}: its points have no times; skipped"))
            continue
        new_segment = np.zeros(size, dtype=bool)
        for start in track.segment_starts:
            if 0 < start - track.first < size:
                new_segment[start - track.first] = True
        sport_text = clean_text(track.kind, 60)
        sport = sport_of(sport_text) if sport_text else Sport.RUNNING
        if sport_text is None:
            warnings.append(ParseWarning(f"{label} does not say its sport; taken as a run"))
        cadence = cad[span] * 2.0 if sport.is_on_foot else cad[span].copy()
        columns = TrackColumns(
            t=t,
            lat=lat[span],
            lon=lon[span],
            altitude=ele[span].copy(),
            hr=hr[span].copy(),
            cadence_spm=cadence,
            distance=np.full(size, np.nan),
            new_segment=new_segment,
        )
        if not timed.all():
            dropped = int(size - timed.sum())
            warnings.append(ParseWarning(f"{label}: {dropped} points without a time dropped"))
            columns = columns.select(timed)
        if (warning := order_warning(columns.t, label)) is not None:
            warnings.append(warning)
        if not float(columns.t.max()) > float(columns.t.min()):
            reasons.append((size, "the track lasts no time: an activity needs two timed points"))
            warnings.append(ParseWarning(f"{label} lasts no time; skipped"))
            continue
        runs.append(
            build_run(
                columns,
                source_format="gpx",
                sport=sport,
                sport_name=sport_text,
                name=clean_text(track.name),
                device=device,
            )
        )
    if not runs:
        reasons.sort(key=lambda item: -item[0])
        raise ParseError(reasons[0][1] if reasons else "no track points", source)
    return ParsedActivities(format="gpx", runs=tuple(runs), warnings=tuple(warnings))


def _read(data: bytes, source: str | None):
    """One pass over the document, gathering track points into number columns."""
    stream = ElementStream(data, _TAGS, source)
    read_time = time_reader(_WHAT, source)
    nan = float("nan")
    points = _Points()
    lat_append, lon_append = points.lat.append, points.lon.append
    ele_append, time_append = points.ele.append, points.time.append
    hr_append, cad_append = points.hr.append, points.cad.append
    tracks: list[_Track] = []
    track = _Track(number=1, first=0)
    kinds: dict[object, int] = {}
    children: dict[object, int] = {}
    extension_fields: dict[object, int] = {}
    route_points = 0
    creator = None
    count = 0
    for element in stream:
        tag = element.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = kinds[tag] = _KINDS.get(local_name(tag), 0)
        if kind == _POINT:
            if count >= MAX_POINTS:
                raise ParseError(f"more than {MAX_POINTS:,} track points", source)
            lat_text = element.get("lat")
            lon_text = element.get("lon")
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
            time_text = ele_text = hr_text = cad_text = None
            for child in element:
                code = children.get(child.tag)
                if code is None:
                    code = children[child.tag] = _CHILDREN.get(local_name(child.tag), 0)
                if code == _TIME:
                    time_text = child.text
                elif code == _ELE:
                    ele_text = child.text
                elif code == _EXTENSIONS:
                    # lxml filters by tag in C: only the wanted elements reach Python.
                    for item in child.iter(_EXTENSION_TAGS):
                        found = extension_fields.get(item.tag)
                        if found is None:
                            found = extension_fields[item.tag] = _EXTENSION_FIELDS.get(
                                local_name(item.tag), 0
                            )
                        if found == _HR:
                            hr_text = item.text
                        else:
                            cad_text = item.text
            lat_append(lat)
            lon_append(lon)
            time_append(read_time(time_text, count))
            try:
                ele = nan if ele_text is None else float(ele_text)
            except ValueError:
                ele = number(ele_text, _WHAT, count, "elevation", source)
            ele_append(ele)
            try:
                hr = nan if hr_text is None else float(hr_text)
            except ValueError:
                hr = number(hr_text, _WHAT, count, "heart rate", source)
            hr_append(hr)
            try:
                cad = nan if cad_text is None else float(cad_text)
            except ValueError:
                cad = number(cad_text, _WHAT, count, "cadence", source)
            cad_append(cad)
            count += 1
            if not count & 63:  # free read points in batches: cheaper than one by one
                forget(element)
        elif kind == _SEGMENT:
            track.segment_starts.append(count)
            element.clear(keep_tail=False)  # its siblings before it are the track's name/type
        elif kind == _TRACK:
            track.end = count
            for child in element:
                name = local_name(child.tag)
                if name == "name" and track.name is None:
                    track.name = child.text
                elif name == "type" and track.kind is None:
                    track.kind = child.text
            tracks.append(track)
            track = _Track(number=len(tracks) + 1, first=count)
            if creator is None:
                creator = element.getroottree().getroot().get("creator")
            forget(element)
        elif kind == _ROUTE_POINT:
            route_points += 1
            forget(element)
    # Points outside any <trk> (not valid GPX) are kept as one more track.
    if count > track.first:
        track.end = count
        tracks.append(track)
    # Segment starts were recorded at each segment's end: shift them to the next start.
    for item in tracks:
        ends = sorted(set(item.segment_starts))
        item.segment_starts = [end for end in ends if item.first < end < item.end]
    return points, tracks, route_points, creator, stream.root_name
