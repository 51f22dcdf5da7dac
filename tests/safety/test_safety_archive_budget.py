"""Archives with a budget: overlapping entries, oversized exports and malformed exports are
refused with one clear reason, before anything big is unpacked."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from innerpace.cli import main
from innerpace.errors import UserError
from innerpace.formats.errors import ParseError
from innerpace.importer import budget
from innerpace.importer.pipeline import Importer
from innerpace.importer.sources import walk

_spec = importlib.util.spec_from_file_location(
    "hostile_archives", Path(__file__).with_name("hostile_archives.py")
)
assert _spec is not None and _spec.loader is not None
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile_archives"] = hostile
_spec.loader.exec_module(hostile)

MEMORY_BOUND = 64 * 1024 * 1024  # what a refusal may allocate at its peak


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def _measured(action):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


def test_the_overlapping_entry_zip_is_refused_at_once_with_flat_memory(archives, journal):
    bomb = hostile.cached(archives, "overlap.zip", hostile.overlapping_zip)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    # The importer itself (what follows an import, the hunches' statistics, is not measured).
    report, elapsed, peak = _measured(lambda: Importer(journal.store).run([bomb]))
    print(f"\noverlapping zip ({bomb.stat().st_size:,} B): refused in {elapsed:.3f} s, "
          f"peak {peak / 2**20:.1f} MB traced")  # fmt: skip
    assert len(report.failed) == 1
    assert "share the same bytes" in report.failed[0].message
    assert peak < MEMORY_BOUND
    assert journal.runs() == []


def test_the_oversized_export_is_refused_at_once_with_flat_memory(archives, journal):
    export = hostile.cached(archives, "oversized-export.zip", hostile.oversized_export)
    assert export.stat().st_size < 1024 * 1024

    def attempt():
        with pytest.raises(UserError) as refused:
            journal.import_paths([export])
        return refused.value

    error, elapsed, peak = _measured(attempt)
    print(f"\noversized export ({export.stat().st_size:,} B): refused in {elapsed:.3f} s, "
          f"peak {peak / 2**20:.1f} MB traced")  # fmt: skip
    assert "journal.json" in str(error)
    assert "compressed suspiciously well" in str(error)
    assert peak < MEMORY_BOUND


def test_the_cli_says_one_line_for_an_oversized_export(archives, capsys):
    export = hostile.cached(archives, "oversized-export.zip", hostile.oversized_export)
    code = main(["import", str(export)])
    captured = capsys.readouterr()
    assert code == 1
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err + captured.out


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_duplicate_names_are_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.gpx", b"<gpx/>")
        with pytest.warns(UserWarning):
            archive.writestr("a.gpx", b"<gpx/>")
    path = tmp_path / "dup.zip"
    path.write_bytes(buffer.getvalue())
    (candidate,) = list(walk([path]))
    with pytest.raises(ParseError, match="twice"):
        candidate.read()


def test_a_plain_zip_passes_the_layout_check():
    archive = zipfile.ZipFile(io.BytesIO(_zip({"a.gpx": b"<gpx/>" * 100, "b/c.tcx": b"x"})))
    budget.check_zip(archive, "fine.zip")


def test_the_budget_counts_nested_archives_together(tmp_path, monkeypatch):
    monkeypatch.setattr(budget, "MAX_ARCHIVE_TOTAL_BYTES", 5000)
    monkeypatch.setattr(budget.Budget, "__init__", _small_init(5000, 50))
    inner = _zip({f"{n}.gpx": b"x" * 1000 for n in range(3)})  # 3,000 bytes unpacked
    outer = _zip({"one.zip": inner, "two.zip": inner})  # ~ 6,000 + the inner zips themselves
    path = tmp_path / "nested.zip"
    path.write_bytes(outer)
    reasons = []
    for candidate in walk([path]):
        try:
            candidate.read()
        except ParseError as exc:
            reasons.append(exc.reason)
    assert any("unpacks to more than" in r for r in reasons), reasons


def test_the_entry_budget_counts_nested_archives_together(tmp_path, monkeypatch):
    monkeypatch.setattr(budget.Budget, "__init__", _small_init(10**9, 8))
    inner = _zip({f"{n}.gpx": b"<gpx/>" for n in range(5)})
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({"one.zip": inner, "two.zip": inner}))
    reasons = []
    for candidate in walk([path]):
        try:
            candidate.read()
        except ParseError as exc:
            reasons.append(exc.reason)
    assert any("more than 8 entries" in r for r in reasons), reasons


def _small_init(max_bytes: int, max_entries: int):
    original = budget.Budget.__init__

    def init(self, name, max_bytes_=max_bytes, max_entries_=max_entries, spent_bytes=0, entries=0):
        original(self, name, max_bytes_, max_entries_, spent_bytes, entries)

    return init


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (b"not json at all", "cannot be read"),
        (b'{"innerpace-export": 1, "runs": {"a": 1}}', "runs"),
        (b'{"innerpace-export": 1, "settings": ["x"]}', "settings"),
        (b'{"innerpace-export": 1, "runs": [{"id": "one"}]}', "runs"),
        (b'{"innerpace-export": 1, "checkins": [{"id": 1, "answers": 3}]}', "checkins"),
        (b'{"innerpace-export": 99}', "newer innerpace"),
    ],
)
def test_a_malformed_export_is_one_clear_line(tmp_path, capsys, document, expected):
    if not document.startswith(b"{"):
        document = b'{"innerpace-export": 1, ' + document
    path = tmp_path / "broken-export.zip"
    path.write_bytes(_zip({"journal.json": document}))
    code = main(["import", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert "Traceback" not in captured.err


def test_an_export_document_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from innerpace.export import reader

    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "big-export.zip"
    body = json.dumps({"innerpace-export": 1, "note": "x" * 500}).encode()
    path.write_bytes(_zip({"journal.json": body}))
    with pytest.raises(UserError, match="over the 0 MB limit|over the"):
        reader.load_export(path)
