"""The daily commands, cold, beside jrnl adding one entry.

Each command runs as a fresh process (``python -m innerpace …``; jrnl through its own console
script), ``RUNS`` times, on a journal with a few months of runs; the table prints the median
wall time and its ratio to jrnl's median measured in this same run. Writes must never wait for
statistics: every daily command should be no slower than jrnl adding one entry.

Usage: ``python benchmarks/bench_daily.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 9
JRNL = Path(sys.executable).with_name("jrnl")


def _time(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        cmd, env=env, input=stdin, capture_output=True, text=True, check=False, timeout=120
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def jrnl_env(root: Path) -> dict[str, str]:
    """jrnl with its own config in a temporary folder: a plain-text journal, no editor."""
    config = root / "xdg" / "jrnl"
    config.mkdir(parents=True)
    (config / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\n"
        "highlight: false\nindent_character: '|'\n"
        f"journals: {{default: {{journal: {root / 'journal.txt'}}}}}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\n"
        "version: v4.2\n",
        encoding="utf-8",
    )
    env = dict(os.environ, XDG_CONFIG_HOME=str(root / "xdg"), XDG_DATA_HOME=str(root / "data"))
    env["JRNL_CONFIG"] = str(config / "jrnl.yaml")
    return env


def seeded_journal(root: Path) -> Path:
    """A journal with a few months of runs, check-ins and reflections (the demo's last ones)."""
    from innerpace.demo import seed_store
    from innerpace.store import Store

    folder = root / "innerpace"
    with Store.open(folder) as store:
        seed_store(store, seed=7)
    return folder


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    runs = parser.parse_args(argv).runs
    if not JRNL.exists():
        print("jrnl is not installed: pip install -e '.[bench]'")
        return 1
    root = Path(tempfile.mkdtemp(prefix="innerpace-bench-daily-"))
    try:
        folder = seeded_journal(root)
        env = dict(os.environ, INNERPACE_HOME=str(folder), PYTHONDONTWRITEBYTECODE="0")
        base = [sys.executable, "-m", "innerpace"]
        jrnl = ([str(JRNL), "Ran by the river today."], jrnl_env(root))
        commands = {
            "checkin --before": (base + ["checkin", "--before", "--feeling", "2"], None),
            "moment": (base + ["moment", "1", "--at", "1km", "--tag", "calm"], None),
            "reflect (stdin)": (base + ["reflect"], "The river was high and I was quiet."),
            "log-run": (base + ["log-run", "--minutes", "30", "--km", "5"], None),
            "runs": (base + ["runs", "--limit", "20"], None),
            "search": (base + ["search", "river"], None),
        }
        print(f"cold start, median of {runs} paired runs (fresh process each; jrnl adding one")
        print("entry is timed right before each command, so both see the same machine load)")
        print(f"{'command':<28}{'innerpace':>10}{'jrnl':>9}{'ratio':>8}")
        worst = 0.0
        for label, (cmd, stdin) in commands.items():
            _time(cmd, env, stdin)  # warm the OS file cache, as on a person's second use
            _time(jrnl[0], jrnl[1])
            ours, theirs = [], []
            for _ in range(runs):
                theirs.append(_time(jrnl[0], jrnl[1]))
                ours.append(_time(cmd, env, stdin))
            ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
            worst = max(worst, ratio)
            print(
                f"{'innerpace ' + label:<28}{statistics.median(ours) * 1000:>8.0f}ms"
                f"{statistics.median(theirs) * 1000:>7.0f}ms{ratio:>7.2f}x"
            )
        print(f"slowest daily command: {worst:.2f}x jrnl (ratio: median of the paired ratios)")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
