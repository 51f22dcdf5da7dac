"""The FIT CRC (CRC-16/ARC), computed block-wise with numpy.

The CRC is linear over GF(2): every byte adds its own contribution, shifted by the number of
bytes that follow it. Contributions within a block come from one table lookup each; blocks are
then chained with a two-table shift, one Python step per block.
"""

from __future__ import annotations

from functools import cache

import numpy as np

_BLOCK = 256


def _byte_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint16)
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[i] = crc
    return table


_TABLE = _byte_table()


def _shift(values: np.ndarray) -> np.ndarray:
    """Feed one zero byte into each CRC register in ``values``."""
    return (values >> 8) ^ _TABLE[values & 0xFF]


@cache
def _tables() -> tuple[np.ndarray, list[int], list[int]]:
    # contrib[r, b]: contribution of byte b at position r of a block, as seen at the block's end
    contrib = np.empty((_BLOCK, 256), dtype=np.uint16)
    row = _TABLE.copy()
    for r in range(_BLOCK - 1, -1, -1):
        contrib[r] = row
        row = _shift(row)
    # shifting a register by a whole block of zero bytes, split by low and high byte
    lo = np.arange(256, dtype=np.uint16)
    hi = lo << 8
    for _ in range(_BLOCK):
        lo = _shift(lo)
        hi = _shift(hi)
    return contrib.reshape(-1), lo.tolist(), hi.tolist()


def crc16_small(data: bytes | memoryview, crc: int = 0) -> int:
    table = _TABLE
    for byte in data:
        crc = (crc >> 8) ^ int(table[(crc ^ byte) & 0xFF])
    return crc


def crc16(data: bytes | memoryview) -> int:
    """CRC-16/ARC of ``data`` as FIT computes it (initial value 0)."""
    n = len(data)
    if n < 2 * _BLOCK:
        return crc16_small(data)
    contrib, shift_lo, shift_hi = _tables()
    head = n % _BLOCK
    crc = crc16_small(data[:head])
    blocks = np.frombuffer(data, dtype=np.uint8, offset=head).reshape(-1, _BLOCK)
    index = blocks.astype(np.uint16)
    index |= np.arange(0, _BLOCK * 256, 256, dtype=np.uint16)
    parts = np.bitwise_xor.reduce(contrib.take(index), axis=1).tolist()
    for part in parts:
        crc = shift_lo[crc & 0xFF] ^ shift_hi[crc >> 8] ^ part
    return crc
