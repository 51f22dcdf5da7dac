"""Archives built to exhaust an importer, as an attack on innerpace used them (shared by the
tests and ``benchmarks/bench_archive_budget.py``)."""

from __future__ import annotations

import copy
import os
import zipfile
from pathlib import Path

MB = 1024 * 1024


def _member_chunk(seed: int = 7) -> bytes:
    """1 MB that deflates to about 6 KB: a little noise, then zeros, so each member passes a
    ratio check of 200."""
    noise = bytes((seed * 1103515245 + i * 12345) >> 8 & 0xFF for i in range(5200))
    return noise + bytes(MB - len(noise))


def overlapping_zip(path: Path, *, member_mb: int = 256, entries: int = 20) -> Path:
    """One member of ``member_mb`` MB, and ``entries`` central-directory entries all pointing at
    it: about 1.3 MB on disk, ``entries × member_mb`` MB unpacked."""
    chunk = _member_chunk()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("run-00.fit", "w", force_zip64=True) as member:
            for _ in range(member_mb):
                member.write(chunk)
        first = archive.filelist[0]
        for n in range(1, entries):
            twin = copy.copy(first)
            twin.filename = twin.orig_filename = f"run-{n:02d}.fit"
            archive.filelist.append(twin)
            archive.NameToInfo[twin.filename] = twin
    return path


def oversized_export(path: Path, *, unpacked_mb: int = 600) -> Path:
    """An innerpace export whose ``journal.json`` unpacks to ``unpacked_mb`` MB (about 579 KB
    on disk for 600 MB): a valid start, then spaces."""
    head = b'{"innerpace-export": 1, "runs": [], "padding": "'
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("journal.json", "w", force_zip64=True) as member,
    ):
        member.write(head)
        blank = b" " * MB
        for _ in range(unpacked_mb):
            member.write(blank)
        member.write(b'"}')
    return path


def cached(folder: Path, name: str, build) -> Path:
    """Build once per folder (they take a few seconds to write)."""
    path = folder / name
    if not path.exists():
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        build(tmp)
        os.replace(tmp, path)
    return path
