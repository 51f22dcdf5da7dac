"""Walk FIT bytes: headers, definitions and data messages, keeping only where each message is.

The walk is the only per-message Python code: it notes each data message's offset in a list
belonging to its definition. Values are read later, column-wise (see :mod:`.messages`).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.fit import profile
from innerpace.formats.fit.crc import crc16, crc16_small

MAX_BYTES = 256 * 1024 * 1024
MAX_MESSAGES = 2_000_000
_HEADER_MAGIC = b".FIT"
_BASE_BY_BYTE = [profile.base_type(ident) for ident in range(256)]


class FieldLayout(NamedTuple):
    """One field of a definition: where it sits in the message and how to read it."""

    num: int
    offset: int
    size: int
    base: profile.BaseType
    misaligned: bool


@dataclass(slots=True, eq=False)
class Definition:
    """A definition message, shared by every identical redefinition in the file."""

    global_num: int
    big_endian: bool
    fields: tuple[FieldLayout, ...]
    size: int  # bytes of one data message, developer fields included, header excluded
    offsets: list[int] = field(default_factory=list)  # where each data message's payload starts
    compressed: bool = False  # some messages use a compressed-timestamp header
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))


@dataclass(slots=True)
class Walk:
    """What the walk found: definitions with their message offsets, segments, problems."""

    data: bytes
    definitions: list[Definition]
    segments: list[int]  # start of each chained FIT file
    warnings: list[ParseWarning]
    stop: str | None = None  # why decoding stopped early, to be completed with a record count


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ParseError(f"the gzip data is damaged ({exc})") from None
    if len(out) > MAX_BYTES:
        raise ParseError("the file is larger than 256 MB once uncompressed; refusing to read it")
    return out


def prepare(data: bytes) -> bytes:
    """The FIT bytes in ``data``, unpacking gzip and enforcing the size limit."""
    if len(data) > MAX_BYTES:
        raise ParseError("the file is larger than 256 MB; refusing to read it")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if not data:
        raise ParseError("the file is empty")
    return data


def _definition(
    data: bytes, p: int, end: int, header: int, known: dict[bytes, Definition]
) -> tuple[Definition, int]:
    """Read the definition message whose header byte is at ``p``; return it and where it ends."""
    if p + 6 > end:
        raise _Stop("truncated")
    arch = data[p + 2]
    if arch > 1:
        raise _Stop(f"the definition message at byte {p} is malformed (architecture byte {arch})")
    count = data[p + 5]
    q = p + 6 + 3 * count
    dev_count = 0
    if header & 0x20:
        if q + 1 > end:
            raise _Stop("truncated")
        dev_count = data[q]
        q += 1 + 3 * dev_count
    if q > end:
        raise _Stop("truncated")
    key = data[p + 2 : q]
    found = known.get(key)
    if found is not None:
        return found, q
    big = arch == 1
    global_num = struct.unpack_from(">H" if big else "<H", data, p + 3)[0]
    fields = []
    offset = 0
    raw = data[p + 6 : p + 6 + 3 * count]
    for num, size, ident in zip(raw[0::3], raw[1::3], raw[2::3], strict=True):
        if size:
            base = _BASE_BY_BYTE[ident]
            fields.append(FieldLayout(num, offset, size, base, size % base.size != 0))
        offset += size
    dev_start = p + 6 + 3 * count + 1
    offset += sum(data[dev_start + 1 : dev_start + 3 * dev_count : 3])
    definition = Definition(global_num, big, tuple(fields), offset)
    known[key] = definition
    return definition, q


_DEFINITION = -2
_UNDEFINED = -1
_CHUNK = 1 << 20  # bytes walked between two checks of the message limit
MAX_DEFINITIONS = 20_000


def _headers_of(local: int) -> list[int]:
    """Every record-header byte that names data messages of local type ``local``."""
    normal = [local | extra for extra in (0x00, 0x10, 0x20, 0x30)]
    if local < 4:
        normal += [0x80 | local << 5 | t for t in range(32)]
    return normal


_HEADERS = [_headers_of(local) for local in range(16)]
_FRESH_SIZES = [_DEFINITION if 0x40 <= h < 0x80 else _UNDEFINED for h in range(256)]


def _count(known: dict[bytes, Definition]) -> int:
    return sum(len(d.offsets) for d in known.values())


_RUN_PROBE = 64  # messages looked at per step when following a run of identical messages


def _run(data: bytes, p: int, end: int, stride: int, header: int, offsets: list[int]) -> int:
    """Take every message in a run of data messages with the same header byte, starting at
    ``p``; return where the run ends. Each step reads the header bytes of the next messages
    with one strided slice."""
    mark = bytes([header])
    n = len(data)
    probe = _RUN_PROBE
    while True:
        window = data[p : min(end, p + probe * stride) : stride]
        count = len(window) - len(window.lstrip(mark))
        count = min(count, (n - p) // stride)  # the last message must be whole
        if count <= 0:
            return p
        offsets.extend(range(p + 1, p + 1 + count * stride, stride))
        p += count * stride
        if count < len(window) or p >= end:
            return p
        probe *= 2


def _pairs(data: bytes, p: int, end: int, first: int, second: int, sizes: list, lists: list) -> int:
    """Like :func:`_run`, for two kinds of messages taking turns (records between HRV, …)."""
    step_first = sizes[first] + 1
    stride = step_first + sizes[second] + 1
    mark_first, mark_second = bytes([first]), bytes([second])
    n = len(data)
    probe = _RUN_PROBE
    while True:
        limit = min(end, p + probe * stride)
        firsts = data[p:limit:stride]
        seconds = data[p + step_first : limit : stride]
        count = min(
            len(firsts) - len(firsts.lstrip(mark_first)),
            len(seconds) - len(seconds.lstrip(mark_second)),
            (n - p) // stride,
        )
        if count <= 0:
            return p
        lists[first].extend(range(p + 1, p + 1 + count * stride, stride))
        lists[second].extend(range(p + step_first + 1, p + step_first + 1 + count * stride, stride))
        p += count * stride
        if count < len(firsts) or p >= end:
            return p
        probe *= 2


def walk(data: bytes) -> Walk:
    """Find every message in ``data`` (one or more chained FIT files)."""
    n = len(data)
    result = Walk(data, [], [], [])
    warnings = result.warnings
    known: dict[bytes, Definition] = {}
    pos = 0
    while pos < n:
        if n - pos < 12 or data[pos] < 12 or data[pos + 8 : pos + 12] != _HEADER_MAGIC:
            if not result.segments:
                raise ParseError("this is not a FIT file (no FIT header at its start)")
            warnings.append(
                ParseWarning(
                    f"the {n - pos:,} bytes after the FIT data at byte {pos} are not a FIT file; "
                    "ignored them"
                )
            )
            break
        header_size = data[pos]
        if pos + header_size > n:
            result.stop = f"file ends inside a FIT header at byte {n}"
            break
        if header_size >= 14:
            header_crc = data[pos + 12] | data[pos + 13] << 8
            if header_crc and header_crc != crc16_small(data[pos : pos + 12]):
                warnings.append(ParseWarning(f"the FIT header CRC at byte {pos} does not match"))
        declared_end = pos + header_size + int.from_bytes(data[pos + 4 : pos + 8], "little")
        sizeless = declared_end == pos + header_size and n - declared_end > 2
        if sizeless:
            # an unfinished recording: the size was never written
            warnings.append(
                ParseWarning(f"the FIT header at byte {pos} gives no data size; read to the end")
            )
            declared_end = n
        result.segments.append(pos)
        end = min(declared_end, n)
        sizes = list(_FRESH_SIZES)  # message size for each record-header byte
        appends: list = [None] * 256
        lists: list = [None] * 256
        before = 0x40  # header byte of the previous data message
        p = pos + header_size
        try:
            while p < end:
                chunk_end = min(end, p + _CHUNK)
                while p < chunk_end:
                    h = data[p]
                    size = sizes[h]
                    if size >= 0:
                        q = p + 1 + size
                        if q > n:
                            raise _Stop("truncated")
                        appends[h](p + 1)
                        p = q
                        if q < end:
                            following = data[q]
                            if following == h:
                                p = _run(data, q, end, size + 1, h, lists[h])
                            elif following == before and sizes[before] >= 0:
                                middle = q + sizes[before] + 1
                                if middle < end and data[middle] == h:
                                    p = _pairs(data, q, end, before, h, sizes, lists)
                        before = h
                    elif size == _DEFINITION:
                        d, p = _definition(data, p, n, h, known)
                        if lists[h & 0x0F] is d.offsets:
                            continue  # the same definition again
                        size, append = d.size, d.offsets.append
                        for header in _HEADERS[h & 0x0F]:
                            sizes[header] = size
                            appends[header] = append
                            lists[header] = d.offsets
                    else:
                        local = (h >> 5) & 3 if h & 0x80 else h & 0x0F
                        raise _Stop(f"a message at byte {p} uses local type {local}, never defined")
                if _count(known) > MAX_MESSAGES:
                    raise ParseError(
                        f"the file holds more than {MAX_MESSAGES:,} records; refusing to read it"
                    )
                if len(known) > MAX_DEFINITIONS:
                    raise ParseError("the file holds too many message definitions to be real")
        except _Stop as stop:
            if stop.reason == "truncated":
                result.stop = f"file ends in the middle of a record at byte {n}"
            else:
                result.stop = f"{stop.reason}; stopped there"
            break
        if p > declared_end:
            result.stop = (
                f"the FIT data runs past its declared end (byte {declared_end}) up to byte {p}; "
                "its CRC is missing"
            )
            break
        if declared_end > n:
            result.stop = f"file ends at byte {n}, before the end of its FIT data"
            break
        if sizeless:
            break
        if declared_end + 2 > n:
            warnings.append(ParseWarning(f"the file CRC is missing at byte {declared_end}"))
            break
        stored = data[declared_end] | data[declared_end + 1] << 8
        computed = crc16(memoryview(data)[pos:declared_end])
        if stored != computed:
            warnings.append(
                ParseWarning(
                    f"the file CRC at byte {declared_end} does not match "
                    f"(stored {stored:#06x}, computed {computed:#06x}); data kept"
                )
            )
        pos = declared_end + 2
    if _count(known) > MAX_MESSAGES:
        raise ParseError(f"the file holds more than {MAX_MESSAGES:,} records; refusing to read it")
    misfits = [(d, f) for d in known.values() for f in d.fields if f.misaligned and d.offsets]
    if misfits:
        d, f = misfits[0]
        warnings.append(
            ParseWarning(
                f"{len(misfits)} field(s) have a size that does not fit their type (message "
                f"{d.global_num} field {f.num}: {f.size} bytes of {f.base.name}); "
                "their values are left out"
            )
        )
    headers = np.frombuffer(data, dtype=np.uint8)
    for d in known.values():
        if d.offsets:
            d.positions = np.asarray(d.offsets, dtype=np.intp)
            d.compressed = bool((headers[d.positions - 1] & 0x80).any())
        result.definitions.append(d)
    return result
