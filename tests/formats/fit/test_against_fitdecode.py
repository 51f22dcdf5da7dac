"""The FIT decoder against fitdecode, and the runs against the files' own session summaries.

What each file must give is in ``outcomes.py`` and checked in ``test_parsers.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from pathlib import Path

import fitdecode
import numpy as np
import pytest
from outcomes import FIT, readable

from innerpace.domain.activity import Sport
from innerpace.formats.fit import decode_fit, parse_fit

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


@pytest.mark.parametrize("name", sorted(FIT))
def test_records_match_fitdecode(name: str, corpus: Path) -> None:
    path = corpus / "fit" / name
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


# Files whose session summary is itself wrong, so the run cannot match it.
SESSION_IS_WRONG = {
    "sportslib--others-inverted-times.fit",  # elapsed and timer times swapped
    "goldencheetah--rides-14582164182.fit.gz",  # elapsed time shorter than timer time
}


def _sessions(path: Path) -> list[dict[str, object]]:
    fit = decode_fit(path.read_bytes(), path.name)
    return list(fit.messages("session").rows())


SESSIONS = [name for name in readable(FIT) if name not in SESSION_IS_WRONG]


@pytest.mark.parametrize("name", SESSIONS)
def test_runs_agree_with_their_session_summary(name: str, corpus: Path) -> None:
    path = corpus / "fit" / name
    found = parse_fit(path.read_bytes(), name)
    sessions = _sessions(path)
    if not sessions:
        assert found.runs  # built from records alone
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
