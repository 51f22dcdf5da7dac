"""The FIT profile (messages, fields, scales, type names), compacted from ``fitdecode.profile``.

The field profile is not retyped here: it is read once from the maintained profile that ships
with fitdecode (MIT licence) and reduced to the few facts the decoder needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from fitdecode import profile as _fd_profile
from fitdecode import types as _fd_types

FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00:00Z, the FIT time origin
FIT_DATETIME_MIN = 0x10000000  # smaller date_time values count seconds since device power-up
SEMICIRCLE_DEG = 180.0 / 2**31

MESG_FILE_ID = 0
MESG_SESSION = 18
MESG_LAP = 19
MESG_RECORD = 20
MESG_ACTIVITY = 34
FIELD_TIMESTAMP = 253


@dataclass(frozen=True, slots=True)
class BaseType:
    """A FIT base type: how many bytes, which numpy kind, which value means "invalid"."""

    ident: int
    name: str
    size: int
    kind: str  # numpy kind letter: "u", "i", "f"; "S" for strings, "B" for raw bytes
    invalid: int | None  # None for floats (NaN), strings and bytes

    def dtype(self, big_endian: bool) -> np.dtype:
        if self.kind in "SB":
            return np.dtype(np.uint8)
        order = ">" if big_endian else "<"
        return np.dtype(f"{order}{self.kind}{self.size}")


_INVALID = {
    "enum": 0xFF,
    "sint8": 0x7F,
    "uint8": 0xFF,
    "sint16": 0x7FFF,
    "uint16": 0xFFFF,
    "sint32": 0x7FFFFFFF,
    "uint32": 0xFFFFFFFF,
    "uint8z": 0,
    "uint16z": 0,
    "uint32z": 0,
    "sint64": 0x7FFFFFFFFFFFFFFF,
    "uint64": 0xFFFFFFFFFFFFFFFF,
    "uint64z": 0,
}


def _base_types() -> dict[int, BaseType]:
    table: dict[int, BaseType] = {}
    for ident, bt in _fd_types.BASE_TYPES.items():
        if bt.name == "string":
            kind = "S"
        elif bt.name == "byte":
            kind = "B"
        elif bt.fmt in "fd":
            kind = "f"
        elif bt.fmt.islower():
            kind = "i"
        else:
            kind = "u"
        table[ident] = BaseType(ident, bt.name, bt.size, kind, _INVALID.get(bt.name))
    return table


BASE_TYPES: dict[int, BaseType] = _base_types()
BYTE_TYPE: BaseType = BASE_TYPES[0x0D]
_BASE_BY_NUMBER = {bt.ident & 0x1F: bt for bt in BASE_TYPES.values()}


def base_type(ident: int) -> BaseType:
    """The base type for a definition's base-type byte; unknown ones are read as bytes."""
    found = BASE_TYPES.get(ident)
    if found is None:
        found = _BASE_BY_NUMBER.get(ident & 0x1F, BYTE_TYPE)
    return found


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """A value packed inside another field's bits (e.g. speed inside compressed_speed_distance)."""

    name: str
    def_num: int
    scale: float | None
    offset: float | None
    bits: int
    bit_offset: int
    accumulate: bool


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type_name: str  # profile type ("date_time", "sport", "uint16", ...)
    scale: float | None
    offset: float | None
    units: str | None
    components: tuple[ComponentSpec, ...] = ()

    @property
    def is_time(self) -> bool:
        return self.type_name == "date_time"

    @property
    def is_semicircles(self) -> bool:
        return self.units == "semicircles"


@dataclass(frozen=True, slots=True)
class MessageSpec:
    num: int
    name: str
    fields: dict[int, FieldSpec]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and value else None


def _components(field: object) -> tuple[ComponentSpec, ...]:
    found = []
    for c in getattr(field, "components", None) or ():
        if c.bits is None or c.bit_offset is None:
            continue
        found.append(
            ComponentSpec(
                c.name,
                c.def_num,
                _number(c.scale),
                _number(c.offset),
                int(c.bits),
                int(c.bit_offset),
                bool(c.accumulate),
            )
        )
    return tuple(found)


@cache
def _messages() -> dict[int, MessageSpec]:
    table: dict[int, MessageSpec] = {}
    for num, mt in _fd_profile.MESSAGE_TYPES.items():
        fields = {
            fnum: FieldSpec(
                f.name,
                f.type.name,
                _number(f.scale),
                _number(f.offset),
                f.units,
                _components(f),
            )
            for fnum, f in mt.fields.items()
        }
        table[num] = MessageSpec(num, mt.name, fields)
    return table


def message_spec(num: int) -> MessageSpec | None:
    return _messages().get(num)


def message_name(num: int) -> str:
    spec = message_spec(num)
    return spec.name if spec else f"unknown_{num}"


def message_number(name: str) -> int | None:
    for num, spec in _messages().items():
        if spec.name == name:
            return num
    return None


def enum_name(type_name: str, value: float | int | None) -> str | None:
    """The profile's name for an enum value (``sport`` 1 → ``"running"``); None when unknown."""
    if not isinstance(value, int | float) or value != value:
        return None
    field_type = _fd_profile.FIELD_TYPES.get(type_name)
    if field_type is None or not field_type.enum:
        return None
    return field_type.enum.get(int(value))


def product_name(manufacturer: float | None, product: float | None) -> str | None:
    """The product name when the profile has a product list for this manufacturer."""
    if not isinstance(product, int | float) or product != product:
        return None
    field = _fd_profile.MESSAGE_TYPES[MESG_FILE_ID].fields[2]
    for sub in field.subfields or ():
        for ref in sub.ref_fields:
            if manufacturer is not None and ref.raw_value == manufacturer:
                enum = getattr(sub.type, "enum", None)
                if enum:
                    return enum.get(int(product))
    return None
