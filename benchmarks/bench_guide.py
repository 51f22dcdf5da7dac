"""Render the 60-minute session to WAV and FLAC; print wall time, speed and peak memory.

Run: python benchmarks/bench_guide.py [--cadence 170] [--session long-quiet]
Goals: at least 1,000x real time (3.6 s for an hour) and at most 300 MB peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from innerpace.guide import get_session, plan_session, render_session  # noqa: E402

GOAL_RATIO = 1000.0
GOAL_RSS_MB = 300.0


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--session", default="long-quiet")
    parser.add_argument("--cadence", type=float, default=170.0)
    parser.add_argument("--formats", default="wav,flac")
    args = parser.parse_args()
    session = get_session(args.session)
    plan = plan_session(session, args.cadence)
    print(
        f"session {session.id}: {plan.duration_s / 60:.0f} min at {args.cadence:g} spm, "
        f"cues {plan.cue_counts()}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-guide-") as folder:
        for ext in args.formats.split(","):
            out = Path(folder) / f"{session.id}.{ext}"
            start = time.perf_counter()
            result = render_session(plan, out, voice=False)
            wall = time.perf_counter() - start
            ratio = result.duration_s / wall
            size_mb = out.stat().st_size / 1e6
            rss = peak_rss_mb()
            print(
                f"{ext:>4}: {wall:6.2f} s wall, {ratio:7.0f}x real time "
                f"(goal {GOAL_RATIO:,.0f}x), peak RSS {rss:5.0f} MB (goal {GOAL_RSS_MB:.0f}), "
                f"{size_mb:6.1f} MB file, peak {result.peak_dbfs:.2f} dBFS, "
                f"loudness {result.loudness_dbfs:.1f} dBFS"
            )
            ok &= rss <= GOAL_RSS_MB and (ext != "wav" or ratio >= GOAL_RATIO)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
