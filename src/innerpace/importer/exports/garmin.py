"""Garmin's account export: the activity files inside its nested ``UploadedFiles_*.zip``.

The export is told by its ``DI_CONNECT/`` folder or its ``UploadedFiles_*.zip`` members.
Real exports split the uploads into parts of a few hundred megabytes each; a part is walked
as a stream, member by member from its local headers, so no part is ever loaded or unpacked
whole, whatever its size. Only FIT, GPX and TCX files are candidates; the FIT reader itself
skips the ones that hold no activity (monitoring, settings). Everything else (JSON summaries,
wellness and sleep data, profile files) is counted by kind and skipped.
"""

from __future__ import annotations

import fnmatch
import posixpath
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from innerpace.formats.errors import ParseError
from innerpace.importer.exports.tree import (
    ExportTree,
    Skipped,
    is_activity_name,
    is_media_name,
)
from innerpace.importer.limits import MAX_ARCHIVE_MEMBERS, MAX_FILE_BYTES
from innerpace.importer.sources import Candidate, expand, failing

_UPLOADS = "uploadedfiles_*.zip"
_LOCAL = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"
_CHUNK = 1 << 20


def read_export(path: Path) -> Iterator[Candidate] | None:
    """The candidates of a Garmin account export (zip or folder), or None if it is not one."""
    tree = ExportTree.open(path)
    if tree is None:
        return None
    if not any(_is_garmin(name) for name in tree.names):
        tree.close()
        return None
    return _candidates(tree)


def _is_garmin(name: str) -> bool:
    """The export's own folder, at its top or one folder down (as unpacked)."""
    parts = name.split("/")
    return "DI_CONNECT" in parts[:2] or (_is_uploads(name) and len(parts) <= 4)


def _is_uploads(name: str) -> bool:
    return fnmatch.fnmatch(posixpath.basename(name).lower(), _UPLOADS)


def _candidates(tree: ExportTree) -> Iterator[Candidate]:
    skipped = Skipped(str(tree.path))
    try:
        for name in tree.names:
            if _is_uploads(name):
                yield from _uploads(tree, name, skipped)
            elif is_activity_name(name):
                yield from expand(tree.label(name), tree.reader(name))
            elif is_media_name(name):
                skipped.add("photos", "photos are not imported")
            else:
                skipped.add("account files", "summaries, wellness and profile data")
        yield from skipped.candidates()
    finally:
        tree.close()


def _uploads(tree: ExportTree, name: str, skipped: Skipped) -> Iterator[Candidate]:
    label = tree.label(name)
    try:
        with tree.stream(name) as stream:
            for inner, data in stream_members(stream, label):
                if data is None:
                    skipped.add("non-activity files", "not a FIT, GPX or TCX file")
                    continue
                member = f"{label}!{inner}"
                yield from expand(member, _constant(data), 1)
    except ParseError as exc:
        yield Candidate(label, failing(exc if exc.source else exc.for_source(label)))
    except (OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        yield Candidate(label, failing(ParseError(f"zip archive is damaged ({exc})", label)))


def _constant(data: bytes):
    return lambda: data


class _Pushback:
    """A forward-only stream that can take back bytes it read too far."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.back = b""

    def read(self, size: int) -> bytes:
        if self.back:
            out, self.back = self.back[:size], self.back[size:]
            if len(out) < size:
                out += self.stream.read(size - len(out))
            return out
        return self.stream.read(size)

    def exact(self, size: int) -> bytes:
        out = b""
        while len(out) < size:
            chunk = self.read(size - len(out))
            if not chunk:
                raise ParseError("zip archive is damaged: it ends in the middle of a member")
            out += chunk
        return out

    def unread(self, data: bytes) -> None:
        self.back = data + self.back


def stream_members(stream: IO[bytes], label: str) -> Iterator[tuple[str, bytes | None]]:
    """Each member of a zip read front to back: ``(name, bytes)`` for activity files,
    ``(name, None)`` for the others (passed over without being kept). Needs no seeking,
    so a part of any size is read through once."""
    source = _Pushback(stream)
    count = 0
    while True:
        signature = source.read(4)
        if signature != _LOCAL:
            return  # the central directory, or the end
        count += 1
        if count > MAX_ARCHIVE_MEMBERS:
            raise ParseError("zip archive has too many members", label)
        fixed = source.exact(26)
        _, flags, method, _, _, _, csize, usize, name_len, extra_len = struct.unpack(
            "<HHHHHIIIHH", fixed
        )
        raw_name = source.exact(name_len)
        extra = source.exact(extra_len)
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        zip64 = False
        if 0xFFFFFFFF in (csize, usize):
            csize, usize, zip64 = *_zip64_sizes(extra, csize, usize), True
        wanted = is_activity_name(name) and not name.endswith("/")
        if flags & 1:
            raise ParseError(f"{name} is encrypted; not imported", label)
        if method not in (0, 8):
            raise ParseError(f"{name} uses a compression this reader does not know", label)
        streamed = bool(flags & 8)
        if streamed and method == 0:
            raise ParseError(f"{name} is stored with no size; it cannot be read as a stream", label)
        if method == 8:
            data = _inflate(source, None if streamed else csize, wanted, name, label)
        else:
            data = _stored(source, csize, wanted, name, label)
        if streamed:
            _skip_descriptor(source, zip64)
        yield name, data if wanted else None


def _zip64_sizes(extra: bytes, csize: int, usize: int) -> tuple[int, int]:
    offset = 0
    while offset + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + size]
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{len(body) // 8}Q", body))
            if usize == 0xFFFFFFFF and values:
                usize = values.pop(0)
            if csize == 0xFFFFFFFF and values:
                csize = values.pop(0)
            break
        offset += 4 + size
    return csize, usize


def _stored(source: _Pushback, size: int, keep: bool, name: str, label: str) -> bytes | None:
    if keep and size > MAX_FILE_BYTES:
        raise ParseError(f"{name} is over the size limit", label)
    if keep:
        return source.exact(size)
    left = size
    while left:
        left -= len(source.exact(min(left, _CHUNK)))
    return None


def _inflate(
    source: _Pushback, size: int | None, keep: bool, name: str, label: str
) -> bytes | None:
    """Inflate one member; ``size`` None means "until the deflate stream ends"."""
    inflater = zlib.decompressobj(-15)
    out: list[bytes] = []
    total = 0
    left = size
    while not inflater.eof:
        want = _CHUNK if left is None else min(left, _CHUNK)
        if want == 0:
            break
        chunk = source.read(want)
        if not chunk:
            raise ParseError(f"{name} ends early", label)
        if left is not None:
            left -= len(chunk)
        piece = inflater.decompress(chunk, MAX_FILE_BYTES + 1 - total if keep else _CHUNK * 64)
        while True:
            total += len(piece)
            if keep:
                if total > MAX_FILE_BYTES:
                    raise ParseError(f"{name} unpacks past the size limit", label)
                out.append(piece)
            if not inflater.unconsumed_tail:
                break
            piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK * 64)
    if inflater.unused_data:
        source.unread(inflater.unused_data)
    if left:
        _stored(source, left, False, name, label)
    return b"".join(out) if keep else None


def _skip_descriptor(source: _Pushback, zip64: bool) -> None:
    head = source.exact(4)
    body = 16 if zip64 else 8
    if head == _DESCRIPTOR:
        source.exact(4 + body)
    else:
        source.exact(body)  # the crc was ``head``
