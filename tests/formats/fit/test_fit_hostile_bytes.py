"""Any bytes at all: decode_fit and parse_fit raise ParseError or succeed, nothing else."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from fitbuild import UINT8, compressed, data, definition, fit_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.formats.errors import ParseError
from innerpace.formats.fit import decode_fit, parse_fit

DATA = Path(__file__).parents[2] / "data" / "fit"
SMALL_FILES = [
    "fitparse--antfs-dump.63.fit",
    "fitparse--compressed-speed-distance.fit",
    "fitparse--elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "fitparse--garmin-fenix-5-run.fit",
    "fitparse--Settings.fit",
]
SEEDS = [(DATA / name).read_bytes() for name in SMALL_FILES]

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _read_everything(blob: bytes) -> None:
    """Decode, read every column, and build runs; only ParseError may come out."""
    try:
        fit = decode_fit(blob, "fuzz.fit")
        for name in fit.message_names:
            table = fit.messages(name)
            for field in table.field_names:
                table.column(field)
    except ParseError:
        pass
    with contextlib.suppress(ParseError):
        parse_fit(blob, "fuzz.fit")


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(blob: bytes) -> None:
    _read_everything(blob)


@FUZZ
@given(st.binary(max_size=600))
def test_random_body_behind_a_valid_header(body: bytes) -> None:
    _read_everything(fit_file(body))
    _read_everything(fit_file(body, crc=False))
    _read_everything(fit_file(body, data_size=len(body) + 7))


@FUZZ
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 7)), min_size=1, max_size=8),
)
def test_bit_flips_in_real_files(seed: bytes, flips: list[tuple[int, int]]) -> None:
    blob = bytearray(seed)
    for where, bit in flips:
        blob[where % len(blob)] ^= 1 << bit
    _read_everything(bytes(blob))


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(0, 10**6))
def test_truncated_real_files(seed: bytes, cut: int) -> None:
    _read_everything(seed[: cut % (len(seed) + 1)])


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(0, 10**6), st.binary(min_size=1, max_size=40))
def test_insertions_and_deletions_in_real_files(seed: bytes, where: int, junk: bytes) -> None:
    at = where % len(seed)
    _read_everything(seed[:at] + junk + seed[at:])
    _read_everything(seed[:at] + seed[at + len(junk) :])


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
        max_size=12,
    ),
    st.binary(max_size=200),
    st.integers(0, 0xFFFF),
    st.booleans(),
)
def test_random_definitions(
    fields: list[tuple[int, int, int]], payload: bytes, global_num: int, big: bool
) -> None:
    size = sum(f[1] for f in fields)
    body = definition(0, global_num, fields, big=big) + data(0, payload[:size].ljust(size, b"\xff"))
    body += definition(1, 20, [(3, 1, UINT8)]) + compressed(1, 3, b"\x50")
    _read_everything(fit_file(body))


@pytest.mark.parametrize("name", SMALL_FILES)
def test_every_truncation_of_a_small_file(name: str) -> None:
    seed = (DATA / name).read_bytes()
    for cut in range(0, len(seed), max(1, len(seed) // 300)):
        _read_everything(seed[:cut])
