"""Build small FIT files by hand for tests: headers, definitions, data messages, CRC."""

from __future__ import annotations

import struct

from innerpace.formats.fit.crc import crc16

FIT_EPOCH = 631065600

# base types
ENUM, SINT8, UINT8, SINT16, UINT16, SINT32, UINT32, STRING = (
    0x00,
    0x01,
    0x02,
    0x83,
    0x84,
    0x85,
    0x86,
    0x07,
)
BYTE = 0x0D


def fit_file(*messages: bytes, data_size: int | None = None, crc: bool = True) -> bytes:
    body = b"".join(messages)
    size = len(body) if data_size is None else data_size
    header = struct.pack("<BBHI4s", 14, 0x20, 2100, size, b".FIT")
    header += struct.pack("<H", crc16(header))
    out = header + body
    return out + struct.pack("<H", crc16(out)) if crc else out


def definition(
    local: int,
    global_num: int,
    fields: list[tuple[int, int, int]],
    *,
    big: bool = False,
    dev_fields: list[tuple[int, int, int]] | None = None,
) -> bytes:
    header = 0x40 | local | (0x20 if dev_fields else 0)
    out = bytes([header, 0, 1 if big else 0])
    out += struct.pack(">H" if big else "<H", global_num) + bytes([len(fields)])
    out += b"".join(bytes(f) for f in fields)
    if dev_fields:
        out += bytes([len(dev_fields)]) + b"".join(bytes(f) for f in dev_fields)
    return out


def data(local: int, payload: bytes) -> bytes:
    return bytes([local]) + payload


def compressed(local: int, time_offset: int, payload: bytes) -> bytes:
    return bytes([0x80 | local << 5 | time_offset]) + payload


def fit_time(unix: int) -> int:
    return unix - FIT_EPOCH


def semicircles(degrees: float) -> int:
    return round(degrees * 2**31 / 180.0)
