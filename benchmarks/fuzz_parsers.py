"""Long fuzzing of the FIT, GPX and TCX parsers: mutated real files, for a time budget.

Every input must either parse or raise a ParseError; anything else is a finding, saved to
``benchmarks/out/fuzz-findings/`` with the exception. Prints how many inputs each format tried.

    python benchmarks/fuzz_parsers.py [--minutes 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from pathlib import Path

from innerpace.formats.errors import ParseError
from innerpace.formats.fit import parse_fit
from innerpace.formats.gpx import parse_gpx
from innerpace.formats.tcx import parse_tcx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "tests" / "data", ROOT.parent / "shared" / "corpus"]
PARSERS = {"fit": parse_fit, "gpx": parse_gpx, "tcx": parse_tcx}
OUT = ROOT / "benchmarks" / "out" / "fuzz-findings"


def seeds() -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {name: [] for name in PARSERS}
    for folder in SEEDS:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            suffix = path.suffix.lower().lstrip(".")
            if suffix in found and path.stat().st_size < 2_000_000:
                found[suffix].append(path.read_bytes())
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        if not buf:
            buf = bytearray(rng.randbytes(rng.randint(1, 64)))
        elif choice < 0.35:  # flip bits
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif choice < 0.55:  # overwrite with an interesting byte
            buf[rng.randrange(len(buf))] = rng.choice((0, 0xFF, 0x7F, 0x80, 0x3C, 0x3E, 0x26))
        elif choice < 0.7:  # cut
            buf = buf[: rng.randrange(len(buf))]
        elif choice < 0.85:  # duplicate a slice somewhere else
            a = rng.randrange(len(buf))
            b = min(len(buf), a + rng.randint(1, 256))
            at = rng.randrange(len(buf))
            buf[at:at] = buf[a:b]
        else:  # insert random bytes
            at = rng.randrange(len(buf))
            buf[at:at] = rng.randbytes(rng.randint(1, 32))
    return bytes(buf)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = seeds()
    budget = args.minutes * 60 / len(PARSERS)
    findings = 0
    for name, parse in PARSERS.items():
        inputs = pool[name] or [b""]
        tried = parsed = refused = 0
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            data = mutate(rng.choice(inputs), rng)
            tried += 1
            try:
                parse(data, f"fuzz.{name}")
                parsed += 1
            except ParseError:
                refused += 1
            except Exception:  # noqa: BLE001 - that is exactly what fuzzing looks for
                findings += 1
                OUT.mkdir(parents=True, exist_ok=True)
                (OUT / f"{name}-{tried}.bin").write_bytes(data)
                (OUT / f"{name}-{tried}.txt").write_text(traceback.format_exc())
        print(f"{name}: {tried:,} inputs tried ({parsed:,} parsed, {refused:,} refused with a "
              f"reason) from {len(pool[name])} seed files")  # fmt: skip
    print(f"{findings} inputs raised something other than a ParseError")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
