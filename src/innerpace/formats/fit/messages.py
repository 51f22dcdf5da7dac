"""Decoded FIT messages, column-wise: one :class:`MessageTable` per message type."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.fit import profile
from innerpace.formats.fit.convert import (
    field_values,
    invalid_mask,
    raw_bits,
    read_block,
    unwrap_accumulated,
)
from innerpace.formats.fit.decoder import Definition, Walk


class _Blocks:
    """Structured arrays per definition, read once, shared by every table of a file."""

    def __init__(self, walk: Walk) -> None:
        self.data = walk.data
        self.segments = np.asarray(walk.segments, dtype=np.int64)
        self._blocks: dict[int, np.ndarray] = {}
        self._compressed: dict[int, np.ndarray] | None = None
        self._definitions = walk.definitions

    def block(self, definition: Definition) -> np.ndarray:
        key = id(definition)
        found = self._blocks.get(key)
        if found is None:
            found = self._blocks[key] = read_block(self.data, definition)
        return found

    def segment_of(self, offsets: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.segments, offsets, side="right") - 1

    def compressed_times(self, definition: Definition) -> np.ndarray:
        """Unix times of this definition's compressed-timestamp messages (NaN for the others)."""
        if self._compressed is None:
            self._compressed = self._resolve_compressed()
        return self._compressed[id(definition)]

    def _resolve_compressed(self) -> dict[int, np.ndarray]:
        header_bytes = np.frombuffer(self.data, dtype=np.uint8)
        offs, kinds, vals, owners = [], [], [], []
        for d in self._definitions:
            if not d.offsets:
                continue
            where = d.positions
            ts = _timestamp_index(d)
            if ts is not None:
                raw = self.block(d)[f"f{ts}"].astype(np.int64)
                ok = raw != 0xFFFFFFFF
                offs.append(where[ok])
                kinds.append(np.zeros(int(ok.sum()), dtype=np.int8))
                vals.append(raw[ok])
            elif d.compressed:
                headers = header_bytes[where - 1]
                packed = (headers & 0x80) != 0
                offs.append(where[packed])
                kinds.append(np.ones(int(packed.sum()), dtype=np.int8))
                vals.append((headers[packed] & 0x1F).astype(np.int64))
                owners.append(d)
        result: dict[int, np.ndarray] = {
            id(d): np.full(len(d.offsets), np.nan) for d in self._definitions
        }
        if not owners:
            return result
        all_offs = np.concatenate(offs)
        order = np.argsort(all_offs, kind="stable")
        all_offs = all_offs[order].tolist()
        all_kinds = np.concatenate(kinds)[order].tolist()
        all_vals = np.concatenate(vals)[order].tolist()
        starts = self.segments.tolist()[1:] + [math.inf]
        next_start = starts[0]
        si = 0
        acc = 0
        found: dict[int, float] = {}
        for off, kind, val in zip(all_offs, all_kinds, all_vals, strict=True):
            while off >= next_start:
                si += 1
                next_start = starts[si]
                acc = 0
            if kind == 0:
                acc = val
            else:
                base = val + (acc & ~0x1F)
                if val < (acc & 0x1F):
                    base += 0x20
                acc = base
                found[off] = float(acc + profile.FIT_EPOCH_UNIX)
        for d in owners:
            result[id(d)] = np.array([found.get(o, np.nan) for o in d.offsets])
        return result


def _timestamp_index(definition: Definition) -> int | None:
    for i, f in enumerate(definition.fields):
        plain = not f.misaligned and f.base.kind in "ui" and f.size == f.base.size
        if f.num == profile.FIELD_TIMESTAMP and plain:
            return i
    return None


class MessageTable:
    """Every message of one type, in file order; ``column(name)`` gives converted values.

    Numbers are float64 with NaN for missing values, in the profile's units after scale and
    offset; positions are degrees; times are Unix seconds. Strings are ``str`` objects.
    """

    def __init__(
        self, num: int, definitions: list[Definition], blocks: _Blocks | None = None
    ) -> None:
        self.num = num
        self.spec = profile.message_spec(num)
        self.name = self.spec.name if self.spec else f"unknown_{num}"
        self._defs = [d for d in definitions if d.offsets]
        self._blocks = blocks
        self._cache: dict[str, np.ndarray | None] = {}
        self._names: dict[int, dict[str, int]] = {}
        if self._defs:
            offsets = np.concatenate([d.positions for d in self._defs])
        else:
            offsets = np.zeros(0, dtype=np.intp)
        self._order = np.argsort(offsets, kind="stable") if len(self._defs) > 1 else None
        self.offsets = offsets if self._order is None else offsets[self._order]

    def __len__(self) -> int:
        return len(self.offsets)

    def _field_name(self, num: int) -> str:
        if self.spec is not None:
            spec = self.spec.fields.get(num)
            if spec is not None:
                return spec.name
        return f"unknown_{num}"

    def _names_of(self, d: Definition) -> dict[str, int]:
        found = self._names.get(id(d))
        if found is None:
            found = {}
            for i, f in enumerate(d.fields):
                found.setdefault(self._field_name(f.num), i)
            self._names[id(d)] = found
        return found

    def _field_spec(self, num: int) -> profile.FieldSpec | None:
        return self.spec.fields.get(num) if self.spec is not None else None

    @property
    def field_names(self) -> list[str]:
        names: dict[str, None] = {}
        for d in self._defs:
            for f in d.fields:
                names[self._field_name(f.num)] = None
                spec = self._field_spec(f.num)
                for c in spec.components if spec else ():
                    names[c.name] = None
        if any(d.compressed for d in self._defs):
            names["timestamp"] = None
        return list(names)

    def __contains__(self, name: str) -> bool:
        return name in self.field_names

    def column(self, name: str) -> np.ndarray | None:
        """Values of field ``name`` for every message; None when no message has the field."""
        if name not in self._cache:
            try:
                built = self._build(name)
                if built is not None:
                    built.flags.writeable = False  # shared: callers copy before changing
                self._cache[name] = built
            except ParseError:
                raise
            except Exception as exc:
                raise ParseError(
                    f"the {self.name} field {name!r} could not be read ({type(exc).__name__})"
                ) from exc
        return self._cache[name]

    def columns(self) -> dict[str, np.ndarray]:
        return {name: col for name in self.field_names if (col := self.column(name)) is not None}

    def _build(self, name: str) -> np.ndarray | None:
        assert self._blocks is not None or not self._defs
        parts: list[np.ndarray] = []
        found = False
        accumulate: tuple[int, float | None, float | None] | None = None
        for d in self._defs:
            block = self._blocks.block(d)  # type: ignore[union-attr]
            part = None
            i = self._names_of(d).get(name)
            if i is not None:
                f = d.fields[i]
                part = field_values(block, i, f, self._field_spec(f.num))
            if part is None and name == "timestamp" and d.compressed:
                part = self._blocks.compressed_times(d)  # type: ignore[union-attr]
            if part is None:
                part, acc = self._component(block, d, name)
                if acc is not None:
                    accumulate = acc
            if part is None:
                part = np.full(len(d.offsets), np.nan)
            else:
                found = True
            parts.append(part)
        if not found:
            return None
        column = _join(parts)
        if self._order is not None:
            column = column[self._order]
        if accumulate is not None:
            bits, scale, offset = accumulate
            column = unwrap_accumulated(
                column,
                bits,
                self._blocks.segment_of(self.offsets),  # type: ignore[union-attr]
            )
            if scale:
                column /= scale
            if offset:
                column -= offset
        return column

    def _component(
        self, block: np.ndarray, d: Definition, name: str
    ) -> tuple[np.ndarray | None, tuple[int, float | None, float | None] | None]:
        for i, f in enumerate(d.fields):
            spec = self._field_spec(f.num)
            if spec is None:
                continue
            for c in spec.components:
                if c.name != name:
                    continue
                bits = raw_bits(block, i, f)
                if bits is None:
                    return None, None
                if f.base.kind == "B" and c.bit_offset >= 8 * min(f.size, 8):
                    return None, None
                mask = np.uint64((1 << c.bits) - 1)
                raw = ((bits >> np.uint64(c.bit_offset)) & mask).astype(np.float64)
                raw[invalid_mask(block, i, f)] = np.nan
                if c.accumulate:
                    return raw, (c.bits, c.scale, c.offset)
                if c.scale:
                    raw /= c.scale
                if c.offset:
                    raw -= c.offset
                return raw, None
        return None, None

    def row(self, index: int) -> dict[str, object]:
        """One message as a dict of plain values (NaN → None), for the few summary messages."""
        out: dict[str, object] = {}
        for name, col in self.columns().items():
            value = col[index]
            if isinstance(value, np.ndarray):
                value = [None if v != v else float(v) for v in value.tolist()]
            elif isinstance(value, float | np.floating):
                value = None if value != value else float(value)
            out[name] = value
        return out

    def rows(self) -> Iterator[dict[str, object]]:
        for i in range(len(self)):
            yield self.row(i)


def _join(parts: list[np.ndarray]) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    if any(p.dtype == object for p in parts):
        out = np.empty(sum(len(p) for p in parts), dtype=object)
        i = 0
        for p in parts:
            if p.dtype == object:
                out[i : i + len(p)] = p
            else:
                out[i : i + len(p)] = [None] * len(p)
            i += len(p)
        return out
    width = max(p.shape[1] if p.ndim == 2 else 0 for p in parts)
    if width:
        parts = [_widen(p, width) for p in parts]
    return np.concatenate(parts)


def _widen(part: np.ndarray, width: int) -> np.ndarray:
    out = np.full((len(part), width), np.nan)
    if part.ndim == 1:
        out[:, 0] = part
    else:
        out[:, : part.shape[1]] = part
    return out


class FitFile:
    """A decoded FIT file (or chain of FIT files): message tables, warnings and file type."""

    def __init__(self, walk: Walk, warnings: tuple[ParseWarning, ...]) -> None:
        self.warnings = warnings
        self.segment_starts = tuple(walk.segments)
        self._blocks = _Blocks(walk)
        self._defs: dict[int, list[Definition]] = {}
        for d in walk.definitions:
            if d.offsets:
                self._defs.setdefault(d.global_num, []).append(d)
        self._numbers = {profile.message_name(num): num for num in self._defs}
        self._tables: dict[int, MessageTable] = {}

    @property
    def message_names(self) -> list[str]:
        return list(self._numbers)

    def messages(self, name_or_num: str | int) -> MessageTable:
        """The table for a message type (empty when the file has none)."""
        if isinstance(name_or_num, int):
            num = name_or_num
        else:
            num = self._numbers.get(name_or_num, profile.message_number(name_or_num) or -1)
        found = self._tables.get(num)
        if found is None:
            defs = self._defs.get(num, [])
            found = MessageTable(num, defs, self._blocks if defs else None)
            if defs:
                self._tables[num] = found
        return found

    def __contains__(self, name: str) -> bool:
        return name in self._numbers

    @property
    def file_types(self) -> tuple[str, ...]:
        """The ``file_id`` type of each chained file that names one (``"activity"``, …)."""
        table = self.messages(profile.MESG_FILE_ID)
        column = table.column("type")
        if column is None:
            return ()
        names = []
        for value in column.tolist():
            name = profile.enum_name("file", value)
            if name is None and isinstance(value, float) and value == value:
                name = f"type {int(value)}"
            if name is not None:
                names.append(name)
        return tuple(names)

    @property
    def file_type(self) -> str | None:
        types = self.file_types
        return types[0] if types else None
