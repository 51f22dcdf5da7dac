"""Records per second: innerpace's FIT decoder against fitdecode (and fitparse when installed).

    python benchmarks/bench_fit.py [--corpus DIR] [--repeat N] [--wall]

Every file fitdecode reads without error is decoded by each library from bytes in memory, and
every field value of every record message is read, converted, as a typical user does. Files
are timed one by one, each library right after the other, in CPU time unless ``--wall``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "fit"


def with_fitdecode(blob: bytes) -> int:
    import fitdecode

    count = 0
    with fitdecode.FitReader(blob) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record":
                _values = {field.name: field.value for field in frame.fields}
                count += 1
    return count


def with_fitparse(blob: bytes) -> int:
    import fitparse

    count = 0
    for message in fitparse.FitFile(blob).get_messages("record"):
        message.get_values()
        count += 1
    return count


def with_innerpace(blob: bytes) -> int:
    from innerpace.formats.fit import decode_fit

    records = decode_fit(blob).messages("record")
    records.columns()
    return len(records)


CLOCK = time.process_time  # CPU time of this process: other work on the machine counts less


def timed(decode, blob: bytes, repeat: int = 1) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Records found and the best time of ``repeat`` passes over one file."""
    best = float("inf")
    count = 0
    for _ in range(repeat):
        start = CLOCK()
        count = decode(blob)
        best = min(best, CLOCK() - start)
    return count, best


def report(name: str, records: int, seconds: float, baseline: float | None) -> float:
    rate = records / seconds
    ratio = f"{rate / baseline:8.1f}x fitdecode" if baseline else ""
    print(
        f"{name:<10} {records:>9,} records {seconds:8.3f} s {rate:>13,.0f} rec/s "
        f"{1e6 / rate:9.3f} us/rec {ratio}"
    )
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="passes per file and library (best)")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    args = parser.parse_args(argv)
    if args.wall:
        global CLOCK
        CLOCK = time.perf_counter
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no FIT corpus at {corpus}; nothing to measure")
        return 0
    try:
        import fitdecode  # noqa: F401
    except ImportError:
        print("fitdecode is not installed; nothing to compare against")
        return 0

    warnings.simplefilter("ignore")
    blobs, skipped = [], []
    for path in sorted(corpus.iterdir()):
        blob = path.read_bytes()
        try:
            with_fitdecode(blob)
        except Exception:
            skipped.append(path.name)
            continue
        blobs.append(blob)
    print(f"{len(blobs)} files fitdecode reads ({len(skipped)} left out: it fails on them)")
    for blob in blobs:  # warm-up, as the check above was for fitdecode
        with_innerpace(blob)

    # File by file, each library right after the other, so that a busy machine slows all alike.
    peers = {"fitdecode": with_fitdecode, "innerpace": with_innerpace}
    try:
        import fitparse  # noqa: F401

        peers["fitparse"] = with_fitparse
    except ImportError:
        print("fitparse is not installed; skipped")
    totals = {name: [0, 0.0] for name in peers}
    fitparse_fails = 0
    for blob in blobs:
        for name, decode in peers.items():
            try:
                count, seconds = timed(decode, blob, args.repeat)
            except Exception:
                if name != "fitparse":
                    raise
                fitparse_fails += 1
                continue
            totals[name][0] += count
            totals[name][1] += seconds
    base = report("fitdecode", *totals["fitdecode"], None)
    if "fitparse" in totals:
        print(
            f"(fitparse fails on {fitparse_fails} of these files; they count only for the others)"
        )
        report("fitparse", *totals["fitparse"], base)
    if totals["innerpace"][0] != totals["fitdecode"][0]:
        print(f"warning: record counts differ: {totals}")
    report("innerpace", *totals["innerpace"], base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
