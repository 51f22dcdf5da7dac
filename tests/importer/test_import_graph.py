"""The importer has no cycle: the walker is handed the export readers, and a broken reader
fails loudly instead of turning an export into "a folder of files"."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from innerpace.importer import sources
from innerpace.importer.exports import READERS, apple, daylio, export_readers, garmin, strava

PACKAGE = Path(sources.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_walker_imports_no_export_reader():
    assert not any("exports" in m for m in imported_modules(PACKAGE / "sources.py"))


def test_export_readers_use_only_the_walkers_public_names():
    for path in (PACKAGE / "exports").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "innerpace.importer.sources":
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private}"


def test_the_registry_names_every_reader_in_order():
    assert (strava.read_export, garmin.read_export, apple.read_export,
                       daylio.read_export) == READERS  # fmt: skip
    placed = export_readers({"happy": 5})
    assert placed[:3] == READERS[:3] and placed[3] is not daylio.read_export


def test_the_walker_uses_only_the_readers_it_is_handed(tmp_path):
    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    (folder / "activities.csv").write_text("Activity ID,Activity Date,Filename\n")
    (folder / "notes.txt").write_text("hello")
    plain = [c.name for c in sources.walk([folder])]
    assert sorted(Path(n).name for n in plain) == ["activities.csv", "notes.txt"]
    (skipped,) = sources.walk([folder], READERS)  # a Strava export with no rows
    assert skipped.skip == sources.Skip(
        "account files", 1, "account data (profile, followers, posts)"
    )


def test_a_broken_reader_fails_loudly(tmp_path):
    script = (
        "import sys, types\n"
        "sys.modules['innerpace.importer.exports.garmin'] = None  # cannot be imported\n"
        "from innerpace.importer import Importer\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode != 0
    assert "ImportError" in result.stderr or "ModuleNotFoundError" in result.stderr


def test_a_reader_that_breaks_while_reading_is_not_swallowed(tmp_path, journal):
    from innerpace.importer import Importer

    def broken(path: Path):
        raise RuntimeError("a bug in a reader")

    importer = Importer(journal.store, readers=(broken,))
    with pytest.raises(RuntimeError, match="a bug in a reader"):
        importer.run([tmp_path])
