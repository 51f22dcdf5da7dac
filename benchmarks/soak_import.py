"""Soak: ``kill -9`` a 1,000-file import many times and check the journal after each kill.

    python benchmarks/soak_import.py --kills 200

The work is done by ``tests/safety/test_safety_crash.py`` (its ``soak`` function), which the
test suite runs with 20 kills.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

CRASH_TESTS = Path(__file__).resolve().parents[1] / "tests" / "safety" / "test_safety_crash.py"


def main(argv: list[str] | None = None) -> int:
    spec = importlib.util.spec_from_file_location("innerpace_crash_soak", CRASH_TESTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.main(argv)


if __name__ == "__main__":
    sys.exit(main())
