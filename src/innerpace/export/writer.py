"""Writing the open export to a folder or a ``.zip``, atomically.

Everything is written under a temporary name in the target's own folder, synced, then renamed:
an interrupted export leaves no half-written file where the finished one would be.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from innerpace.export.mapping import CSV_COLUMNS
from innerpace.export.model import ExportProblem, build
from innerpace.store import Store
from innerpace.words import text

CSV_TABLES = ("runs", "checkins", "answers", "moments", "reflections", "wellbeing")


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will show as text: one starting like a formula (``=``, ``+``,
    ``-``, ``@``, tab, carriage return) gets a leading ``'``, as OWASP's CSV-injection advice
    says. Only the CSV files do this; ``journal.json`` keeps the exact text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: object) -> object:
    if isinstance(value, list | dict):
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False))
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return "" if value is None else value


def _csv_files(document: dict, store: Store) -> dict[str, str]:
    answers = []
    for kind, parent in (("checkins", "checkin_id"), ("wellbeing", "wellbeing_id")):
        for entry in document[kind]:
            answers.extend({**a, parent: entry["id"]} for a in entry["answers"])
    answers.sort(key=lambda a: a["id"])
    rows = {
        "runs": [
            {k: v for k, v in r.items() if k not in ("laps", "series")} for r in document["runs"]
        ],
        "checkins": [{k: v for k, v in c.items() if k != "answers"} for c in document["checkins"]],
        "answers": answers,
        "moments": document["moments"],
        "reflections": document["reflections"],
        "wellbeing": [
            {k: v for k, v in w.items() if k != "answers"} for w in document["wellbeing"]
        ],
    }
    return {f"{t}.csv": _csv_text(rows[t], list(CSV_COLUMNS[t])) for t in CSV_TABLES}


def _day(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def _front_matter_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _reflection_files(document: dict) -> dict[str, str]:
    files: dict[str, str] = {}
    for reflection in document["reflections"]:
        day = reflection.get("day") or _day(reflection["created_ts"])
        about = f"run-{reflection['run_id']}" if reflection.get("run_id") else "day"
        name = f"reflections/{day}-{about}.md"
        if name in files:
            name = f"reflections/{day}-{about}-{reflection['id']}.md"
        meta = {
            "id": reflection["id"],
            "run": reflection.get("run_id"),
            "day": day,
            "created": datetime.fromtimestamp(reflection["created_ts"], UTC).isoformat(),
            "prompt": reflection.get("prompt_id"),
            "private": bool(reflection.get("private")),
            "origin": reflection.get("origin"),
        }
        lines = ["---", *(f"{k}: {_front_matter_value(v)}" for k, v in meta.items()), "---", ""]
        files[name] = "\n".join(lines) + reflection["text"].rstrip("\n") + "\n"
    return files


def export_files(
    store: Store, *, with_coordinates: bool = False
) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every file of the export as (relative path, bytes producer)."""
    document = build(store, with_coordinates=with_coordinates)
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    yield "journal.json", lambda: text.encode("utf-8")
    for name, body in _csv_files(document, store).items():
        yield name, lambda body=body: body.encode("utf-8")
    for name, body in _reflection_files(document).items():
        yield name, lambda body=body: body.encode("utf-8")
    for meta in document["originals"]:
        original = store.original_file(meta["id"])
        if original is None:
            continue
        data = original[2]
        yield meta["file"], lambda data=data: data
    readme = (
        "This folder is an innerpace journal export (open formats).\n"
        "journal.json holds everything; the CSV files hold the main tables; reflections/ holds\n"
        "your words as Markdown. `innerpace import` restores it into an empty journal.\n"
    )
    yield "README.txt", lambda: readme.encode("utf-8")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_folder(target: Path, files: Iterator[tuple[str, Callable[[], bytes]]]) -> Path:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportProblem(text("export.target_exists", path=target))
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    temp.mkdir(mode=0o700)
    try:
        folders = {temp}
        for name, produce in files:
            path = temp / name
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            folders.add(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(produce())
                handle.flush()
                os.fsync(handle.fileno())
        for folder in folders:
            _fsync(folder)
        if target.exists():
            target.rmdir()
        os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _fsync(target.parent)
    return target


def _write_zip(target: Path, files: Iterator[tuple[str, Callable[[], bytes]]]) -> Path:
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, produce in files:
                    archive.writestr(name, produce())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync(target.parent)
    return target


def write_export(store: Store, out: Path, *, with_coordinates: bool = False) -> Path:
    """Write the export to ``out``: a new (or empty) folder, or a file ending in ``.zip``."""
    out = Path(out).expanduser()
    if not out.parent.is_dir():
        raise ExportProblem(text("export.no_folder", folder=out.parent))
    files = export_files(store, with_coordinates=with_coordinates)
    if out.suffix.lower() == ".zip":
        return _write_zip(out, files)
    return _write_folder(out, files)
