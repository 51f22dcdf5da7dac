"""Reading an innerpace export back: recognising it, and its document and files.

:func:`read_export` fits the importer's list of account-export readers: for anything that is
not an innerpace export it returns None; for an export it yields the kept original activity
files, byte for byte. A lossless restore into an empty journal goes through
:func:`load_export` instead (``innerpace import`` does that by itself).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from innerpace.export.model import EXPORT_MARKER, EXPORT_VERSION, ExportProblem
from innerpace.importer.sources import Candidate

MAX_DOCUMENT_BYTES = 1 << 30


@dataclass(frozen=True, slots=True)
class LoadedExport:
    """An export's ``journal.json`` and a way to read the files beside it."""

    source: Path
    document: dict
    read: Callable[[str], bytes]


def _safe(name: str) -> str:
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        raise ExportProblem(f"the export names an unsafe path {name!r}")
    return name


def _zip_root(archive: zipfile.ZipFile) -> str | None:
    for name in archive.namelist():
        if name == "journal.json" or (name.endswith("/journal.json") and name.count("/") == 1):
            return name[: -len("journal.json")]
    return None


def _looks_like_export(head: bytes) -> bool:
    return f'"{EXPORT_MARKER}"'.encode() in head[:4096]


def _open(path: Path) -> tuple[bytes, Callable[[str], bytes]] | None:
    """(journal.json bytes, file reader) when ``path`` is an export, else None."""
    path = Path(path)
    if path.is_dir():
        document = path / "journal.json"
        if not document.is_file():
            return None
        with open(document, "rb") as handle:
            if not _looks_like_export(handle.read(4096)):
                return None
        return document.read_bytes(), lambda name: (path / _safe(name)).read_bytes()
    if not (path.is_file() and path.suffix.lower() == ".zip" and zipfile.is_zipfile(path)):
        return None
    try:
        archive = zipfile.ZipFile(path)
        root = _zip_root(archive)
        if root is None:
            return None
        info = archive.getinfo(root + "journal.json")
        if info.file_size > MAX_DOCUMENT_BYTES:
            raise ExportProblem(f"{path}: journal.json is too large")
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if not _looks_like_export(data):
        return None
    return data, lambda name: archive.read(root + _safe(name))


def is_export(path: Path) -> bool:
    try:
        return _open(path) is not None
    except ExportProblem:
        return True


def load_export(path: Path) -> LoadedExport | None:
    """The export at ``path`` (folder or ``.zip``), or None when it is not one."""
    opened = _open(path)
    if opened is None:
        return None
    raw, read = opened
    try:
        document = json.loads(raw)
    except ValueError as exc:
        raise ExportProblem(f"{path}: journal.json cannot be read ({exc})") from None
    version = document.get(EXPORT_MARKER) if isinstance(document, dict) else None
    if not isinstance(version, int):
        raise ExportProblem(f"{path} is not an innerpace export")
    if version > EXPORT_VERSION:
        raise ExportProblem(f"{path} was written by a newer innerpace; please update")
    return LoadedExport(Path(path), document, read)


def read_export(path: Path) -> Iterator[Candidate] | None:
    """The original activity files inside an innerpace export, or None for anything else."""
    loaded = load_export(path)
    if loaded is None:
        return None

    def candidates() -> Iterator[Candidate]:
        for meta in loaded.document.get("originals", []):
            name = meta["file"]
            yield Candidate(f"{path}!{name}", lambda name=name: loaded.read(name), explicit=False)

    return candidates()
