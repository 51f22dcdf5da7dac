"""Under CI, a test that would skip for want of a declared dependency or ../shared fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

PROBE = """
import pytest
{module_level}

def test_needs_something():
    pytest.importorskip("innerpace_no_such_module")

@pytest.mark.skipif(True, reason="the shared corpus is not here")
def test_needs_the_corpus():
    pass

@pytest.mark.may_skip_in_ci
def test_may_skip():
    pytest.skip("no IPv6 on this machine")

def test_about_the_data():
    pytest.skip("the peer cannot read this file at all")
"""


def _run(tmp_path: Path, ci: str | None, module_level: str = "") -> subprocess.CompletedProcess:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(PROBE.format(module_level=module_level))
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_skip_for_something_missing_fails(tmp_path, ci):
    result = _run(tmp_path, ci)
    assert "1 failed, 2 skipped, 1 error" in result.stdout, result.stdout  # skipif: in setup
    assert "skipped under CI" in result.stdout


def test_on_a_laptop_the_same_tests_skip(tmp_path):
    result = _run(tmp_path, None)
    assert "4 skipped" in result.stdout, result.stdout


def test_under_ci_a_module_level_importorskip_fails(tmp_path):
    result = _run(tmp_path, "true", 'pytest.importorskip("innerpace_no_such_module")')
    assert "error" in result.stdout.lower() or "failed" in result.stdout.lower(), result.stdout
    assert "skipped under CI" in result.stdout
