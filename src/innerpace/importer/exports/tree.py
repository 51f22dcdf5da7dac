"""An account export seen as one tree of members, whether it came as a zip or a folder.

Members are read one at a time and only when asked for, within the same limits as any
other archive; nothing is unpacked to disk.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from innerpace.formats.errors import ParseError
from innerpace.importer.limits import MAX_ARCHIVE_MEMBERS, MAX_FILE_BYTES, MAX_MEMBER_RATIO
from innerpace.importer.sources import ZIP_MAGIC, Candidate, Skip, file_reader, member_reader

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
MEDIA_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".heic",
    ".webp",
    ".mp4",
    ".mov",
    ".m4v",
    ".avi",
)


def is_activity_name(name: str) -> bool:
    """Whether a member's name says it is an activity file (content still decides later)."""
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def is_media_name(name: str) -> bool:
    return name.lower().endswith(MEDIA_SUFFIXES)


class ExportTree:
    """The files of a zip archive or a folder, by relative ``/``-separated path."""

    def __init__(self, path: Path, archive: zipfile.ZipFile | None, names: list[str]) -> None:
        self.path = path
        self.archive = archive
        self.names = names
        self._infos = (
            {info.filename: info for info in archive.infolist()} if archive is not None else {}
        )

    @classmethod
    def open(cls, path: Path) -> ExportTree | None:
        """The tree at ``path``, or None when it is neither a folder nor a readable zip."""
        if path.is_dir():
            names = []
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for filename in sorted(files):
                    if not filename.startswith("."):
                        names.append((Path(root) / filename).relative_to(path).as_posix())
            return cls(path, None, names)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as handle:
                if handle.read(4) != ZIP_MAGIC:
                    return None
            archive = zipfile.ZipFile(path)
            infos = archive.infolist()
        except (OSError, zipfile.BadZipFile, ValueError, EOFError):
            return None
        if len(infos) > MAX_ARCHIVE_MEMBERS or not _layout_ok(archive, path, infos):
            archive.close()
            return None  # the walker then refuses it with the reason
        return cls(path, archive, [i.filename for i in infos if not i.is_dir()])

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def label(self, name: str) -> str:
        """How a member is named in reports: ``export.zip!inner/path`` or a file path."""
        if self.archive is not None:
            return f"{self.path}!{name}"
        return str(self.path / name)

    def __contains__(self, name: str) -> bool:
        return name in self._infos if self.archive is not None else (self.path / name).is_file()

    def reader(self, name: str) -> Callable[[], bytes]:
        """Read one member, bounded like every other archive member."""
        if self.archive is not None:
            return member_reader(self.archive, self._infos[name], self.label(name))
        return file_reader(self.path / name)

    def stream(self, name: str) -> IO[bytes]:
        """A binary stream over one member, for documents too big to hold in memory."""
        if self.archive is not None:
            return self.archive.open(self._infos[name])
        return (self.path / name).open("rb")

    def head(self, name: str, size: int = 4096) -> bytes:
        try:
            with self.stream(name) as stream:
                return stream.read(size)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
            return b""

    def nested_zip(self, name: str) -> zipfile.ZipFile:
        """Open a zip stored inside this tree, without unpacking it to a named file."""
        if self.archive is None:
            return zipfile.ZipFile(self.path / name)
        info = self._infos[name]
        if info.compress_size and info.file_size / info.compress_size > MAX_MEMBER_RATIO:
            raise ParseError("archive member is compressed suspiciously well (a zip bomb?)")
        if info.compress_type == zipfile.ZIP_STORED:
            return zipfile.ZipFile(self.archive.open(info))  # seekable without unpacking
        if info.file_size > MAX_FILE_BYTES:
            raise ParseError(
                f"inner archive unpacks to {info.file_size // 2**20} MB, over the limit"
            )
        return zipfile.ZipFile(_spooled(self.archive.open(info)))


def _layout_ok(archive: zipfile.ZipFile, path: Path, infos: list[zipfile.ZipInfo]) -> bool:
    from innerpace.importer.budget import check_zip

    try:
        check_zip(archive, str(path), infos)
    except ParseError:
        return False
    return True


def _spooled(stream: IO[bytes]) -> IO[bytes]:
    """A compressed inner zip, unpacked in memory (at most ``MAX_FILE_BYTES``): never to the
    system's temporary folder, where it would outlive a kill in plain form."""
    spool = io.BytesIO()
    with stream:
        while chunk := stream.read(2**20):
            spool.write(chunk)
            if spool.tell() > MAX_FILE_BYTES:
                raise ParseError("inner archive unpacks past the size limit")
    spool.seek(0)
    return spool  # type: ignore[return-value]


class Skipped:
    """What an export holds besides activities, counted by kind, each kind with its reason.

    Each kind reaches the import report as one skipped entry carrying its count, so the
    person reads "412 photos: photos and videos are not imported", never "1 skipped".
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.counts: dict[str, int] = {}
        self.reasons: dict[str, str] = {}

    def add(self, kind: str, reason: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n
        self.reasons.setdefault(kind, reason)

    def candidates(self) -> Iterator[Candidate]:
        for kind, count in sorted(self.counts.items()):
            if count:
                skip = Skip(kind, count, self.reasons[kind])
                yield Candidate(f"{self.label} ({kind})", _nothing, skip=skip)


def _nothing() -> bytes:
    return b""
