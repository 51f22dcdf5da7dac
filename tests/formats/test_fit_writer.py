import io
from datetime import date

import fitdecode
import numpy as np
import pytest

from innerpace.demo import generate
from innerpace.domain import LapTrigger
from innerpace.formats.fit import parse_fit
from innerpace.formats.fit_writer import encode_run


@pytest.fixture(scope="module")
def demo_runs():
    return [r for r in generate(3, end=date(2026, 6, 1), runs=20).runs if r.series is not None]


def test_a_written_run_reads_back_the_same(demo_runs):
    for run in demo_runs[:5]:
        parsed = parse_fit(encode_run(run, feel=75, rpe=40), "written.fit")
        assert parsed.warnings == ()
        (back,) = parsed.runs
        assert back.start == run.start
        assert back.duration_s == pytest.approx(run.duration_s, abs=1)
        assert back.distance_m == pytest.approx(run.distance_m, abs=0.01)
        assert back.utc_offset_min == run.utc_offset_min
        assert back.sport == run.sport
        assert [lap.trigger for lap in back.laps] == [lap.trigger for lap in run.laps]
        assert len(back.series) == len(run.series)
        np.testing.assert_allclose(back.series.lat, run.series.lat, atol=1e-6)
        np.testing.assert_allclose(back.series.hr, np.round(run.series.hr), atol=0.5)
        assert {(f.field, f.value) for f in parsed.feelings} == {
            ("workout_feel", 75),
            ("workout_rpe", 40),
        }


def test_fitdecode_reads_what_is_written(demo_runs):
    run = demo_runs[0]
    records = laps = 0
    with fitdecode.FitReader(io.BytesIO(encode_run(run))) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                records += frame.name == "record"
                laps += frame.name == "lap"
                if frame.name == "session":
                    assert frame.get_value("sport") == "running"
                    assert frame.get_value("total_distance") == pytest.approx(run.distance_m, 0.01)
    assert records == len(run.series)
    assert laps == len(run.laps)
    assert any(lap.trigger is LapTrigger.MANUAL for r in demo_runs for lap in r.laps)
