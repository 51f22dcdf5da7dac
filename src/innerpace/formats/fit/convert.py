"""Raw FIT field bytes to numbers, column-wise: invalid → NaN, scale and offset, degrees, times."""

from __future__ import annotations

import numpy as np

from innerpace.formats.fit import profile
from innerpace.formats.fit.decoder import Definition, FieldLayout


def block_dtype(definition: Definition) -> np.dtype:
    """A structured dtype laying out one data message of ``definition``."""
    names, formats, offsets = [], [], []
    for i, f in enumerate(definition.fields):
        if f.misaligned:
            continue
        base = f.base
        count = f.size // base.size
        if base.kind in "SB" or count > 1:
            fmt: object = (base.dtype(definition.big_endian), (count,))
        else:
            fmt = base.dtype(definition.big_endian)
        names.append(f"f{i}")
        formats.append(fmt)
        offsets.append(f.offset)
    return np.dtype(
        {"names": names, "formats": formats, "offsets": offsets, "itemsize": definition.size}
    )


def read_block(data: bytes, definition: Definition) -> np.ndarray:
    """Every data message of ``definition`` as one structured array, in file order."""
    dtype = block_dtype(definition)
    positions = definition.positions
    n = len(positions)
    if definition.size == 0 or not dtype.names:
        return np.zeros(n, dtype=np.dtype({"names": [], "formats": []}))
    first = int(positions[0])
    stride = int(positions[1]) - first if n > 1 else definition.size + 1
    evenly = int(positions[-1]) - first == stride * (n - 1) and stride > definition.size
    if evenly and (n < 3 or bool(np.all(np.diff(positions) == stride))):
        return np.ndarray((n,), dtype=dtype, buffer=data, offset=first, strides=(stride,))
    # gather plain byte strings (fast), then lay the fields over them
    windows = np.ndarray(
        (len(data) - definition.size + 1,),
        dtype=np.dtype(f"V{definition.size}"),
        buffer=data,
        offset=0,
        strides=(1,),
    )
    return windows[positions].view(dtype)


def _strings(raw: np.ndarray) -> np.ndarray:
    out = np.empty(len(raw), dtype=object)
    for i, row in enumerate(raw):
        text = row.tobytes().split(b"\0", 1)[0].decode("utf-8", errors="replace")
        out[i] = text or None
    return out


def _bytes(raw: np.ndarray) -> np.ndarray:
    values = raw.astype(np.float64)
    values[np.all(raw == 0xFF, axis=1)] = np.nan
    return values[:, 0] if values.shape[1] == 1 else values


def field_values(
    block: np.ndarray, index: int, layout: FieldLayout, spec: profile.FieldSpec | None
) -> np.ndarray:
    """Converted values of field ``index`` of a block: float64 (NaN = missing) or str objects."""
    if layout.misaligned:
        return np.full(len(block), np.nan)
    raw = block[f"f{index}"]
    base = layout.base
    if base.kind == "S":
        return _strings(raw)
    if base.kind == "B":
        return _bytes(raw)
    with np.errstate(invalid="ignore", over="ignore"):
        values = raw.astype(np.float64)
    if base.invalid is not None:
        values[raw == base.invalid] = np.nan
    if spec is not None:
        if spec.scale:
            values /= spec.scale
        if spec.offset:
            values -= spec.offset
        if spec.is_semicircles:
            values *= profile.SEMICIRCLE_DEG
        elif spec.type_name in ("date_time", "local_date_time"):
            values += profile.FIT_EPOCH_UNIX
    return values


def raw_bits(block: np.ndarray, index: int, layout: FieldLayout) -> np.ndarray | None:
    """A field's raw value as unsigned integers (bytes read little-endian), NaN-free, or None."""
    if layout.misaligned:
        return None
    raw = block[f"f{index}"]
    base = layout.base
    if base.kind == "B":
        width = min(raw.shape[1], 8)
        out = np.zeros(len(raw), dtype=np.uint64)
        for i in range(width - 1, -1, -1):
            out = (out << np.uint64(8)) | raw[:, i].astype(np.uint64)
        return out
    if base.kind in "ui" and raw.ndim == 1:
        return raw.astype(np.int64).astype(np.uint64)
    return None


def invalid_mask(block: np.ndarray, index: int, layout: FieldLayout) -> np.ndarray:
    raw = block[f"f{index}"]
    base = layout.base
    if layout.misaligned:
        return np.ones(len(block), dtype=bool)
    if base.kind == "B":
        return np.all(raw == 0xFF, axis=1)
    if base.invalid is not None and raw.ndim == 1:
        return raw == base.invalid
    return np.zeros(len(block), dtype=bool)


def unwrap_accumulated(values: np.ndarray, bits: int, segments: np.ndarray) -> np.ndarray:
    """Accumulate a rolling ``bits``-wide counter per chained file; NaN entries stay NaN."""
    out = np.full(len(values), np.nan)
    modulus = 1 << bits
    valid = ~np.isnan(values)
    for segment in np.unique(segments):
        chosen = np.flatnonzero((segments == segment) & valid)
        if not len(chosen):
            continue
        raw = values[chosen].astype(np.int64)
        steps = np.empty_like(raw)
        steps[0] = raw[0]
        steps[1:] = np.mod(np.diff(raw), modulus)
        out[chosen] = np.cumsum(steps)
    return out
