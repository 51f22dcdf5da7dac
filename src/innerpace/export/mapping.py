"""The export document's own layout, versioned, apart from the store's tables.

Each kind of record in ``journal.json`` lists its fields here, with the type a reader checks and
the store column it comes from. The writer takes only these fields from a row, so a column added
to a table does not change the export until it is mapped here; the reader checks every record
against these fields (one clear sentence for the first thing wrong) and turns it back into a row
of today's tables, so an export written by an older innerpace still restores.

Versions:

- **1** — the document mirrored the tables of schema 2 (the first release).
- **2** — the same fields, now named by this mapping.
- **3** — who made each entry (``batch_id``: none for the person, else the import that brought
  it), Recently deleted (``deleted_ts``), the fields of a run the person changed
  (``edited_fields``) and a track kept whole (``track_uncropped``), the data a richer copy
  replaced (``replaced_runs``, so taking that import back still restores it), the runs whose
  import was taken back while the person's words about them stayed (``detached_runs``,
  ``detached_id``), and the day mood among check-ins.
- **4** — a check-in's tags (``tags``, a list of words, e.g. a mood diary's activities);
  written from here on.

An older document is brought to the current version by the steps in ``UPGRADES`` before it is
checked. A newer one is refused with a request to update innerpace.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from innerpace.domain.activity import Company, LapTrigger, Setting, Sport
from innerpace.domain.feelings import CheckInKind, MomentStatus
from innerpace.errors import UserError

EXPORT_MARKER = "innerpace-export"
EXPORT_VERSION = 4


class ExportProblem(UserError):
    """An export cannot be written or read back."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an export record: its name, its type, and the store column behind it."""

    name: str
    kind: str  # "int", "number", "text", "bool", "list", "object", "any"
    required: bool = False
    column: str | None = None  # when the store names it differently

    @property
    def store_name(self) -> str:
        return self.column or self.name


def _f(spec: str) -> Field:
    """``"name:kind"``, with ``!`` after the kind for a required field."""
    name, _, kind = spec.partition(":")
    return Field(name, kind.rstrip("!"), kind.endswith("!"))


def _fields(*specs: str) -> tuple[Field, ...]:
    return tuple(_f(spec) for spec in specs)


# Fields kept as they are (the nested parts — laps, series, answers — are listed apart).
RECORDS: dict[str, tuple[Field, ...]] = {
    "import_batches": _fields(
        "id:int!", "started_ts:number!", "finished_ts:number", "status:text!", "summary:any"
    ),
    "originals": _fields(
        "id:int!", "sha256:text!", "format:text!", "name:text", "size:int!", "batch_id:int",
        "file:text!",
    ),
    "runs": _fields(
        "id:int!", "start_ts:number!", "utc_offset_min:int", "duration_s:number!",
        "moving_s:number", "distance_m:number", "sport:text!", "sport_name:text",
        "setting:text!", "company:text!", "name:text", "avg_hr:number", "max_hr:number",
        "avg_cadence_spm:number", "elevation_gain_m:number", "elevation_loss_m:number",
        "device:text", "source:text!", "original_id:int", "batch_id:int", "created_ts:number!",
        "laps:list", "series:object", "edited_fields:list", "deleted_ts:number",
        "track_uncropped:bool",
    ),
    "replaced_runs": _fields(
        "id:int!", "run_id:int!", "batch_id:int!", "run:object!", "laps:list!", "series:object",
        "created_ts:number!",
    ),
    "detached_runs": _fields(
        "id:int!", "start_ts:number!", "sport:text!", "name:text", "setting:text",
        "company:text", "created_ts:number!",
    ),
    "laps": _fields(
        "idx:int!", "start_ts:number!", "elapsed_s:number!", "distance_m:number",
        "trigger:text!", "avg_hr:number",
    ),
    "checkins": _fields(
        "id:int!", "at_ts:number!", "kind:text!", "run_id:int", "delay_s:number", "note:text",
        "source:text!", "created_ts:number!", "answers:list", "batch_id:int", "deleted_ts:number",
        "detached_id:int", "tags:list!",
    ),
    "wellbeing": _fields(
        "id:int!", "at_ts:number!", "created_ts:number!", "answers:list", "batch_id:int",
        "deleted_ts:number",
    ),
    "answers": _fields(
        "id:int!", "instrument_id:text!", "instrument_version:text!", "item_id:text!",
        "value:number!",
    ),
    "moments": _fields(
        "id:int!", "run_id:int", "at_s:number", "at_m:number", "tags:list!", "note:text",
        "status:text!", "source:text!", "created_ts:number!", "batch_id:int", "deleted_ts:number",
        "detached_id:int",
    ),
    "reflections": _fields(
        "id:int!", "run_id:int", "day:text", "text:text!", "prompt_id:text", "private:bool!",
        "origin:text!", "created_ts:number!", "updated_ts:number", "batch_id:int",
        "deleted_ts:number", "detached_id:int",
    ),
    "drafts": _fields(
        "key:text!", "text:text!", "run_id:int", "prompt_id:text", "updated_ts:number!"
    ),
    "hunches": _fields(
        "predictor:text!", "first_seen_ts:number!", "first_seen_runs:int!", "direction:int!",
        "status:text!", "updated_ts:number!",
    ),
}  # fmt: skip
# The recorded data of a run that a richer copy replaced (a run's own fields, not the person's).
RECORDS["replaced_data"] = tuple(
    f
    for f in RECORDS["runs"]
    if f.name
    in (
        "start_ts", "utc_offset_min", "duration_s", "moving_s", "distance_m", "sport",
        "sport_name", "setting", "company", "name", "avg_hr", "max_hr", "avg_cadence_spm",
        "elevation_gain_m", "elevation_loss_m", "device", "source", "original_id",
    )
)  # fmt: skip
TOP_LISTS = (
    "import_batches",
    "originals",
    "runs",
    "replaced_runs",
    "detached_runs",
    "checkins",
    "wellbeing",
    "moments",
    "reflections",
    "drafts",
    "hunches",
)
# Fields whose text must be one of the journal's own words (else the journal could not be read).
CHOICES: dict[tuple[str, str], type] = {
    ("runs", "sport"): Sport,
    ("runs", "setting"): Setting,
    ("runs", "company"): Company,
    ("replaced_data", "sport"): Sport,
    ("replaced_data", "setting"): Setting,
    ("replaced_data", "company"): Company,
    ("detached_runs", "sport"): Sport,
    ("detached_runs", "setting"): Setting,
    ("detached_runs", "company"): Company,
    ("laps", "trigger"): LapTrigger,
    ("checkins", "kind"): CheckInKind,
    ("moments", "status"): MomentStatus,
}
# Fields that name another record: a restore needs that record in the same export.
REFERENCES: dict[tuple[str, str], str] = {
    ("originals", "batch_id"): "import_batches",
    ("runs", "batch_id"): "import_batches",
    ("runs", "original_id"): "originals",
    ("replaced_runs", "run_id"): "runs",
    ("checkins", "batch_id"): "import_batches",
    ("checkins", "run_id"): "runs",
    ("checkins", "detached_id"): "detached_runs",
    ("wellbeing", "batch_id"): "import_batches",
    ("moments", "batch_id"): "import_batches",
    ("moments", "run_id"): "runs",
    ("moments", "detached_id"): "detached_runs",
    ("reflections", "batch_id"): "import_batches",
    ("reflections", "run_id"): "runs",
    ("reflections", "detached_id"): "detached_runs",
    ("drafts", "run_id"): "runs",
}
_NAMED = {
    "import_batches": "an import",
    "originals": "an original file",
    "runs": "a run",
    "detached_runs": "a run whose import was taken back",
}
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs": tuple(f.name for f in RECORDS["runs"] if f.name not in ("laps", "series")),
    "checkins": tuple(f.name for f in RECORDS["checkins"] if f.name != "answers"),
    "answers": ("id", "checkin_id", "wellbeing_id")
    + tuple(f.name for f in RECORDS["answers"] if f.name != "id"),
    "moments": tuple(f.name for f in RECORDS["moments"]),
    "reflections": tuple(f.name for f in RECORDS["reflections"]),
    "wellbeing": tuple(f.name for f in RECORDS["wellbeing"] if f.name != "answers"),
}


def record(kind: str, row: Mapping[str, object], **extra: object) -> dict[str, object]:
    """The export record for one store row: only the mapped fields, in the mapped order."""
    out: dict[str, object] = {}
    for field in RECORDS[kind]:
        if field.name in extra:
            out[field.name] = extra[field.name]
        elif field.store_name in row:
            value = row[field.store_name]
            out[field.name] = bool(value) if field.kind == "bool" and value is not None else value
    return out


def row(kind: str, entry: Mapping[str, object], *skip: str) -> dict[str, object]:
    """The store row for one (checked) export record, without the fields in ``skip``."""
    out: dict[str, object] = {}
    for field in RECORDS[kind]:
        if field.name in skip or field.name not in entry:
            continue
        value = entry[field.name]
        out[field.store_name] = int(value) if field.kind == "bool" and value is not None else value
    return out


# -- checking a document ----------------------------------------------------------------------
def _type_ok(kind: str, value: object) -> bool:
    if kind == "any":
        return True
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(float(value))
        )
    if kind == "text":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool) or value in (0, 1)
    if kind == "list":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return False


_KIND_WORDS = {
    "int": "a whole number",
    "number": "a number",
    "text": "text",
    "bool": "true or false",
    "list": "a list",
    "object": "an object",
}


def _check_record(kind: str, entry: object, where: str) -> None:
    if not isinstance(entry, dict):
        raise ExportProblem(f"{where} should be an object")
    known = {f.name for f in RECORDS[kind]}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ExportProblem(
            f"{where} has fields this innerpace does not know: {', '.join(unknown)}"
        )
    for field in RECORDS[kind]:
        if field.name not in entry or entry[field.name] is None:
            if field.required:
                raise ExportProblem(f"{where} lacks {field.name}")
            continue
        if not _type_ok(field.kind, entry[field.name]):
            word = _KIND_WORDS.get(field.kind, field.kind)
            raise ExportProblem(f"{where}.{field.name} should be {word}")
        choices = CHOICES.get((kind, field.name))
        if choices is not None and entry[field.name] not in {c.value for c in choices}:
            raise ExportProblem(f"{where}.{field.name} is not a value innerpace knows")


def _check_series(series: object, where: str) -> None:
    if not isinstance(series, dict):
        raise ExportProblem(f"{where} should be an object")
    samples = series.get("samples")
    channels = series.get("channels")
    if not (isinstance(samples, int) and samples >= 0 and isinstance(channels, dict)):
        raise ExportProblem(f"{where} should hold samples and channels")
    for name, values in channels.items():
        if values is None:
            continue
        if not isinstance(values, list) or len(values) != samples:
            raise ExportProblem(f"{where}.channels.{name} should list {samples} values")
        if any(v is not None and not _type_ok("number", v) for v in values):
            raise ExportProblem(f"{where}.channels.{name} should hold only numbers")


def check(document: object) -> dict:
    """Check a document (already brought to the current version) against the mapping; the
    first thing wrong is raised as one sentence naming where it is."""
    if not isinstance(document, dict):
        raise ExportProblem("journal.json should hold one object")
    settings = document.get("settings", {})
    if not isinstance(settings, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in settings.items()
    ):
        raise ExportProblem("settings should map names to text")
    for kind in TOP_LISTS:
        entries = document.get(kind, [])
        if not isinstance(entries, list):
            raise ExportProblem(f"{kind} should be a list")
        for n, entry in enumerate(entries):
            where = f"{kind}[{n}]"
            _check_record(kind, entry, where)
            if kind in ("runs", "replaced_runs"):
                for i, lap in enumerate(entry.get("laps") or []):
                    _check_record("laps", lap, f"{where}.laps[{i}]")
                if entry.get("series") is not None:
                    _check_series(entry["series"], f"{where}.series")
            if kind == "replaced_runs":
                _check_record("replaced_data", entry["run"], f"{where}.run")
            if kind == "runs" and not all(
                isinstance(f, str) for f in entry.get("edited_fields") or []
            ):
                raise ExportProblem(f"{where}.edited_fields should be a list of words")
            if kind in ("checkins", "wellbeing"):
                for i, answer in enumerate(entry.get("answers") or []):
                    _check_record("answers", answer, f"{where}.answers[{i}]")
            if kind in ("moments", "checkins") and not all(
                isinstance(t, str) for t in entry["tags"]
            ):
                raise ExportProblem(f"{where}.tags should be a list of words")
    _check_references(document)
    return document


def _check_references(document: dict) -> None:
    """Every id is used once, and every record another one names is in the export."""
    ids: dict[str, set[object]] = {}
    answers: set[object] = set()
    for kind in TOP_LISTS:
        if RECORDS[kind][0].name != "id":
            continue
        seen = ids.setdefault(kind, set())
        for n, entry in enumerate(document.get(kind, [])):
            if entry["id"] in seen:
                raise ExportProblem(f"{kind}[{n}].id is used twice")
            seen.add(entry["id"])
            for i, answer in enumerate(entry.get("answers") or []):
                if answer["id"] in answers:
                    raise ExportProblem(f"{kind}[{n}].answers[{i}].id is used twice")
                answers.add(answer["id"])
    for (kind, name), target in REFERENCES.items():
        for n, entry in enumerate(document.get(kind, [])):
            value = entry.get(name)
            if value is not None and value not in ids[target]:
                raise ExportProblem(
                    f"{kind}[{n}].{name} names {_NAMED[target]} the export does not hold"
                )


# -- older versions ----------------------------------------------------------------------------
def _from_v1(document: dict) -> dict:
    """Version 1 mirrored the tables of schema 2, whose column names the mapping kept."""
    return {**document, EXPORT_MARKER: 2}


# Fields version 3 added, with the value an entry of an older version has.
_V3_DEFAULTS: dict[str, dict[str, object]] = {
    "runs": {"edited_fields": [], "deleted_ts": None, "track_uncropped": False},
    "checkins": {"batch_id": None, "deleted_ts": None, "detached_id": None},
    "wellbeing": {"batch_id": None, "deleted_ts": None},
    "moments": {"batch_id": None, "deleted_ts": None, "detached_id": None},
    "reflections": {"batch_id": None, "deleted_ts": None, "detached_id": None},
}


def _brought_by(entry: dict, imported: Mapping[object, object]) -> object:
    """Which import brought an entry of version 2, by the journal's own rule when it learnt
    provenance: what an import wrote about a run (not the person) belongs to the run's batch."""
    if entry.get("source", entry.get("origin", "self")) == "self":
        return None
    if entry.get("status") == "confirmed":  # a suggested moment the person confirmed is theirs
        return None
    run_id = entry.get("run_id")
    return imported.get(run_id) if isinstance(run_id, int) else None


def _from_v2(document: dict) -> dict:
    """Version 2 knew no provenance, trash, edits, replaced or detached runs: an entry gets the
    values it would have had (its import, not deleted, nothing edited)."""
    runs = document.get("runs")
    imported = {
        r["id"]: r.get("batch_id")
        for r in (runs if isinstance(runs, list) else [])
        if isinstance(r, dict) and isinstance(r.get("id"), int)
    }
    out = {**document, EXPORT_MARKER: 3}
    for kind, defaults in _V3_DEFAULTS.items():
        entries = document.get(kind)
        if not isinstance(entries, list):
            continue
        upgraded = []
        for entry in entries:
            if isinstance(entry, dict):
                entry = {**copy.deepcopy(defaults), **entry}
                if "batch_id" in defaults and entry["batch_id"] is None:
                    entry["batch_id"] = _brought_by(entry, imported)
            upgraded.append(entry)
        out[kind] = upgraded
    out.setdefault("replaced_runs", [])
    out.setdefault("detached_runs", [])
    return out


def _from_v3(document: dict) -> dict:
    """Version 3 knew no check-in tags: each check-in has none."""
    out = {**document, EXPORT_MARKER: 4}
    checkins = document.get("checkins")
    if isinstance(checkins, list):
        out["checkins"] = [
            {**entry, "tags": entry.get("tags", [])} if isinstance(entry, dict) else entry
            for entry in checkins
        ]
    return out


UPGRADES: dict[int, Callable[[dict], dict]] = {1: _from_v1, 2: _from_v2, 3: _from_v3}


def upgrade(document: object) -> dict:
    """Bring a document of any known version to the current one, then check it."""
    if not isinstance(document, dict):
        raise ExportProblem("journal.json should hold one object")
    version = document.get(EXPORT_MARKER)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportProblem("this is not an innerpace export")
    if version > EXPORT_VERSION:
        raise ExportProblem("it was written by a newer innerpace; please update innerpace")
    while version < EXPORT_VERSION:
        document = UPGRADES[version](document)
        version = document[EXPORT_MARKER]
    return check(document)
