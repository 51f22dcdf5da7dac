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

from innerpace.export.mapping import EXPORT_MARKER, ExportProblem, upgrade
from innerpace.formats.errors import ParseError
from innerpace.importer.budget import Budget
from innerpace.importer.limits import MAX_FILE_BYTES, MAX_MEMBER_RATIO
from innerpace.importer.sources import Candidate
from innerpace.words import text

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
        raise ExportProblem(text("export.unsafe_path", name=repr(name)))
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
        if document.stat().st_size > MAX_DOCUMENT_BYTES:
            raise ExportProblem(text("export.document_too_large", path=path))
        return document.read_bytes(), lambda name: _read_file(path, name)
    if not (path.is_file() and path.suffix.lower() == ".zip" and zipfile.is_zipfile(path)):
        return None
    try:
        archive = zipfile.ZipFile(path)
        root = _zip_root(archive)
        if root is None:
            return None
        budget = Budget(str(path))
        try:
            budget.admit_zip(archive, str(path))
        except ParseError as exc:
            raise ExportProblem(f"{path}: {exc.reason}") from None
        info = archive.getinfo(root + "journal.json")
        _check_member(path, info, MAX_DOCUMENT_BYTES)
        with archive.open(info) as stream:
            if not _looks_like_export(stream.read(4096)):
                return None
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError):
        return None
    return data, lambda name: _read_member(path, archive, root + _safe(name))


def _read_file(folder: Path, name: str) -> bytes:
    target = folder / _safe(name)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise ExportProblem(text("export.file_too_large", path=folder, name=name))
        return target.read_bytes()
    except OSError as exc:
        raise ExportProblem(
            text("export.file_unreadable", path=folder, name=name, reason=exc.strerror or exc)
        ) from None


def _check_member(path: Path, info: zipfile.ZipInfo, limit: int) -> None:
    """Refuse a member before unpacking it: too large, or compressed suspiciously well."""
    if info.file_size > limit:
        raise ExportProblem(
            text(
                "export.member_too_large",
                path=path,
                name=info.filename,
                mb=info.file_size // 2**20,
                limit_mb=limit // 2**20,
            )
        )
    if info.compress_size and info.file_size / info.compress_size > MAX_MEMBER_RATIO:
        raise ExportProblem(text("export.zip_bomb", path=path, name=info.filename))


def _read_member(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ExportProblem(text("export.member_missing", path=path, name=name)) from None
    _check_member(path, info, MAX_FILE_BYTES)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ExportProblem(
            text("export.member_unpackable", path=path, name=name, reason=exc)
        ) from None


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
    except (ValueError, RecursionError) as exc:
        raise ExportProblem(text("export.document_unreadable", path=path, reason=exc)) from None
    try:
        document = upgrade(document)
    except ExportProblem as exc:
        raise ExportProblem(f"{path}: {exc}") from None
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
