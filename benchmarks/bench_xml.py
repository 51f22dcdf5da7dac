"""GPX and TCX reading speed: innerpace against gpxpy and tcxreader on the shared corpus.

Usage: ``python benchmarks/bench_xml.py [--corpus DIR] [--seconds S]``
(default corpus: ``../shared/corpus`` next to the repository).

For every GPX file gpxpy reads, ``gpxpy.parse`` (then walking every point and reading its
latitude, longitude, time and elevation, as a user would) is timed against ``parse_gpx``;
for every TCX file tcxreader reads, ``TCXReader().read(path)`` against ``parse_tcx``
(reading the same file from disk). Rounds of the two alternate until they have run for a while,
and the best round of each is kept. Points per second count the peer's points.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def best_times(
    theirs: Callable[[], object], ours: Callable[[], object], seconds: float
) -> tuple[float, float]:
    """The fastest round of each, alternating the two so both meet the same machine load."""
    theirs()  # warm up
    ours()
    best = [float("inf"), float("inf")]
    spent = 0.0
    rounds = 0
    while rounds < 3 or (spent < seconds and rounds < 200):
        for i, work in enumerate((theirs, ours)):
            started = time.perf_counter()
            work()
            took = time.perf_counter() - started
            best[i] = min(best[i], took)
            spent += took
        rounds += 1
    return best[0], best[1]


def bench_gpx(folder: Path, seconds: float) -> tuple[int, float, float]:
    import gpxpy

    from innerpace.formats.gpx import parse_gpx

    def peer(data: bytes) -> int:
        parsed = gpxpy.parse(data.decode("utf-8-sig"))
        count = 0
        for track in parsed.tracks:
            for segment in track.segments:
                for point in segment.points:
                    _ = (point.latitude, point.longitude, point.time, point.elevation)
                    count += 1
        return count

    total_points = 0
    ours_s = peer_s = 0.0
    print(f"{'GPX file':48} {'points':>7} {'gpxpy ms':>9} {'ours ms':>8} {'ratio':>6}")
    for path in sorted(folder.glob("*.gpx")):
        data = path.read_bytes()
        try:
            points = peer(data)
        except Exception:  # noqa: BLE001 - a file the peer cannot read is not compared
            continue
        if points == 0:
            continue
        theirs, ours = best_times(
            lambda data=data: peer(data), lambda data=data: _quietly(parse_gpx, data), seconds
        )
        print(
            f"{path.name[:48]:48} {points:7d} {theirs * 1e3:9.2f} {ours * 1e3:8.2f} "
            f"{theirs / ours:6.1f}"
        )
        total_points += points
        ours_s += ours
        peer_s += theirs
    return total_points, peer_s, ours_s


def bench_tcx(folder: Path, seconds: float) -> tuple[int, float, float]:
    from tcxreader.tcxreader import TCXReader

    from innerpace.formats.tcx import parse_tcx

    def peer(path: Path) -> int:
        return len(TCXReader().read(str(path)).trackpoints)

    def ours(path: Path) -> None:
        _quietly(parse_tcx, path.read_bytes())

    total_points = 0
    ours_s = peer_s = 0.0
    print(f"{'TCX file':48} {'points':>7} {'tcxreader':>9} {'ours ms':>8} {'ratio':>6}")
    for path in sorted(folder.glob("*.tcx")):
        try:
            points = peer(path)
        except Exception:  # noqa: BLE001 - a file the peer cannot read is not compared
            continue
        if points == 0:
            continue
        theirs, mine = best_times(
            lambda path=path: peer(path), lambda path=path: ours(path), seconds
        )
        print(
            f"{path.name[:48]:48} {points:7d} {theirs * 1e3:9.2f} {mine * 1e3:8.2f} "
            f"{theirs / mine:6.1f}"
        )
        total_points += points
        ours_s += mine
        peer_s += theirs
    return total_points, peer_s, ours_s


def _quietly(parse: Callable[[bytes], object], data: bytes) -> None:
    from innerpace.formats.errors import ParseError

    with contextlib.suppress(ParseError):
        parse(data)  # refusing a file is work too: it is timed all the same


def main(argv: list[str]) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    options.add_argument("--seconds", type=float, default=0.3, help="time spent per measurement")
    args = options.parse_args(argv)
    corpus = args.corpus.resolve()
    if not (corpus / "gpx").is_dir() and not (corpus / "tcx").is_dir():
        print(f"no corpus at {corpus} (expected gpx/ and tcx/ folders); nothing to measure")
        return 1
    try:
        import gpxpy  # noqa: F401
        from tcxreader.tcxreader import TCXReader  # noqa: F401
    except ImportError as missing:
        print(f"{missing.name} is not installed (pip install -e '.[bench]'); nothing to measure")
        return 1
    warnings.simplefilter("ignore")
    summary = []
    if (corpus / "gpx").is_dir():
        points, theirs, ours = bench_gpx(corpus / "gpx", args.seconds)
        summary.append(("GPX", "gpxpy", points, theirs, ours))
        print()
    if (corpus / "tcx").is_dir():
        points, theirs, ours = bench_tcx(corpus / "tcx", args.seconds)
        summary.append(("TCX", "tcxreader", points, theirs, ours))
        print()
    for kind, peer, points, theirs, ours in summary:
        print(
            f"{kind}: {points:,} points; {peer} {points / theirs:,.0f} points/s, "
            f"innerpace {points / ours:,.0f} points/s; innerpace is {theirs / ours:.1f}x faster"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
