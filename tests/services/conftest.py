"""Real activity files for the daily-loop tests: generated runs written as FIT and GPX, and the
synthetic Strava export the importer tests use."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from innerpace.demo import generate
from innerpace.domain import Run
from innerpace.domain.times import iso_utc
from innerpace.formats.fit_writer import encode_run

BUILDERS = Path(__file__).resolve().parents[2] / "benchmarks" / "fixtures_exports.py"


def export_builders() -> ModuleType:
    name = "innerpace_export_builders"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILDERS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def outdoor_runs(count: int) -> list[Run]:
    runs = generate(5, end=date(2026, 6, 1), runs=40).runs
    found = [r for r in runs if r.series is not None and r.series.has_coordinates]
    return found[:count]


def as_gpx(run: Run, every: int = 5) -> bytes:
    """A poorer copy of ``run``: every fifth point (or ``every``), no heart rate."""
    s = run.series
    assert s is not None
    points = "".join(
        f'<trkpt lat="{s.lat[i]:.7f}" lon="{s.lon[i]:.7f}"><ele>{s.altitude_m[i]:.1f}</ele>'
        f"<time>{iso_utc(run.start + timedelta(seconds=s.t_s[i]))}</time></trkpt>"
        for i in range(0, len(s), every)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Copy</name><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def as_fit(run: Run) -> bytes:
    return encode_run(run)


@pytest.fixture(scope="session")
def fx() -> ModuleType:
    return export_builders()
