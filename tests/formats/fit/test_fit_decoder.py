"""decode_fit on hand-built FIT files: layouts, headers, damage and limits."""

from __future__ import annotations

import gzip
import math
import struct
from pathlib import Path

import numpy as np
import pytest
from fitbuild import (
    BYTE,
    ENUM,
    SINT32,
    UINT8,
    UINT16,
    UINT32,
    compressed,
    data,
    definition,
    fit_file,
    fit_time,
    semicircles,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from innerpace.formats.errors import ParseError
from innerpace.formats.fit import decode_fit
from innerpace.formats.fit import decoder as fit_decoder
from innerpace.formats.fit.crc import crc16, crc16_small

T0 = 1_700_000_000
RECORD_FIELDS = [(253, 4, UINT32), (0, 4, SINT32), (1, 4, SINT32), (3, 1, UINT8), (5, 4, UINT32)]


def record(i: int, *, big: bool = False, local: int = 0) -> bytes:
    order = ">" if big else "<"
    payload = struct.pack(
        f"{order}IiiBI",
        fit_time(T0 + i),
        semicircles(48.5 + i / 1000),
        semicircles(-123.25),
        120 + i,
        i * 250,
    )
    return data(local, payload)


def records_file(n: int = 5, *, big: bool = False) -> bytes:
    return fit_file(
        definition(0, 20, RECORD_FIELDS, big=big), *(record(i, big=big) for i in range(n))
    )


@pytest.mark.parametrize("big", [False, True])
def test_record_columns_are_converted(big: bool) -> None:
    fit = decode_fit(records_file(5, big=big))
    records = fit.messages("record")
    assert len(records) == 5
    assert records.column("timestamp").tolist() == [T0 + i for i in range(5)]
    assert records.column("heart_rate").tolist() == [120, 121, 122, 123, 124]
    assert records.column("distance").tolist() == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert records.column("position_lat")[1] == pytest.approx(48.501, abs=1e-6)
    assert records.column("position_long")[0] == pytest.approx(-123.25, abs=1e-6)
    assert records.column("cadence") is None
    assert fit.warnings == ()


def test_invalid_values_are_nan() -> None:
    payload = struct.pack("<IiiBI", fit_time(T0), 0x7FFFFFFF, 0x7FFFFFFF, 0xFF, 0xFFFFFFFF)
    fit = decode_fit(fit_file(definition(0, 20, RECORD_FIELDS), data(0, payload)))
    records = fit.messages("record")
    for name in ("position_lat", "position_long", "heart_rate", "distance"):
        assert math.isnan(records.column(name)[0]), name


def test_compressed_timestamps_follow_the_last_full_timestamp() -> None:
    base = fit_time(T0)
    offset = base & 0x1F
    hr_only = definition(1, 20, [(3, 1, UINT8)])
    fit = decode_fit(
        fit_file(
            definition(0, 20, RECORD_FIELDS),
            record(0),
            hr_only,
            compressed(1, (offset + 1) & 0x1F, bytes([90])),
            compressed(1, (offset + 5) & 0x1F, bytes([91])),
            compressed(1, (offset + 40) & 0x1F, bytes([92])),  # rolls over 32 s
        )
    )
    records = fit.messages("record")
    assert records.column("timestamp").tolist() == [T0, T0 + 1, T0 + 5, T0 + 8]
    assert records.column("heart_rate").tolist() == [120, 90, 91, 92]


def test_developer_fields_are_skipped_by_their_declared_size() -> None:
    dev = [(0, 3, 0), (1, 2, 0)]
    rec = definition(0, 20, [(3, 1, UINT8), (253, 4, UINT32)], dev_fields=dev)
    payload = bytes([150]) + struct.pack("<I", fit_time(T0)) + b"\x01\x02\x03\x04\x05"
    fit = decode_fit(fit_file(rec, data(0, payload), data(0, payload)))
    records = fit.messages("record")
    assert records.column("heart_rate").tolist() == [150, 150]
    assert records.column("timestamp").tolist() == [T0, T0]


def test_a_misaligned_field_is_missing_not_fatal() -> None:
    rec = definition(0, 20, [(5, 1, UINT32), (3, 1, UINT8)])  # distance: 1 byte of a uint32
    fit = decode_fit(fit_file(rec, data(0, bytes([7, 140]))))
    records = fit.messages("record")
    assert math.isnan(records.column("distance")[0])
    assert records.column("heart_rate").tolist() == [140]
    assert any("does not fit their type" in w.message for w in fit.warnings)


def test_bytes_fields_with_components_expand() -> None:
    # compressed_speed_distance: speed 12 bits (1/100 m/s), distance 12 bits (1/16 m, rolling)
    rec = definition(0, 20, [(8, 3, BYTE)])

    def packed(speed: int, distance: int) -> bytes:
        value = speed | distance << 12
        return data(0, value.to_bytes(3, "little"))

    fit = decode_fit(fit_file(rec, packed(300, 16), packed(310, 4000), packed(320, 32)))
    records = fit.messages("record")
    assert records.column("speed").tolist() == [3.0, 3.1, 3.2]
    # 16 → 4000 → 32 (+4096 after the roll-over)
    assert records.column("distance").tolist() == [1.0, 250.0, (4096 + 32) / 16]


def test_strings_and_enums_in_file_id() -> None:
    file_id = definition(0, 0, [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16), (8, 8, 0x07)])
    payload = bytes([4]) + struct.pack("<HH", 1, 1765) + b"Watch\x00\x00\x00"
    fit = decode_fit(fit_file(file_id, data(0, payload)))
    assert fit.file_type == "activity"
    row = fit.messages("file_id").row(0)
    assert row["product_name"] == "Watch"
    assert row["manufacturer"] == 1.0


def test_bad_file_crc_keeps_data_and_warns() -> None:
    good = records_file(3)
    bad = good[:-2] + bytes([good[-2] ^ 0xFF, good[-1]])
    fit = decode_fit(bad)
    assert len(fit.messages("record")) == 3
    assert any("file CRC" in w.message and "data kept" in w.message for w in fit.warnings)


def test_truncated_file_keeps_complete_records() -> None:
    good = records_file(10)
    cut = good[: -2 - 5]  # drop the CRC and half of the last record
    fit = decode_fit(cut)
    assert len(fit.messages("record")) == 9
    [warning] = fit.warnings
    assert warning.message == (
        f"file ends in the middle of a record at byte {len(cut)}; kept 9 records before it"
    )


def test_a_header_without_data_size_is_read_to_the_end() -> None:
    body = [definition(0, 20, RECORD_FIELDS), *(record(i) for i in range(6))]
    fit = decode_fit(fit_file(*body, data_size=0, crc=False))
    assert len(fit.messages("record")) == 6
    assert any("no data size" in w.message for w in fit.warnings)


def test_undefined_local_type_stops_and_keeps_what_came_before() -> None:
    fit = decode_fit(fit_file(definition(0, 20, RECORD_FIELDS), record(0), record(1), b"\x05"))
    assert len(fit.messages("record")) == 2
    assert any("local type 5, never defined" in w.message for w in fit.warnings)


def test_chained_files_are_read_in_turn() -> None:
    fit = decode_fit(records_file(3) + records_file(4))
    assert len(fit.messages("record")) == 7
    assert fit.segment_starts == (0, len(records_file(3)))
    assert fit.warnings == ()


def test_junk_after_the_data_is_ignored_with_a_warning() -> None:
    fit = decode_fit(records_file(2) + b"garbage!" * 3)
    assert len(fit.messages("record")) == 2
    assert any("not a FIT file" in w.message for w in fit.warnings)


def test_gzip_is_unpacked() -> None:
    fit = decode_fit(gzip.compress(records_file(4)))
    assert len(fit.messages("record")) == 4


@pytest.mark.parametrize("junk", [b"", b"hello", b"\x0e" + b"\x00" * 20, b"\x1f\x8bnot gzip"])
def test_not_fit_is_a_parse_error(junk: bytes) -> None:
    with pytest.raises(ParseError):
        decode_fit(junk, "junk.fit")


def test_wrong_input_type_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        decode_fit("not bytes")  # type: ignore[arg-type]


def test_errors_name_the_source() -> None:
    with pytest.raises(ParseError) as caught:
        decode_fit(b"nope", "a/b.fit")
    assert caught.value.source == "a/b.fit"
    assert str(caught.value).startswith("a/b.fit: ")


def test_message_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit_decoder, "MAX_MESSAGES", 10)
    decode_fit(records_file(10))
    with pytest.raises(ParseError, match="more than 10 records"):
        decode_fit(records_file(11))


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit_decoder, "MAX_BYTES", 100)
    with pytest.raises(ParseError, match="larger than 256 MB"):
        decode_fit(records_file(20))


def test_crc_matches_the_byte_by_byte_definition() -> None:
    rng = np.random.default_rng(7)
    for size in (0, 1, 255, 256, 511, 512, 513, 4096, 70001):
        blob = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert crc16(blob) == crc16_small(blob)
    assert crc16_small(b"123456789") == 0xBB3D


def _offsets(blob: bytes) -> list[tuple[int, list[int]]]:
    return [(d.global_num, list(d.offsets)) for d in fit_decoder.walk(blob).definitions]


DATA = Path(__file__).parents[2] / "data" / "fit"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.fit")))
def test_run_shortcuts_find_the_same_messages(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = (DATA / name).read_bytes()
    fast = _offsets(blob)
    monkeypatch.setattr(fit_decoder, "_run", lambda data, p, *rest: p)
    monkeypatch.setattr(fit_decoder, "_pairs", lambda data, p, *rest: p)
    assert _offsets(blob) == fast


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("aabbbcctu"), max_size=300), st.integers(0, 30))
def test_run_shortcuts_on_any_message_order(kinds: list[str], cut: int) -> None:
    body = [
        definition(0, 20, [(3, 1, UINT8)]),
        definition(1, 21, [(0, 2, UINT16)]),
        definition(2, 20, [(3, 1, UINT8), (4, 1, UINT8)]),
    ]
    pieces = {
        "a": data(0, b"\x10"),
        "b": data(1, b"\x01\x02"),
        "c": compressed(2, 3, b"\x05\x06"),
        "t": definition(1, 21, [(0, 2, UINT16)]),
        "u": definition(1, 21, [(0, 2, UINT16), (1, 1, UINT8)]),  # later "b"s are misread
    }
    blob = fit_file(*body, *(pieces[k] for k in kinds))
    blob = blob[: len(blob) - cut]
    fast = _offsets(blob)
    original = fit_decoder._run, fit_decoder._pairs
    try:
        fit_decoder._run = lambda data, p, *rest: p
        fit_decoder._pairs = lambda data, p, *rest: p
        slow = _offsets(blob)
    finally:
        fit_decoder._run, fit_decoder._pairs = original
    assert fast == slow
