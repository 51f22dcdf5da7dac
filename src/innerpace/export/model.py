"""The export's model: the journal's rows as one JSON document, and back.

Rows keep their ids and timestamps, so a journal restored from an export exports again to the
same content. Series are written as columns of numbers (``null`` where a sample is missing);
coordinates are left out unless asked for, and so are the original files, which hold them too.
"""

from __future__ import annotations

import dataclasses
import json
import math
from array import array
from collections import defaultdict
from datetime import UTC, datetime

from innerpace import __version__
from innerpace.domain.activity import SERIES_CHANNELS, Series
from innerpace.export.mapping import EXPORT_MARKER, EXPORT_VERSION, ExportProblem, record
from innerpace.export.mapping import row as store_row
from innerpace.instruments import get_instrument
from innerpace.instruments.model import InvalidAnswer
from innerpace.store import VERSION_KEY, Store, series_codec
from innerpace.words import text

__all__ = ["EXPORT_MARKER", "EXPORT_VERSION", "ExportProblem", "build", "to_rows"]
COORDINATES = ("lat", "lon")
# The journal's own bookkeeping, not a setting of the person's: the count of changes belongs to
# this journal (a restore moves it past any count this program has seen).
LOCAL_SETTINGS = frozenset({VERSION_KEY})


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def _series_json(blob: bytes, with_coordinates: bool) -> dict[str, object]:
    series = series_codec.decode(blob)
    channels = {}
    for channel in SERIES_CHANNELS:
        values = getattr(series, channel)
        if channel in COORDINATES and not with_coordinates:
            channels[channel] = [None] * len(values)
        else:
            channels[channel] = [_number(v) for v in values]
    return {"samples": len(series), "channels": channels}


def _series_blob(data: dict) -> tuple[int, str, bytes]:
    columns = {}
    for channel in SERIES_CHANNELS:
        values = data["channels"].get(channel) or [None] * int(data["samples"])
        columns[channel] = array("d", [math.nan if v is None else float(v) for v in values])
    series = Series(**columns)
    return len(series), series_codec.CODEC, series_codec.encode(series)


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}


def _records(kind: str, rows: list[dict]) -> list[dict]:
    return [record(kind, r) for r in rows]


def _instruments(answers: list[dict]) -> list[dict]:
    used = sorted({(a["instrument_id"], a["instrument_version"]) for a in answers})
    found = []
    for instrument_id, version in used:
        try:
            found.append(dataclasses.asdict(get_instrument(instrument_id, version)))
        except InvalidAnswer:
            found.append({"id": instrument_id, "version": version, "missing": True})
    return found


def build(store: Store, *, with_coordinates: bool = False) -> dict[str, object]:
    """The journal as one JSON-ready document (``originals`` list their files, not bytes)."""
    rows = {table: store.table_rows(table) for table in ("laps", "series", "answers")}
    laps: dict[int, list[dict]] = defaultdict(list)
    for lap in rows["laps"]:
        laps[lap["run_id"]].append(record("laps", lap))
    series = {s["run_id"]: s for s in rows["series"]}
    by_checkin: dict[int, list[dict]] = defaultdict(list)
    by_wellbeing: dict[int, list[dict]] = defaultdict(list)
    for answer in rows["answers"]:
        slim = record("answers", answer)
        if answer["checkin_id"] is not None:
            by_checkin[answer["checkin_id"]].append(slim)
        else:
            by_wellbeing[answer["wellbeing_id"]].append(slim)
    originals = []
    if with_coordinates:
        for row in store.table_rows("originals"):
            file = original_file_name(row["id"], row["name"], row["format"])
            originals.append(record("originals", row, file=file))
    runs = []
    for run in store.table_rows("runs"):
        kept = series.get(run["id"])
        entry = record(
            "runs",
            run,
            laps=laps.get(run["id"], []),
            series=None if kept is None else _series_json(kept["data"], with_coordinates),
            edited_fields=json.loads(run["edited_fields"] or "[]"),
        )
        if not with_coordinates:
            entry["original_id"] = None
        runs.append(entry)
    replaced = [_replaced_record(r, with_coordinates) for r in store.table_rows("replaced_runs")]
    checkins = [
        record(
            "checkins", c, answers=by_checkin.get(c["id"], []), tags=json.loads(c["tags"] or "[]")
        )
        for c in store.table_rows("checkins")
    ]
    wellbeing = [
        record("wellbeing", w, answers=by_wellbeing.get(w["id"], []))
        for w in store.table_rows("wellbeing")
    ]
    moments = [
        record("moments", m, tags=json.loads(m["tags"] or "[]"))
        for m in store.table_rows("moments")
    ]
    batches = [
        record(
            "import_batches",
            b,
            summary=json.loads(b["summary_json"]) if b["summary_json"] else None,
        )
        for b in store.table_rows("import_batches")
    ]
    return {
        EXPORT_MARKER: EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "schema_version": store.schema_version(),
        "with_coordinates": with_coordinates,
        "settings": {
            s["key"]: s["value"]
            for s in store.table_rows("settings")
            if s["key"] not in LOCAL_SETTINGS
        },
        "instruments": _instruments(rows["answers"]),
        "import_batches": batches,
        "originals": originals,
        "runs": runs,
        "replaced_runs": replaced,
        "detached_runs": _records("detached_runs", store.table_rows("detached_runs")),
        "checkins": checkins,
        "wellbeing": wellbeing,
        "moments": moments,
        "reflections": _records("reflections", store.table_rows("reflections")),
        "drafts": _records("drafts", store.table_rows("drafts")),
        "hunches": _records("hunches", store.table_rows("hunches")),
    }


def _replaced_record(row: dict, with_coordinates: bool) -> dict[str, object]:
    """A run's data as it was before a richer copy replaced it (restored if that import goes)."""
    data = record("replaced_data", json.loads(row["run_json"]))
    if not with_coordinates and "original_id" in data:
        data["original_id"] = None
    blob = row["series_data"]
    return record(
        "replaced_runs",
        row,
        run=data,
        laps=[record("laps", lap) for lap in json.loads(row["laps_json"])],
        series=None if blob is None else _series_json(blob, with_coordinates),
    )


def _replaced_row(entry: dict) -> dict[str, object]:
    out = store_row("replaced_runs", entry, "run", "laps", "series")
    laps = [{"run_id": entry["run_id"], **store_row("laps", lap)} for lap in entry["laps"]]
    out.update(
        run_json=json.dumps(store_row("replaced_data", entry["run"])),
        laps_json=json.dumps(laps),
        series_codec=None,
        samples=None,
        series_data=None,
    )
    if entry.get("series") is not None:
        out["samples"], out["series_codec"], out["series_data"] = _series_blob(entry["series"])
    return out


def original_file_name(original_id: int, name: str | None, fmt: str) -> str:
    """``originals/<id>-<file name>``, with the name reduced to safe characters."""
    base = (name or "").replace("\\", "/").split("!")[-1].split("/")[-1]
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base).strip("._")
    if not safe:
        safe = f"activity.{fmt}"
    return f"originals/{original_id}-{safe[:80]}"


def to_rows(document: dict, read_original) -> dict[str, list[dict]]:
    """The store rows a (checked, current-version) document describes; ``read_original(path)``
    gives a file's bytes."""
    import hashlib
    import zlib

    tables: dict[str, list[dict]] = defaultdict(list)
    for key, value in document.get("settings", {}).items():
        if key not in LOCAL_SETTINGS:
            tables["settings"].append({"key": key, "value": value})
    for batch in document.get("import_batches", []):
        summary = batch.get("summary")
        entry = store_row("import_batches", batch, "summary")
        entry["summary_json"] = None if summary is None else json.dumps(summary, sort_keys=True)
        tables["import_batches"].append(entry)
    for meta in document.get("originals", []):
        data = read_original(meta["file"])
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise ExportProblem(text("export.checksum", name=meta["file"]))
        entry = store_row("originals", meta, "file")
        entry.update(codec="zlib", data=zlib.compress(data, 6))
        tables["originals"].append(entry)
    for run in document.get("runs", []):
        entry = store_row("runs", run, "laps", "series", "edited_fields", "track_uncropped")
        entry["edited_fields"] = json.dumps(list(run.get("edited_fields") or []))
        entry["track_uncropped"] = int(bool(run.get("track_uncropped")))
        tables["runs"].append(entry)
        for lap in run.get("laps") or []:
            tables["laps"].append({"run_id": run["id"], **store_row("laps", lap)})
        if run.get("series") is not None:
            samples, codec, blob = _series_blob(run["series"])
            tables["series"].append(
                {"run_id": run["id"], "samples": samples, "codec": codec, "data": blob}
            )
    tables["replaced_runs"] = [_replaced_row(e) for e in document.get("replaced_runs", [])]
    tables["detached_runs"] = [
        store_row("detached_runs", e) for e in document.get("detached_runs", [])
    ]
    for kind, parent in (("checkins", "checkin_id"), ("wellbeing", "wellbeing_id")):
        other = "wellbeing_id" if parent == "checkin_id" else "checkin_id"
        for entry in document.get(kind, []):
            kept = store_row(kind, entry, "answers", "tags")
            if kind == "checkins":
                kept["tags"] = json.dumps(list(entry.get("tags") or []))
            tables[kind].append(kept)
            for answer in entry.get("answers") or []:
                tables["answers"].append(
                    {**store_row("answers", answer), parent: entry["id"], other: None}
                )
    tables["answers"].sort(key=lambda a: a["id"])
    for moment in document.get("moments", []):
        entry = store_row("moments", moment, "tags")
        entry["tags"] = json.dumps(list(moment.get("tags", [])))
        tables["moments"].append(entry)
    for table in ("reflections", "drafts", "hunches"):
        tables[table].extend(store_row(table, entry) for entry in document.get(table, []))
    return dict(tables)
