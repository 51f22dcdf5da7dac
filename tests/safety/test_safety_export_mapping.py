"""The export's own versioned mapping: an export written by the previous version restores; the
table layout can change without changing the export; the CSV files are spreadsheet-safe."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from innerpace.cli import main
from innerpace.export import mapping
from innerpace.export.writer import spreadsheet_safe
from innerpace.services import Journal

V1_EXPORT = Path(__file__).resolve().parents[1] / "data" / "export" / "innerpace-export-v1.zip"
HYPERLINK = '=HYPERLINK("http://x","lake")'


def _document(zip_path: Path) -> dict:
    with zipfile.ZipFile(zip_path) as archive:
        return json.loads(archive.read("journal.json"))


def test_an_export_written_by_the_previous_version_restores_whole(tmp_path, capsys):
    assert _document(V1_EXPORT)["innerpace-export"] == 1
    data_dir = tmp_path / "journal"
    assert main(["--data-dir", str(data_dir), "import", str(V1_EXPORT)]) == 0
    capsys.readouterr()
    with Journal.open(data_dir) as journal:
        runs = sorted((listing.run for listing in journal.runs()), key=lambda r: r.start)
        assert [r.name for r in runs] == [None, HYPERLINK]
        assert runs[0].device == "garmin fenix5"
        texts = sorted(r.text for r in journal.reflections())
        assert texts == [
            "-- Quiet water.\n\nLighter on the way back, *finally*.",
            "A day without running.\tTab inside.",
        ]
        rows = {t: journal.store.table_rows(t) for t in ("checkins", "moments", "drafts")}
        assert sorted(c["note"] or "" for c in rows["checkins"]) == ["", "+tired, heavy"]
        assert rows["moments"][0]["note"] == "@the bridge\nsecond line"
        assert json.loads(rows["moments"][0]["tags"]) == ["clarity", "release"]
        assert rows["drafts"][0]["text"] == "half a thought"
        assert len(journal.wellbeing_checks()) == 1
        assert journal.store.get_setting("country") == "FR"
        again = journal.export(tmp_path / "again.zip", with_coordinates=True)
    old, new = _document(V1_EXPORT), _document(again)
    assert new["innerpace-export"] == mapping.EXPORT_VERSION == 4
    assert all(c["tags"] == [] for c in new["checkins"])  # an older export's check-ins: none
    current = mapping.upgrade(copy.deepcopy(old))
    for kind in mapping.TOP_LISTS:
        assert new[kind] == current[kind], kind  # the same records, field by field
        # every field the old version wrote comes back exactly as it was
        was = old.get(kind, [])
        assert [{k: n[k] for k in o} for n, o in zip(new[kind], was, strict=True)] == was, kind
    assert new["settings"] == old["settings"]


def test_a_version_2_export_learns_which_import_brought_each_entry():
    document = copy.deepcopy(_document(V1_EXPORT))
    document["innerpace-export"] = 2
    imported = next(r for r in document["runs"] if r["batch_id"] is not None)
    mine = {**document["checkins"][0], "answers": []}
    document["checkins"] = [
        {**mine, "id": 7, "run_id": imported["id"], "source": "strava"},
        {**mine, "id": 8, "run_id": imported["id"]},
    ]
    moment = document["moments"][0]
    document["moments"] = [
        {**moment, "id": 5, "run_id": imported["id"], "status": "suggested", "source": "lap"},
        {**moment, "id": 6, "run_id": imported["id"], "status": "confirmed", "source": "lap"},
    ]
    current = mapping.upgrade(document)
    assert current["innerpace-export"] == mapping.EXPORT_VERSION
    assert [c["batch_id"] for c in current["checkins"]] == [imported["batch_id"], None]
    assert [m["batch_id"] for m in current["moments"]] == [imported["batch_id"], None]
    assert all(r["batch_id"] is None for r in current["reflections"])  # the person wrote them
    assert all(r["edited_fields"] == [] and r["deleted_ts"] is None for r in current["runs"])
    assert current["replaced_runs"] == current["detached_runs"] == []


def _damage_checkin_run(document):
    document["checkins"][0]["run_id"] = 99


def _damage_moment_batch(document):
    document["moments"][0]["batch_id"] = 42


def _damage_run_id(document):
    document["runs"][1]["id"] = document["runs"][0]["id"]


@pytest.mark.parametrize(
    ("damage", "sentence"),
    [
        (_damage_checkin_run, "checkins[0].run_id names a run the export does not hold"),
        (_damage_moment_batch, "moments[0].batch_id names an import the export does not hold"),
        (_damage_run_id, "runs[1].id is used twice"),
    ],
)
def test_a_record_naming_one_the_export_lacks_is_refused_and_nothing_is_written(
    tmp_path, damage, sentence
):
    with zipfile.ZipFile(V1_EXPORT) as archive:
        document = json.loads(archive.read("journal.json"))
        folder = tmp_path / "export"
        archive.extractall(folder)
    damage(document)
    (folder / "journal.json").write_text(json.dumps(document))
    with Journal.open(tmp_path / "journal") as journal:
        with pytest.raises(mapping.ExportProblem) as refused:
            journal.import_paths([folder])
        assert str(refused.value).endswith(sentence)
        assert not journal.store.has_content()


def test_a_column_added_to_a_table_does_not_change_the_export(journal, tmp_path):
    journal.log_run(at=_at(), minutes=30, name="by the sea")
    before = _document(journal.export(tmp_path / "before.zip"))
    journal.store._conn.execute("ALTER TABLE runs ADD COLUMN colour TEXT DEFAULT 'blue'")
    after = _document(journal.export(tmp_path / "after.zip"))
    assert "colour" not in after["runs"][0]
    assert after["runs"] == before["runs"]


def _at():
    from datetime import UTC, datetime

    return datetime(2026, 4, 1, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+33 6 12", "'+33 6 12"),
        ("-- quiet", "'-- quiet"),
        ("@bridge", "'@bridge"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("plain words", "plain words"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_formula_cells_are_prefixed(text, safe):
    assert spreadsheet_safe(text) == safe


def test_the_csv_files_are_spreadsheet_safe_and_the_json_keeps_the_exact_text(tmp_path, capsys):
    data_dir = tmp_path / "journal"
    assert main(["--data-dir", str(data_dir), "import", str(V1_EXPORT)]) == 0
    out = tmp_path / "export.zip"
    assert main(["--data-dir", str(data_dir), "export", "--out", str(out)]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(out) as archive:
        runs = list(csv.DictReader(io.StringIO(archive.read("runs.csv").decode())))
        checkins = list(csv.DictReader(io.StringIO(archive.read("checkins.csv").decode())))
        moments = list(csv.DictReader(io.StringIO(archive.read("moments.csv").decode())))
        reflections = list(csv.DictReader(io.StringIO(archive.read("reflections.csv").decode())))
        document = json.loads(archive.read("journal.json"))
    assert "'" + HYPERLINK in [r["name"] for r in runs]
    assert "'+tired, heavy" in [c["note"] for c in checkins]
    assert moments[0]["note"] == "'@the bridge\nsecond line"
    assert any(r["text"].startswith("'-- Quiet water.") for r in reflections)
    assert any(r["utc_offset_min"] == "-420" for r in runs)  # numbers stay numbers
    assert HYPERLINK in [r["name"] for r in document["runs"]]
    assert "+tired, heavy" in [c["note"] for c in document["checkins"]]


# -- the schema check: anything malformed is one ExportProblem, never another error -----------
_VALID = _document(V1_EXPORT)

_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _paths(inner, (*prefix, n))


_ALL_PATHS = [p for p in _paths(_VALID) if p and p[0] != "innerpace-export"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_ALL_PATHS), junk=_junk)
@example(where=("originals", 0, "file"), junk="")  # once found: an original with no file name
def test_any_damaged_field_is_refused_as_a_plain_export_problem(where, junk):
    document = copy.deepcopy(_VALID)
    target = document
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = junk
    try:
        checked = mapping.upgrade(document)
    except mapping.ExportProblem as problem:
        assert str(problem)
        return
    from innerpace.export.model import to_rows
    from innerpace.export.reader import load_export

    loaded = load_export(V1_EXPORT)  # the real reader: a damaged file name is its problem too
    assert loaded is not None
    with contextlib.suppress(mapping.ExportProblem):
        to_rows(checked, loaded.read)


@pytest.fixture(scope="module")
def newer_export(tmp_path_factory) -> Path:
    """An export holding everything version 3 added (provenance, trash, edits, replaced and
    detached runs, a day mood), with its original files."""
    from .test_safety_export import _fill, _fill_daily_loop

    folder = tmp_path_factory.mktemp("newer")
    with Journal.open(folder / "journal") as journal:
        _fill(journal, ["one"], samples=4)
        _fill_daily_loop(journal, samples=4)
        return journal.export(folder / "export.zip", with_coordinates=True)


_NEWER = ("replaced_runs", "detached_runs")
_NEWER_FIELDS = (
    "batch_id", "deleted_ts", "detached_id", "edited_fields", "track_uncropped", "tags"
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), junk=_junk)
def test_any_damaged_newer_field_is_refused_as_a_plain_export_problem(newer_export, data, junk):
    valid = _document(newer_export)
    assert valid["replaced_runs"] and valid["detached_runs"]
    paths = [
        p
        for p in _paths(valid)
        if p and (p[0] in _NEWER or any(step in _NEWER_FIELDS for step in p))
    ]
    where = data.draw(st.sampled_from(paths))
    target = valid
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = junk
    try:
        checked = mapping.upgrade(valid)
    except mapping.ExportProblem as problem:
        assert str(problem)
        return
    from innerpace.export.model import to_rows

    def read(name):
        with zipfile.ZipFile(newer_export) as archive:
            return archive.read(name)

    with contextlib.suppress(mapping.ExportProblem):
        to_rows(checked, read)


def test_a_version_3_export_restores_with_check_ins_without_tags(newer_export, tmp_path):
    document = _document(newer_export)
    assert any(c["tags"] for c in document["checkins"])
    document["innerpace-export"] = 3
    for checkin in document["checkins"]:
        del checkin["tags"]
    current = mapping.upgrade(document)
    assert current["innerpace-export"] == 4
    assert [c["tags"] for c in current["checkins"]] == [[] for _ in current["checkins"]]
    document["checkins"][0]["tags"] = "friends"
    document["innerpace-export"] = 4
    with pytest.raises(mapping.ExportProblem, match=r"checkins\[0\]\.tags should be a list"):
        mapping.upgrade(document)
