"""Pairing codes: five minutes, one phone, a newer code replaces an older one, guesses limited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innerpace.phone.pairing import PairingCodes, PairingRefused, clean_name, csrf_for, key_hash

NOW = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)


def reason(codes: PairingCodes, code: str, when: datetime) -> str:
    with pytest.raises(PairingRefused) as refused:
        codes.redeem(code, when)
    return refused.value.reason


def test_a_code_works_once_within_five_minutes():
    codes = PairingCodes()
    code, expires = codes.issue(NOW)
    assert expires == NOW + timedelta(minutes=5)
    codes.redeem(code, NOW + timedelta(minutes=4, seconds=59))
    assert reason(codes, code, NOW + timedelta(minutes=1)) == "used"


def test_an_expired_code_is_refused():
    codes = PairingCodes()
    code, _ = codes.issue(NOW)
    assert reason(codes, code, NOW + timedelta(minutes=5)) == "expired"
    assert reason(codes, code, NOW + timedelta(minutes=6)) == "expired"


def test_a_newer_code_replaces_the_older_one():
    codes = PairingCodes()
    old, _ = codes.issue(NOW)
    new, _ = codes.issue(NOW + timedelta(seconds=10))
    assert reason(codes, old, NOW + timedelta(seconds=20)) == "expired"
    codes.redeem(new, NOW + timedelta(seconds=30))


def test_wrong_codes_are_refused_and_then_even_the_right_one_waits():
    codes = PairingCodes(max_failures=3)
    code, _ = codes.issue(NOW)
    for _ in range(3):
        assert reason(codes, "guess-" + "x" * 20, NOW) == "wrong"
    assert reason(codes, code, NOW + timedelta(seconds=1)) == "too_many"
    # once the window has passed, guessing starts again from nothing (the code has expired)
    assert reason(codes, code, NOW + timedelta(minutes=6)) == "expired"


def test_no_open_code_means_every_code_is_wrong():
    assert reason(PairingCodes(), "anything-at-all", NOW) == "wrong"


@given(st.text(max_size=200))
def test_names_are_one_short_line(name):
    cleaned = clean_name(name)
    assert 1 <= len(cleaned) <= 40
    assert "\n" not in cleaned and cleaned == cleaned.strip()


def test_csrf_is_tied_to_the_device_key_hash():
    a, b = key_hash("device-a"), key_hash("device-b")
    assert csrf_for(a) == csrf_for(a) != csrf_for(b)
    assert len(key_hash("x")) == 64


OPERATIONS = st.lists(
    st.one_of(
        st.just(("issue",)),
        st.tuples(st.just("redeem"), st.integers(min_value=-3, max_value=0)),
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=400)),
    ),
    max_size=40,
)


@given(OPERATIONS)
def test_any_sequence_pairs_at_most_one_phone_per_code_and_only_in_time(operations):
    """A model of the rules: only the newest code works, once, within five minutes, and not
    while too many failures are recent."""
    codes = PairingCodes(max_failures=4)
    now = NOW
    issued: list[tuple[str, datetime]] = []
    used: set[str] = set()
    failures: list[datetime] = []
    for operation in operations:
        if operation[0] == "issue":
            issued.append(codes.issue(now))
        elif operation[0] == "wait":
            now += timedelta(seconds=operation[1])
        else:
            which = operation[1]
            if len(issued) < -which + 1:
                code, expires = "never-issued-code", now
            else:
                code, expires = issued[which - 1]
            recent = [f for f in failures if now - f <= timedelta(minutes=5)]
            newest = bool(issued) and code == issued[-1][0]
            should_work = len(recent) < 4 and newest and code not in used and now < expires
            try:
                codes.redeem(code, now)
                worked = True
            except PairingRefused as refused:
                worked = False
                if refused.reason != "too_many":
                    failures.append(now)
            assert worked == should_work, (operation, code in used, now, expires)
            if worked:
                used.add(code)
