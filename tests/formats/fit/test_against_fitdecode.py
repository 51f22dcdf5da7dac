"""The FIT decoder against fitdecode, and every corpus file against its expected outcome."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from innerpace.domain.activity import Sport
from innerpace.formats.errors import ParseError
from innerpace.formats.fit import NotAnActivity, decode_fit, parse_fit

CORPUS = (Path(__file__).parents[3] / "../shared/corpus/fit").resolve()

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared FIT corpus is not here ({CORPUS})"),
]

fitdecode = pytest.importorskip("fitdecode")

FILES = sorted(p.name for p in CORPUS.glob("*")) if CORPUS.is_dir() else []
FIT_EPOCH = 631065600
SEMICIRCLE_DEG = 180.0 / 2**31


def _fitdecode_records(path: Path) -> tuple[list[dict[str, object]], bool]:
    """Record fields as fitdecode gives them, and whether it read the whole file."""
    rows: list[dict[str, object]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with fitdecode.FitReader(str(path)) as reader:
                for frame in reader:
                    if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record":
                        rows.append(
                            {
                                name: frame.get_value(name, fallback=None)
                                for name in (
                                    "timestamp",
                                    "heart_rate",
                                    "cadence",
                                    "distance",
                                    "position_lat",
                                    "position_long",
                                )
                            }
                        )
    except Exception:
        return rows, False
    return rows, True


def _number(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, tuple | bytes):
        return math.nan  # read as bytes by fitdecode: not comparable
    number = float(value)  # type: ignore[arg-type]
    if name == "timestamp":
        return number + FIT_EPOCH
    if name.startswith("position_"):
        return number * SEMICIRCLE_DEG
    return number


@pytest.mark.parametrize("name", FILES)
def test_records_match_fitdecode(name: str) -> None:
    path = CORPUS / name
    expected, whole = _fitdecode_records(path)
    if not expected and not whole:
        pytest.skip("fitdecode cannot read this file at all")
    records = decode_fit(path.read_bytes(), name).messages("record")
    if whole:
        assert len(records) == len(expected)
    else:  # fitdecode stopped at damage: compare what it read before
        assert len(records) >= len(expected)
    for field in (
        "timestamp",
        "heart_rate",
        "cadence",
        "distance",
        "position_lat",
        "position_long",
    ):
        want = [_number(row[field], field) for row in expected]
        if all(w is None for w in want):
            assert records.column(field) is None or np.all(np.isnan(records.column(field)))
            continue
        got = records.column(field)
        assert got is not None, field
        if got.ndim == 2:
            got = got[:, 0]
        got = got[: len(want)]
        for i, (w, g) in enumerate(zip(want, got.tolist(), strict=True)):
            if w is not None and math.isnan(w):
                continue
            if w is None:
                assert math.isnan(g), (field, i, g)
            else:
                assert g == pytest.approx(w, abs=1e-6), (field, i)


# Every corpus file and what parse_fit must make of it: ("runs", n) or ("skip", reason) for
# files that are not activities or cannot be read, with the reason's key words.
EXPECTED: dict[str, tuple[str, object]] = {
    "fitparse--2013-02-06-12-11-14.fit": ("runs", 1),
    "fitparse--2015-10-13-08-43-15.fit": ("runs", 1),
    "fitparse--20170518-191602-1740899583.fit": ("runs", 1),
    "fitparse--2019-02-17-062644-ELEMNT-297E-195-0.fit": ("runs", 1),
    "fitparse--Activity.fit": ("runs", 1),
    "fitparse--DeveloperData.fit": ("error", "no session and too few timed records"),
    "fitparse--Edge810-Vector-2013-08-16-15-35-10.fit": ("runs", 1),
    "fitparse--MonitoringFile.fit": ("not", "monitoring_b"),
    "fitparse--Settings.fit": ("not", "settings"),
    "fitparse--Settings2.fit": ("not", "settings"),
    "fitparse--WeightScaleMultiUser.fit": ("not", "weight"),
    "fitparse--WeightScaleSingleUser.fit": ("not", "weight"),
    "fitparse--WorkoutCustomTargetValues.fit": ("not", "workout"),
    "fitparse--WorkoutIndividualSteps.fit": ("not", "workout"),
    "fitparse--WorkoutRepeatGreaterThanStep.fit": ("not", "workout"),
    "fitparse--WorkoutRepeatSteps.fit": ("not", "workout"),
    "fitparse--activity-activity-filecrc.fit": ("runs", 2),
    "fitparse--activity-filecrc.fit": ("runs", 1),
    "fitparse--activity-large-fenxi2-multisport.fit": ("runs", 7),
    "fitparse--activity-settings-corruptheader.fit": ("runs", 1),
    "fitparse--activity-settings-nodata.fit": ("runs", 1),
    "fitparse--activity-settings.fit": ("runs", 1),
    "fitparse--activity-small-fenix2-run.fit": ("runs", 1),
    "fitparse--activity-unexpected-eof.fit": ("runs", 1),
    "fitparse--antfs-dump.63.fit": ("runs", 1),
    "fitparse--compressed-speed-distance.fit": ("runs", 1),
    "fitparse--coros-pace-2-cycling-misaligned-fields.fit": ("runs", 1),
    "fitparse--developer-types-sample.fit": ("runs", 1),
    "fitparse--elemnt-bolt-no-application-id-inside-developer-data-id.fit": ("runs", 1),
    "fitparse--event_timestamp.fit": ("runs", 1),
    "fitparse--garmin-edge-500-activity.fit": ("runs", 1),
    "fitparse--garmin-edge-820-bike.fit": ("runs", 1),
    "fitparse--garmin-fenix-5-bike.fit": ("runs", 1),
    "fitparse--garmin-fenix-5-run.fit": ("runs", 1),
    "fitparse--garmin-fenix-5-walk.fit": ("runs", 1),
    "fitparse--nick.fit": ("runs", 1),
    "fitparse--null_compressed_speed_dist.fit": ("runs", 1),
    "fitparse--sample-activity-indoor-trainer.fit": ("runs", 1),
    "fitparse--sample-activity.fit": ("runs", 1),
    "fitparse--sample_mulitple_header.fit": ("runs", 5),
    "fitparse--strava-android-app-201.10-b1218918.fit": ("runs", 1),
    "goldencheetah--rides-14582164182.fit.gz": ("runs", 1),
    "goldencheetah--rides-2017_hrv.FIT": ("runs", 1),
    "goldencheetah--rides-Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit": ("runs", 1),
    "goldencheetah--rides-SigmaRox11_1.fit": ("runs", 1),
    "goldencheetah--roundtrip-Fr955v19.28andStryd.fit": ("runs", 1),
    "goldencheetah--rowing-RowingCIQspeed.FIT": ("runs", 1),
    "goldencheetah--runs-Move_2020_01_15_19_27_16_Running.fit": ("runs", 1),
    "goldencheetah--swims-Garmin920openwater.fit": ("runs", 1),
    "gpsbabel--lezyne_super_gps-garmin_fit-sample-bad-endian.fit": ("runs", 1),
    "sportslib--others-broken-dates.fit": ("runs", 1),
    "sportslib--others-inverted-times.fit": ("runs", 1),
    "sportslib--runs-2067489619.fit": ("runs", 1),
    "sportslib--runs-6782987395.fit": ("runs", 1),
    "sportslib--runs-6909950168-no-pause-records.fit": ("runs", 1),
    "sportslib--runs-6909950168.fit": ("runs", 1),
    "sportslib--runs-6914448270.fit": ("runs", 1),
    "sportslib--runs-6916663933.fit": ("runs", 1),
    "sportslib--swim-6021532030.fit": ("runs", 1),
    "sportslib--swim-6688025408.fit": ("runs", 1),
    "sportslib--swim-7617306288.fit": ("runs", 1),
    "sportslib--triathlons-4623204522.fit": ("runs", 5),
}

# Warnings each damaged file must carry (key words).
EXPECTED_WARNINGS = {
    "fitparse--activity-activity-filecrc.fit": "file CRC",
    "fitparse--activity-filecrc.fit": "file CRC",
    "fitparse--activity-settings-corruptheader.fit": "not a FIT file",
    "fitparse--activity-settings-nodata.fit": "file ends in the middle of a record",
    "fitparse--activity-unexpected-eof.fit": "file ends in the middle of a record",
    "fitparse--nick.fit": "file ends in the middle of a record at byte 403456; kept 14,391 records",
    "fitparse--strava-android-app-201.10-b1218918.fit": "local type 11, never defined",
    "gpsbabel--lezyne_super_gps-garmin_fit-sample-bad-endian.fit": "architecture byte",
    "sportslib--others-inverted-times.fit": "inverted",
}

# Files whose session summary is itself wrong, so the run cannot match it.
SESSION_IS_WRONG = {
    "sportslib--others-inverted-times.fit",  # elapsed and timer times swapped
    "goldencheetah--rides-14582164182.fit.gz",  # elapsed time shorter than timer time
}


def test_the_table_covers_the_corpus() -> None:
    assert set(EXPECTED) == set(FILES)


def _sessions(path: Path) -> list[dict[str, object]]:
    fit = decode_fit(path.read_bytes(), path.name)
    return list(fit.messages("session").rows())


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_outcome(name: str) -> None:
    path = CORPUS / name
    kind, detail = EXPECTED[name]
    data = path.read_bytes()
    if kind == "not":
        with pytest.raises(NotAnActivity) as caught:
            parse_fit(data, name)
        assert caught.value.file_type == detail
        return
    if kind == "error":
        with pytest.raises(ParseError) as caught:
            parse_fit(data, name)
        assert not isinstance(caught.value, NotAnActivity)
        assert str(detail) in caught.value.reason
        return
    found = parse_fit(data, name)
    assert len(found.runs) == detail
    if name in EXPECTED_WARNINGS:
        assert any(EXPECTED_WARNINGS[name] in w.message for w in found.warnings)
    sessions = _sessions(path)
    if not sessions or name in SESSION_IS_WRONG:
        return
    for run, session in zip(found.runs, sessions, strict=False):
        assert run.source == "fit"
        assert isinstance(run.sport, Sport)
        total = session.get("total_distance")
        if isinstance(total, float) and total > 0:
            assert run.distance_m == pytest.approx(total, rel=0.01)
        elapsed = session.get("total_elapsed_time")
        if isinstance(elapsed, float) and elapsed > 0:
            assert run.duration_s == pytest.approx(elapsed, abs=0.01)
        start = session.get("start_time")
        if isinstance(start, float):
            assert run.start.timestamp() == pytest.approx(start)
