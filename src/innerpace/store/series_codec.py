"""A compact, compressed encoding of a run's sample series (columns, little-endian, zlib)."""

from __future__ import annotations

import struct
import sys
import zlib
from array import array

from innerpace.domain.activity import SERIES_CHANNELS, Series

CODEC = "ipz1"
_MAGIC = b"IPS1"
# Coordinates need float64; every other channel is well inside float32's precision.
_TYPECODES = {"lat": "d", "lon": "d"}


def _typecode(channel: str) -> str:
    return _TYPECODES.get(channel, "f")


def encode(series: Series) -> bytes:
    parts = [_MAGIC, struct.pack("<I", len(series))]
    for channel in SERIES_CHANNELS:
        column = array(_typecode(channel), getattr(series, channel))
        if sys.byteorder == "big":
            column.byteswap()
        parts.append(column.tobytes())
    return zlib.compress(b"".join(parts), 6)


def decode(blob: bytes) -> Series:
    raw = zlib.decompress(blob)
    if raw[:4] != _MAGIC:
        raise ValueError("stored series has an unknown encoding")
    (n,) = struct.unpack_from("<I", raw, 4)
    offset = 8
    columns = {}
    for channel in SERIES_CHANNELS:
        column = array(_typecode(channel))
        size = n * column.itemsize
        column.frombytes(raw[offset : offset + size])
        if sys.byteorder == "big":
            column.byteswap()
        offset += size
        columns[channel] = array("d", column)
    return Series(**columns)
