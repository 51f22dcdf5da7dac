"""End to end: a 10-year archive (2,500 one-hour 1 Hz runs as FIT files in a zip) into a journal.

Goal: at most 60 s on 2 cores with peak RSS at most 500 MB. The import runs in a subprocess so
its peak memory is measured alone. The peers' times are estimated from their measured cost per
record message on the same archive (a sample of its files), in the same run.

    python benchmarks/bench_import.py [--runs 2500] [--keep]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from array import array
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from innerpace.domain import Lap, LapTrigger, Run, Series, Setting, Sport
from innerpace.formats.fit_writer import encode_run

OUT = Path(__file__).resolve().parent / "out"


def synthetic_run(index: int, rng: np.random.Generator) -> Run:
    """One hour at 1 Hz: a loop with gentle hills, drifting heart rate and cadence."""
    n = 3600
    start = datetime(2016, 1, 4, 6, 30, tzinfo=UTC) + timedelta(hours=35 * index)
    speed = 2.8 + 0.3 * np.sin(np.arange(n) / 300.0) + rng.normal(0, 0.05, n)
    distance = np.cumsum(np.clip(speed, 1.5, 4.5))
    angle = distance / 2000.0
    lat = 52.52 + 0.01 * np.sin(angle)
    lon = 13.40 + 0.015 * np.cos(angle)
    hr = 130 + 20 * (np.arange(n) / n) + rng.normal(0, 2, n)
    cadence = 168 + rng.normal(0, 2, n)
    altitude = 35 + 8 * np.sin(distance / 700.0)

    def col(values: np.ndarray) -> array:
        return array("d", values.astype(float).tolist())

    series = Series(
        t_s=col(np.arange(n)),
        distance_m=col(distance),
        hr=col(hr),
        cadence_spm=col(cadence),
        altitude_m=col(altitude),
        lat=col(lat),
        lon=col(lon),
    )
    laps = []
    km = 0
    for i in range(1, n):
        if distance[i] // 1000 > km:
            km = int(distance[i] // 1000)
            begin = laps[-1].start + timedelta(seconds=laps[-1].elapsed_s) if laps else start
            laps.append(
                Lap(
                    start=begin,
                    elapsed_s=(start + timedelta(seconds=i) - begin).total_seconds(),
                    distance_m=1000.0,
                    trigger=LapTrigger.DISTANCE,
                )
            )
    return Run(
        start=start,
        duration_s=float(n),
        moving_s=float(n),
        distance_m=float(distance[-1]),
        sport=Sport.RUNNING,
        setting=Setting.ROAD,
        avg_hr=float(hr.mean()),
        max_hr=float(hr.max()),
        avg_cadence_spm=float(cadence.mean()),
        utc_offset_min=60,
        laps=tuple(laps),
        series=series,
        source="fit",
    )


def build_archive(path: Path, runs: int) -> None:
    rng = np.random.default_rng(2016)
    template = synthetic_run(0, rng)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for i in range(runs):
            shift = timedelta(hours=35 * i)
            run = Run(
                **{
                    **{f: getattr(template, f) for f in template.__dataclass_fields__},
                    "start": template.start + shift,
                    "laps": tuple(
                        Lap(lap.start + shift, lap.elapsed_s, lap.distance_m, lap.trigger)
                        for lap in template.laps
                    ),
                    "avg_hr": template.avg_hr + (i % 17),
                }
            )
            z.writestr(f"activities/{i:05d}.fit", encode_run(run, product=i % 60000))


def peer_cost_per_record(archive: Path, sample: int = 5) -> dict[str, float]:
    """Seconds per record message for each peer installed, on the first files of the archive."""
    costs: dict[str, float] = {}
    with zipfile.ZipFile(archive) as z:
        files = [z.read(name) for name in z.namelist()[:sample]]
    try:
        import fitdecode
    except ImportError:
        fitdecode = None
    if fitdecode is not None:
        started, records = time.perf_counter(), 0
        for data in files:
            with fitdecode.FitReader(io.BytesIO(data)) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                        frame.get_value("heart_rate", fallback=None)
                        frame.get_value("distance", fallback=None)
                        records += 1
        costs["fitdecode"] = (time.perf_counter() - started) / records
    try:
        import fitparse
    except ImportError:
        fitparse = None
    if fitparse is not None:
        started, records = time.perf_counter(), 0
        for data in files:
            for message in fitparse.FitFile(io.BytesIO(data)).get_messages("record"):
                message.get_values()
                records += 1
        costs["fitparse"] = (time.perf_counter() - started) / records
    return costs


CHILD = """
import json, resource, sys, time
from pathlib import Path
from innerpace.services import Journal
started = time.perf_counter()
with Journal.open(Path(sys.argv[1])) as journal:
    report = journal.import_paths([Path(sys.argv[2])])
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "imported": report.imported,
                  "failed": len(report.failed),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2500)
    parser.add_argument("--keep", action="store_true", help="keep the generated archive")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    archive = OUT / f"archive-{args.runs}.zip"
    if not archive.exists():
        started = time.perf_counter()
        build_archive(archive, args.runs)
        print(f"built {archive.name}: {archive.stat().st_size / 2**20:.0f} MB "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    records = args.runs * 3600
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(Path(folder) / "journal"), str(archive)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr)
            return 1
        result = json.loads(done.stdout.strip().splitlines()[-1])
        journal_mb = (Path(folder) / "journal" / "journal.db").stat().st_size / 2**20
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    seconds = result["seconds"]
    print(f"innerpace: {result['imported']} runs ({records / 1e6:.1f} M records) imported in "
          f"{seconds:.1f} s (goal 60 s), peak RSS {rss:.0f} MB (goal 500), "
          f"journal {journal_mb:.0f} MB, {result['failed']} failed")  # fmt: skip
    print(f"           {seconds / records * 1e6:.2f} µs per record message, end to end")
    for peer, cost in peer_cost_per_record(archive).items():
        estimate = cost * records
        print(f"{peer:>10}: {cost * 1e6:.0f} µs per record message, decoding alone → "
              f"~{estimate / 60:.0f} min for this archive on one core "
              f"(innerpace end to end is {estimate / seconds:.0f}× faster)")  # fmt: skip
    if not args.keep:
        archive.unlink()
    ok = seconds <= 60 and rss <= 500 and result["failed"] == 0
    return 0 if ok or math.isnan(seconds) else 2


if __name__ == "__main__":
    raise SystemExit(main())
