"""Where files come from: paths, folders (recursive), ``.gz`` and ``.zip`` (nested too).

Each file found becomes a :class:`Candidate` whose bytes are read only when asked for, so a
10-year archive is never unpacked to disk or held in memory at once.

This is the public face the account-export readers build on: :class:`Candidate`,
:func:`expand`, :func:`member_reader`, :func:`file_reader` and :func:`failing`. It imports
no export reader; :func:`walk` is handed them (``innerpace.importer.exports.READERS``).
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from innerpace.formats.errors import ParseError
from innerpace.formats.parsed import ParsedActivities
from innerpace.importer import budget as budgets
from innerpace.importer.limits import (
    MAX_ARCHIVE_DEPTH,
    MAX_ARCHIVE_MEMBERS,
    MAX_FILE_BYTES,
    MAX_MEMBER_RATIO,
)

ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Skip:
    """Files an export holds that are not imported: how many of one ``kind``, and why."""

    kind: str  # "photos", "routes", "account files", "non-activity files" …
    count: int
    reason: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One file to look at. ``name`` is a path, or ``archive.zip!inner/path`` inside archives.

    Account exports add what they know beyond the file: ``annotate`` receives the parsed
    activities and returns them with the export's words, feelings and names added. An
    activity that has no file at all (a manual Strava entry, an Apple Health workout) comes
    as ``parsed`` with ``identity``: a stable key that makes re-importing it a no-op.
    """

    name: str
    read: Callable[[], bytes]
    explicit: bool = False  # named by the user, not found by walking a folder or archive
    annotate: Callable[[ParsedActivities], ParsedActivities] | None = None
    parsed: Callable[[], ParsedActivities] | None = None
    identity: str | None = None
    skip: Skip | None = None  # not read at all: counted in the report by kind


def _bounded_gunzip(data: bytes, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, ValueError) as exc:
        raise ParseError(f"gzip data is damaged ({exc})", name) from None
    if len(out) > MAX_FILE_BYTES:
        raise ParseError(f"unpacks to more than {MAX_FILE_BYTES // 2**20} MB; not imported", name)
    return out


def read_file(path: Path, name: str) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ParseError(f"file is {size // 2**20} MB, over the {MAX_FILE_BYTES // 2**20} MB limit")
    return path.read_bytes()


def _zip_members(
    data: bytes, name: str, depth: int, explicit: bool, budget: budgets.Budget | None = None
) -> Iterator[Candidate]:
    budget = budget or budgets.Budget(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = budget.admit_zip(archive, name)
    except ParseError as exc:
        yield Candidate(name, _raiser(exc), explicit)
        return
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        yield Candidate(
            name, _raiser(ParseError(f"zip archive is damaged ({exc})", name)), explicit
        )
        return
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        yield Candidate(name, _raiser(ParseError("zip archive has too many members", name)), True)
        return
    for info in infos:
        if info.is_dir():
            continue
        inner = f"{name}!{info.filename}"
        read = budgets.attach(_member_reader(archive, info, inner), budget)
        yield from expand(inner, read, depth + 1, explicit=False)


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str):
    def read() -> bytes:
        if info.file_size > MAX_FILE_BYTES:
            raise ParseError(
                f"archive member unpacks to {info.file_size // 2**20} MB, over the limit", name
            )
        if info.compress_size and info.file_size / info.compress_size > MAX_MEMBER_RATIO:
            raise ParseError("archive member is compressed suspiciously well (a zip bomb?)", name)
        try:
            with archive.open(info) as stream:
                out = stream.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ParseError(f"archive member cannot be unpacked ({exc})", name) from None
        if len(out) > MAX_FILE_BYTES:
            raise ParseError("archive member unpacks past the size limit", name)
        return out

    return read


def _raiser(error: ParseError) -> Callable[[], bytes]:
    def read() -> bytes:
        raise error

    return read


def expand(
    name: str, read: Callable[[], bytes], depth: int = 0, *, explicit: bool = False
) -> Iterator[Candidate]:
    """Yield the activity-file candidates inside one file (itself, or an archive's members)."""
    lowered = name.lower()
    looks_archive = lowered.endswith((".zip", ".gz"))
    if not looks_archive:
        yield Candidate(name, read, explicit)
        return
    if depth > MAX_ARCHIVE_DEPTH:
        yield Candidate(name, _raiser(ParseError("archives nested too deeply", name)), explicit)
        return
    try:
        data = read()
    except ParseError as exc:
        yield Candidate(name, _raiser(exc.for_source(name)), explicit)
        return
    budget = budgets.budget_of(read, name)
    if data.startswith(ZIP_MAGIC):
        yield from _zip_members(data, name, depth, explicit, budget)
    elif data.startswith(GZIP_MAGIC):
        inner_name = name[:-3] if lowered.endswith(".gz") else name
        try:
            inner = _bounded_gunzip(data, name)
            budget.charge(len(inner))
        except ParseError as exc:
            yield Candidate(name, _raiser(exc), explicit)
            return
        yield from expand(
            inner_name, budgets.attach(lambda: inner, budget), depth + 1, explicit=explicit
        )
    else:
        yield Candidate(name, lambda: data, explicit)


#: A reader of one kind of whole-account export: the candidates inside ``path``, or None
#: when ``path`` is not its kind. The walker is handed its readers; it imports none.
ExportReader = Callable[[Path], "Iterator[Candidate] | None"]


def walk(paths: list[Path], readers: Sequence[ExportReader] = ()) -> Iterator[Candidate]:
    """Every candidate under ``paths``: account exports by the ``readers`` handed in (tried
    in order); other files as given, folders recursively in name order."""
    for path in paths:
        export = next((found for r in readers if (found := r(path)) is not None), None)
        if export is not None:
            yield from export
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for filename in sorted(files):
                    if filename.startswith("."):
                        continue
                    full = Path(root) / filename
                    yield from expand(str(full), _file_reader(full), explicit=False)
        elif path.exists():
            yield from expand(str(path), _file_reader(path), explicit=True)
        else:
            yield Candidate(
                str(path), _raiser(ParseError("no such file or folder", str(path))), True
            )


def _file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return read_file(path, str(path))
        except ParseError as exc:
            raise exc.for_source(str(path)) from None
        except OSError as exc:
            raise ParseError(f"cannot be read ({exc.strerror or exc})", str(path)) from None

    return read


# The names export readers build on.
member_reader = _member_reader
file_reader = _file_reader
failing = _raiser

__all__ = [
    "Candidate",
    "ExportReader",
    "Skip",
    "expand",
    "failing",
    "file_reader",
    "member_reader",
    "read_file",
    "walk",
]
