"""What every real device file must give: one table per format, keyed by file name.

The names are those in ``../shared/corpus/<format>/``; the few files copied into
``tests/data/<format>/`` carry the same names and meet the same expectations.
"""

from __future__ import annotations

from dataclasses import dataclass

from innerpace.domain import Sport


@dataclass(frozen=True)
class Reads:
    """The file gives ``runs`` runs; each given figure is checked, the others are not."""

    runs: int
    sport: Sport | None = None  # the sport of every run
    points: tuple[int, ...] | None = None  # series length of each run
    start: str | None = None  # the first run's start, UTC
    laps: int | None = None  # laps over all runs
    warning: str | None = None  # words one of the warnings must carry


@dataclass(frozen=True)
class Refused:
    """The file gives a ParseError with exactly this reason."""

    reason: str


@dataclass(frozen=True)
class NotActivity:
    """A valid file that holds no activity, of this FIT file type."""

    file_type: str


Outcome = Reads | Refused | NotActivity

_NO_TIME = "the track lasts no time: an activity needs two timed points"

GPX: dict[str, Outcome] = {
    "gpxpy--Mojstrovka.gpx": Refused(
        "track point 1: time '1901-12-13T20:45:52.2073437Z' is before 1990"
    ),
    "gpxpy--around-visnjan-with-car.gpx": Reads(1, Sport.RUNNING, (104,), "2020-12-18T06:15:50"),
    # GPSBabel split the day into tracks; the first is empty.
    "gpxpy--cerknicko-jezero.gpx": Reads(
        7, Sport.RUNNING, (173, 52, 2, 44, 2, 2, 21), "2010-08-05T14:23:59"
    ),
    # Only the last track has times, and only on 5 of its 21 points.
    "gpxpy--cerknicko-without-times.gpx": Reads(1, Sport.RUNNING, (5,), "2010-08-05T16:22:52"),
    "gpxpy--gpx-with-node-with-comments.gpx": Refused(_NO_TIME),
    "gpxpy--gpx1.0_with_all_fields.gpx": Refused(_NO_TIME),
    "gpxpy--gpx1.1_with_all_fields.gpx": Refused(_NO_TIME),
    "gpxpy--gpx_with_garmin_extension.gpx": Refused("no track points"),
    "gpxpy--korita-zbevnica.gpx": Reads(2, Sport.RUNNING, (176, 337), "2010-10-03T09:36:30"),
    "gpxpy--route.gpx": Refused("this is a route, not a recorded activity"),
    "gpxpy--track-with-empty-segment.gpx": Reads(1, Sport.RUNNING, (9,), "2013-07-06T17:26:26"),
    "gpxpy--track-with-extremes.gpx": Refused("track points have no times"),
    "gpxpy--track_with_speed.gpx": Reads(1, Sport.RUNNING, (3,), "2009-03-02T14:05:52"),
    "gpxpy--unicode_with_bom.gpx": Refused("no track points"),
    "sportslib--runs-2067489619.gpx": Reads(1, Sport.RUNNING, (502,), "2017-10-08T14:54:11"),
    "sportslib--runs-6909258631.gpx": Reads(1, Sport.RUNNING, (2665,), "2014-09-07T08:03:31"),
    "sportslib--samples-amazfit.gpx": Reads(1, Sport.RUNNING, (1216,), "2018-05-14T09:54:12"),
    "sportslib--samples-garmin.gpx": Reads(1, Sport.RUNNING, (217,), "2018-04-23T15:54:34"),
    "sportslib--samples-movescount.gpx": Reads(1, Sport.RUNNING, (1592,), "2018-05-13T14:11:03"),
    "sportslib--samples-sports-tracker.gpx": Reads(
        1, Sport.RUNNING, (7785,), "2018-05-13T14:10:59"
    ),
    "sportslib--samples-strava.gpx": Reads(1, Sport.RUNNING, (7264,), "2018-05-14T14:54:21"),
    "sportslib--swim-4623204522-1.gpx": Reads(1, Sport.SWIMMING, (88,), "2018-10-13T17:05:01"),
    "togeojson--blue_hills.gpx": Reads(3, Sport.RUNNING, (309, 498, 436), "2001-06-24T15:09:09"),
    "togeojson--empty_trk.gpx": Refused("no track points"),
    "togeojson--missing_hr.gpx": Reads(1, Sport.RUNNING, (16,), "2017-05-27T04:00:00"),
    "togeojson--multitrackgpx.gpx": Reads(
        3, Sport.RUNNING, (1966, 1685, 1584), "2008-07-12T09:58:23"
    ),
    # The third track has no times.
    "togeojson--osm.gpx": Reads(2, Sport.RUNNING, (2280, 115), "2007-05-11T15:22:06"),
    "togeojson--pr178-bad.gpx": Refused(
        "track point 1: latitude 'undefined' is not a valid latitude"
    ),
    "togeojson--run.gpx": Reads(1, Sport.RUNNING, (206,), "2012-10-24T23:29:40"),
    "togeojson--run_gpxtpx.gpx": Reads(1, Sport.RUNNING, (1118,), "2015-01-19T21:24:20"),
    "togeojson--trek.gpx": Refused("this is a route, not a recorded activity"),
}

TCX: dict[str, Outcome] = {
    "gpsbabel--course.tcx": Refused("this is a course, not an activity"),
    "gpsbabel--kona2013.tcx": Reads(1, Sport.CYCLING, (5,), "2013-10-12T18:17:26", 1),
    "sportslib--runs-1604524853.tcx": Reads(1, Sport.RUNNING, (1495,), "2016-09-11T15:57:36", 1),
    # Whitespace before the XML declaration.
    "sportslib--runs-6281425038.tcx": Reads(1, Sport.RUNNING, (1545,), "2016-09-12T11:19:56", 5),
    "sportslib--samples-garmin.tcx": Reads(1, Sport.RUNNING, (5070,), "2017-08-29T15:23:18", 12),
    "sportslib--samples-movescount.tcx": Reads(1, Sport.RUNNING, (903,), "2018-02-23T16:55:43", 2),
    "sportslib--samples-polar.tcx": Reads(1, Sport.RUNNING, (6313,), "2018-01-21T10:10:59", 2),
    "sportslib--samples-unknown_example.tcx": Reads(
        1, Sport.RUNNING, (752,), "2017-05-09T18:14:32", 32
    ),
    "tcxreader--cross-country-skiing_activity_1.tcx": Reads(
        1, Sport.OTHER, (486,), "2020-12-26T15:14:21", 2
    ),
    "tcxreader--mapmyride_biking.tcx": Reads(
        1, Sport.CYCLING, (3112,), "2022-11-12T15:58:25.849800", 1
    ),
    "tcxreader--sup_activity_1.tcx": Reads(1, Sport.OTHER, (111,), "2022-07-16T16:08:25", 2),
    "togeojson--pr178-bad.tcx": Refused("trackpoint 3: latitude 'no' is not a valid latitude"),
    "togeojson--pr178-garmin_connect.tcx": Reads(
        1, Sport.CYCLING, (317,), "2020-03-06T00:23:46", 1
    ),
    "togeojson--pr178-sample.tcx": Reads(1, Sport.RUNNING, (19,), "2007-08-07T02:42:41", 1),
    "togeojson--pr178-tcx-courses.tcx": Refused("this is a course, not an activity"),
    "togeojson--pr178-tour_hr.tcx": Reads(1, Sport.CYCLING, (465,), "2020-12-27T14:59:36", 1),
}

_ONE = Reads(1)
_CRC = Reads(1, warning="file CRC")
_CUT = Reads(1, warning="file ends in the middle of a record")

FIT: dict[str, Outcome] = {
    "fitparse--2013-02-06-12-11-14.fit": _ONE,
    "fitparse--2015-10-13-08-43-15.fit": _ONE,
    "fitparse--20170518-191602-1740899583.fit": _ONE,
    "fitparse--2019-02-17-062644-ELEMNT-297E-195-0.fit": _ONE,
    "fitparse--Activity.fit": _ONE,
    "fitparse--DeveloperData.fit": Refused(
        "the file has no session and too few timed records to make a run"
    ),
    "fitparse--Edge810-Vector-2013-08-16-15-35-10.fit": _ONE,
    "fitparse--MonitoringFile.fit": NotActivity("monitoring_b"),
    "fitparse--Settings.fit": NotActivity("settings"),
    "fitparse--Settings2.fit": NotActivity("settings"),
    "fitparse--WeightScaleMultiUser.fit": NotActivity("weight"),
    "fitparse--WeightScaleSingleUser.fit": NotActivity("weight"),
    "fitparse--WorkoutCustomTargetValues.fit": NotActivity("workout"),
    "fitparse--WorkoutIndividualSteps.fit": NotActivity("workout"),
    "fitparse--WorkoutRepeatGreaterThanStep.fit": NotActivity("workout"),
    "fitparse--WorkoutRepeatSteps.fit": NotActivity("workout"),
    "fitparse--activity-activity-filecrc.fit": Reads(2, warning="file CRC"),
    "fitparse--activity-filecrc.fit": _CRC,
    "fitparse--activity-large-fenxi2-multisport.fit": Reads(7),
    "fitparse--activity-settings-corruptheader.fit": Reads(1, warning="not a FIT file"),
    "fitparse--activity-settings-nodata.fit": _CUT,
    "fitparse--activity-settings.fit": _ONE,
    "fitparse--activity-small-fenix2-run.fit": _ONE,
    "fitparse--activity-unexpected-eof.fit": _CUT,
    "fitparse--antfs-dump.63.fit": _ONE,
    "fitparse--compressed-speed-distance.fit": _ONE,
    "fitparse--coros-pace-2-cycling-misaligned-fields.fit": _ONE,
    "fitparse--developer-types-sample.fit": _ONE,
    "fitparse--elemnt-bolt-no-application-id-inside-developer-data-id.fit": _ONE,
    "fitparse--event_timestamp.fit": _ONE,
    "fitparse--garmin-edge-500-activity.fit": _ONE,
    "fitparse--garmin-edge-820-bike.fit": _ONE,
    "fitparse--garmin-fenix-5-bike.fit": _ONE,
    "fitparse--garmin-fenix-5-run.fit": _ONE,
    "fitparse--garmin-fenix-5-walk.fit": _ONE,
    "fitparse--nick.fit": Reads(
        1, warning="file ends in the middle of a record at byte 403456; kept 14,391 records"
    ),
    "fitparse--null_compressed_speed_dist.fit": _ONE,
    "fitparse--sample-activity-indoor-trainer.fit": _ONE,
    "fitparse--sample-activity.fit": _ONE,
    "fitparse--sample_mulitple_header.fit": Reads(5),
    "fitparse--strava-android-app-201.10-b1218918.fit": Reads(
        1, warning="local type 11, never defined"
    ),
    "goldencheetah--rides-14582164182.fit.gz": _ONE,
    "goldencheetah--rides-2017_hrv.FIT": _ONE,
    "goldencheetah--rides-Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit": _ONE,
    "goldencheetah--rides-SigmaRox11_1.fit": _ONE,
    "goldencheetah--roundtrip-Fr955v19.28andStryd.fit": _ONE,
    "goldencheetah--rowing-RowingCIQspeed.FIT": _ONE,
    "goldencheetah--runs-Move_2020_01_15_19_27_16_Running.fit": _ONE,
    "goldencheetah--swims-Garmin920openwater.fit": _ONE,
    "gpsbabel--lezyne_super_gps-garmin_fit-sample-bad-endian.fit": Reads(
        1, warning="architecture byte"
    ),
    "sportslib--others-broken-dates.fit": _ONE,
    "sportslib--others-inverted-times.fit": Reads(1, warning="inverted"),
    "sportslib--runs-2067489619.fit": _ONE,
    "sportslib--runs-6782987395.fit": _ONE,
    "sportslib--runs-6909950168-no-pause-records.fit": _ONE,
    "sportslib--runs-6909950168.fit": _ONE,
    "sportslib--runs-6914448270.fit": _ONE,
    "sportslib--runs-6916663933.fit": _ONE,
    "sportslib--swim-6021532030.fit": _ONE,
    "sportslib--swim-6688025408.fit": _ONE,
    "sportslib--swim-7617306288.fit": _ONE,
    "sportslib--triathlons-4623204522.fit": Reads(5),
}

TABLES: dict[str, dict[str, Outcome]] = {"fit": FIT, "gpx": GPX, "tcx": TCX}


def readable(table: dict[str, Outcome]) -> list[str]:
    """The names of the files that give runs."""
    return [name for name, outcome in sorted(table.items()) if isinstance(outcome, Reads)]
