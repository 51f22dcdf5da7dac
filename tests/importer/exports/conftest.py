"""The synthetic export builders live with the benchmarks; load them by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BUILDERS = Path(__file__).resolve().parents[3] / "benchmarks" / "fixtures_exports.py"


def _builders() -> ModuleType:
    name = "innerpace_export_builders"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILDERS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fx() -> ModuleType:
    return _builders()
