"""A budget per archive: how much it may unpack to and how many entries it may hold, nested
archives included, and a check of its layout before anything is unpacked.

A zip's central directory can point many entries at the same compressed bytes (Python's
``zipfile`` does not refuse that), so twenty entries of one 256 MB member each pass a
per-member ratio check and still unpack to 5 GB. :func:`check_zip` refuses overlapping and
duplicate entries from the directory alone, in microseconds; :class:`Budget` adds up what every
level of an archive declares, so a refusal comes before the first byte is inflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from innerpace.formats.errors import ParseError
from innerpace.importer.limits import MAX_ARCHIVE_MEMBERS
from innerpace.words import text

MAX_ARCHIVE_TOTAL_BYTES = 4 * 1024**3  # everything one archive unpacks to, nested ones included
MAX_ARCHIVE_ENTRIES = MAX_ARCHIVE_MEMBERS  # entries of one archive, nested ones included
_LOCAL_HEADER = 30  # fixed part of a zip local file header
_BUDGET_ATTR = "_innerpace_budget"


@dataclass
class Budget:
    """What one archive (with everything nested in it) has spent so far."""

    name: str
    max_bytes: int = MAX_ARCHIVE_TOTAL_BYTES
    max_entries: int = MAX_ARCHIVE_ENTRIES
    spent_bytes: int = 0
    entries: int = 0

    def charge(self, size: int, entries: int = 0) -> None:
        self.spent_bytes += max(0, size)
        self.entries += max(0, entries)
        if self.entries > self.max_entries:
            raise ParseError(
                text("importer.budget.too_many_entries", limit=f"{self.max_entries:,}"),
                self.name,
            )
        if self.spent_bytes > self.max_bytes:
            raise ParseError(
                text("importer.budget.too_large", gb=self.max_bytes // 1024**3), self.name
            )

    def admit_zip(self, archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
        """Check ``archive``'s layout and charge what it declares; returns its entries."""
        infos = archive.infolist()
        check_zip(archive, name, infos)
        self.charge(sum(i.file_size for i in infos if not i.is_dir()), len(infos))
        return infos


def _name_length(info: zipfile.ZipInfo) -> int:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8"))


def check_zip(
    archive: zipfile.ZipFile, name: str, infos: list[zipfile.ZipInfo] | None = None
) -> None:
    """Refuse a zip whose entries share or overlap their bytes, repeat a name, or reach past
    the central directory. Uses the central directory only: nothing is read or unpacked."""
    infos = archive.infolist() if infos is None else infos
    seen: set[str] = set()
    extents = []
    for info in infos:
        if info.filename in seen:
            raise ParseError(text("importer.budget.twice", name=repr(info.filename)), name)
        seen.add(info.filename)
        # The smallest the entry can be: its local header, its name, its compressed bytes.
        end = info.header_offset + _LOCAL_HEADER + _name_length(info) + info.compress_size
        extents.append((info.header_offset, end, info.filename))
    extents.sort()
    for (start, end, first), (next_start, _, second) in zip(extents, extents[1:], strict=False):
        if next_start < end:
            key = "importer.budget.same_bytes" if next_start == start else "importer.budget.overlap"
            raise ParseError(text(key, first=repr(first), second=repr(second)), name)
    directory = getattr(archive, "start_dir", None)
    if extents and isinstance(directory, int) and extents[-1][1] > directory:
        raise ParseError(text("importer.budget.past_end", name=repr(extents[-1][2])), name)


def attach(read: Callable[[], bytes], budget: Budget) -> Callable[[], bytes]:
    """Mark a member reader with the budget of the archive it comes from."""
    setattr(read, _BUDGET_ATTR, budget)
    return read


def budget_of(read: Callable[[], bytes], name: str) -> Budget:
    """The budget ``read``'s archive carries, or a fresh one for a top-level file."""
    found = getattr(read, _BUDGET_ATTR, None)
    return found if isinstance(found, Budget) else Budget(name)
