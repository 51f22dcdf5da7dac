"""Garmin's account export: the activity files inside its nested ``UploadedFiles_*.zip``.

The export is told by its ``DI_CONNECT/`` folder or its ``UploadedFiles_*.zip`` members.
Only FIT, GPX and TCX files are candidates; the FIT reader itself skips the ones that hold
no activity (monitoring, settings). Everything else (JSON summaries, wellness and sleep
data, profile files) is counted and skipped.
"""

from __future__ import annotations

import fnmatch
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from innerpace.formats.errors import ParseError
from innerpace.importer.exports.tree import (
    ExportTree,
    is_activity_name,
    is_media_name,
    skipped_summary,
)
from innerpace.importer.limits import MAX_ARCHIVE_MEMBERS
from innerpace.importer.sources import Candidate, _member_reader, _raiser, expand

_UPLOADS = "uploadedfiles_*.zip"


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
    counts = {"summaries and account files": 0, "photos": 0, "non-activity files in uploads": 0}
    try:
        for name in tree.names:
            if _is_uploads(name):
                yield from _uploads(tree, name, counts)
            elif is_activity_name(name):
                yield from expand(tree.label(name), tree.reader(name))
            elif is_media_name(name):
                counts["photos"] += 1
            else:
                counts["summaries and account files"] += 1
        yield from skipped_summary(str(tree.path), counts)
    finally:
        tree.close()


def _uploads(tree: ExportTree, name: str, counts: dict[str, int]) -> Iterator[Candidate]:
    label = tree.label(name)
    try:
        inner = tree.nested_zip(name)
        infos = inner.infolist()
    except ParseError as exc:
        yield Candidate(label, _raiser(exc.for_source(label)))
        return
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        yield Candidate(label, _raiser(ParseError(f"zip archive is damaged ({exc})", label)))
        return
    with inner:
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            yield Candidate(label, _raiser(ParseError("zip archive has too many members", label)))
            return
        for info in infos:
            if info.is_dir():
                continue
            if not is_activity_name(info.filename):
                counts["non-activity files in uploads"] += 1
                continue
            member = f"{label}!{info.filename}"
            yield from expand(member, _member_reader(inner, info, member), 1)
