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
* ``<type>`` gives the sport: words such as "running" are kept as the sport's name; Strava's
  numbers ("9", "1") are read as the activity types they stand for ("Run", "Ride"), and a
  Strava virtual run ("53") is a treadmill run; a track without a type is taken to be a
  run, with a warning;
* cadence in Garmin's extension counts one leg, like FIT: on foot it is doubled to steps/min;
* ``<name>`` is kept as plain text (a track without one takes the file's own name, from
  ``<metadata>`` in GPX 1.1 or the document in GPX 1.0); ``creator`` names the device;
* distance is haversine along the positions; there is no treadmill guess for GPX, since
  every point has a position.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from innerpace.domain import Run, Sport
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import ParsedActivities
from innerpace.formats.track_math import (
    NO_TIMES,
    PointTexts,
    build_run,
    check_root,
    clean_text,
    read_points,
    refuse,
    sport_of,
    strava_type,
    timed_points,
)
from innerpace.formats.xml_safety import forget, guarded, local_name

# Children of <trkpt> that matter, and extension elements carrying heart rate or cadence.
_TIME, _ELE, _EXTENSIONS = 1, 2, 3
_CHILDREN = {"time": _TIME, "ele": _ELE, "extensions": _EXTENSIONS}
_HR, _CAD = 1, 2
_EXTENSION_FIELDS = {"hr": _HR, "heartrate": _HR, "cad": _CAD, "cadence": _CAD}
_EXTENSION_TAGS = tuple(f"{{*}}{name}" for name in _EXTENSION_FIELDS)


@dataclass
class _Track:
    number: int
    first: int
    end: int = 0
    name: str | None = None
    kind: str | None = None
    segment_starts: list[int] = field(default_factory=list)


def parse_gpx(data: bytes, source: str | None = None) -> ParsedActivities:
    """The recorded tracks in a GPX file, one run per ``<trk>``.

    Raises :class:`ParseError` (and nothing else) for anything that is not a usable recording.
    """
    return guarded("GPX", _parse, data, source)


def _parse(data: bytes, source: str | None) -> ParsedActivities:
    document = _Document()
    points, root = read_points(
        data,
        source,
        point="trkpt",
        texts=_point_reader(),
        others={"trkseg": document.segment, "trk": document.track, "rtept": document.route_point},
        what="track point",
        position_required=True,
        altitude="elevation",
    )
    check_root(root, "gpx", "GPX", source)
    tracks = document.finish(points.time.size)
    if not points.time.size:
        if document.route_points:
            raise ParseError("this is a route, not a recorded activity", source)
        raise ParseError("no track points", source)
    device = clean_text(document.creator)
    runs: list[Run] = []
    warnings: list[ParseWarning] = []
    reasons: list[tuple[int, str]] = []
    for track in tracks:
        size = track.end - track.first
        label = f"track {track.number}"
        if size == 0:
            reasons.append((0, "no track points"))
            if len(tracks) > 1:
                warnings.append(ParseWarning(f"{label} has no points; skipped"))
            continue
        sport_text = clean_text(track.kind, 60)
        sport = sport_of(sport_text) if sport_text else Sport.RUNNING
        strava = strava_type(sport_text)
        columns = points.track(
            track.first, track.end, on_foot=sport.is_on_foot, segment_starts=track.segment_starts
        )
        before = len(warnings)
        timed = timed_points(columns, label, warnings)
        if timed is NO_TIMES:
            reasons.append((size, "track points have no times"))
            warnings.append(ParseWarning(f"{label}: its points have no times; skipped"))
            continue
        if sport_text is None:  # said before what happened to the track's points
            warnings.insert(before, ParseWarning(f"{label} does not say its sport; taken as a run"))
        if isinstance(timed, str):
            reasons.append((size, "the track lasts no time: an activity needs two timed points"))
            warnings.append(ParseWarning(f"{label} lasts no time; skipped"))
            continue
        run = build_run(
            timed,
            source_format="gpx",
            sport=sport,
            sport_name=strava.name if strava else sport_text,
            name=clean_text(track.name) or clean_text(document.name),
            device=device,
        )
        if strava is not None and strava.setting is not None:
            run = replace(run, setting=strava.setting)
        runs.append(run)
    if not runs:
        raise refuse(reasons, source, "no track points")
    return ParsedActivities(format="gpx", runs=tuple(runs), warnings=tuple(warnings))


def _point_reader():
    """Reads one ``<trkpt>``: position from its attributes, the rest from its children."""
    children: dict[object, int] = {}
    extension_fields: dict[object, int] = {}

    def texts(element: Any) -> PointTexts:
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
        return element.get("lat"), element.get("lon"), time_text, ele_text, None, hr_text, cad_text

    return texts


class _Document:
    """What a GPX file says besides its points: tracks, their segments, names and types."""

    def __init__(self) -> None:
        self.tracks: list[_Track] = []
        self.current = _Track(number=1, first=0)
        self.route_points = 0
        self.creator: str | None = None
        self.name: str | None = None

    def segment(self, element: Any, count: int) -> None:
        self.current.segment_starts.append(count)
        element.clear(keep_tail=False)  # its siblings before it are the track's name/type

    def track(self, element: Any, count: int) -> None:
        track = self.current
        track.end = count
        for child in element:
            name = local_name(child.tag)
            if name == "name" and track.name is None:
                track.name = child.text
            elif name == "type" and track.kind is None:
                track.kind = child.text
        self.tracks.append(track)
        self.current = _Track(number=len(self.tracks) + 1, first=count)
        if len(self.tracks) == 1:
            self._read_head(element.getroottree().getroot())
        forget(element)

    def route_point(self, element: Any, count: int) -> None:
        self.route_points += 1
        forget(element)

    def _read_head(self, root: Any) -> None:
        """The creator, and the file's name: ``<metadata><name>`` (GPX 1.1) or ``<name>``
        (GPX 1.0), which come before the first track."""
        self.creator = root.get("creator")
        for child in root:
            name = local_name(child.tag)
            if name == "trk":
                break
            if name == "name":
                self.name = child.text
                break
            if name == "metadata":
                for part in child:
                    if local_name(part.tag) == "name":
                        self.name = part.text
                        break
                break

    def finish(self, count: int) -> list[_Track]:
        """The tracks, with points outside any ``<trk>`` (not valid GPX) as one more."""
        if count > self.current.first:
            self.current.end = count
            self.tracks.append(self.current)
        # Segment starts were recorded at each segment's end: shift them to the next start.
        for item in self.tracks:
            ends = sorted(set(item.segment_starts))
            item.segment_starts = [end for end in ends if item.first < end < item.end]
        return self.tracks
