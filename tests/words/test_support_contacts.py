"""Support contacts ship offline, each checked against an official page within the last year."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from innerpace.support import (
    HOW,
    MAX_AGE,
    card,
    contacts_for,
    countries,
    fallback_text,
    is_stale,
    last_verified,
)
from innerpace.words import text

ALL = [c for code in countries() for c in contacts_for(code)]


def test_no_country_was_last_checked_more_than_a_year_ago():
    today = date.today()
    stale = is_stale(today)
    details = ", ".join(f"{code} (checked {last_verified(code)})" for code in stale)
    assert not stale, f"check these support contacts again against their sources: {details}"


def test_no_check_is_dated_in_the_future():
    assert all(last_verified(code) <= date.today() for code in countries())


def test_is_stale_counts_a_year_from_the_check():
    oldest = min(last_verified(code) for code in countries())
    assert is_stale(oldest + MAX_AGE) == []
    assert is_stale(oldest + MAX_AGE + timedelta(days=1)) != []
    newest = max(last_verified(code) for code in countries())
    assert is_stale(newest + timedelta(days=366)) == countries()


def test_countries_are_iso_codes():
    assert countries() == sorted(countries())
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in countries())


@pytest.mark.parametrize("contact", ALL, ids=lambda c: f"{c.country}-{c.number}")
def test_every_entry_is_complete(contact):
    assert contact.name.strip()
    assert isinstance(contact.number, str)
    assert contact.number.strip()
    assert contact.how
    assert set(contact.how) <= set(HOW)
    assert contact.source.startswith("https://"), contact.source
    assert " " not in contact.source
    assert contact.hours is None or contact.hours.strip()


@pytest.mark.parametrize("contact", ALL, ids=lambda c: f"{c.country}-{c.number}")
def test_numbers_to_call_or_text_are_digits(contact):
    if "chat" in contact.how:
        return
    assert re.fullmatch(r"\d[\d ]*\d|\d", contact.number), contact.number


def test_the_us_lifeline_takes_calls_and_texts_at_988():
    us = contacts_for("US")
    assert any(c.number == "988" and {"call", "text"} <= set(c.how) for c in us)


@pytest.mark.parametrize("code", ["GB", "IE"])
def test_samaritans_answer_116_123_in_britain_and_ireland(code):
    assert any(c.number == "116 123" and "call" in c.how for c in contacts_for(code))


def test_country_codes_are_read_kindly():
    assert contacts_for("gb") == contacts_for("GB")
    assert contacts_for(" us ") == contacts_for("US")
    assert contacts_for("UK") == contacts_for("GB")


def test_no_country_or_an_unknown_one_gives_no_contacts():
    assert contacts_for(None) == []
    assert contacts_for("") == []
    assert contacts_for("ZZ") == []
    assert last_verified("ZZ") is None


def test_the_fallback_points_to_the_local_emergency_number():
    assert "local emergency number" in fallback_text()


def test_the_emergency_line_reads_the_same_everywhere():
    assert text("support.emergency") == fallback_text()


def test_the_calm_card_suggests_a_gp_or_someone_trusted_without_contacts():
    calm = card("calm", "GB")
    assert not calm.prominent
    assert "GP" in calm.body
    assert calm.contacts == ()
    assert calm.emergency == fallback_text()
    assert "can't diagnose" in calm.note


def test_the_prominent_card_lists_the_contacts_for_the_country():
    loud = card("prominent", "US")
    assert loud.prominent
    assert loud.contacts == tuple(contacts_for("US"))
    assert loud.contacts_heading
    assert loud.no_contacts is None


def test_the_prominent_card_says_so_when_a_country_has_no_contacts():
    loud = card("prominent", "ZZ")
    assert loud.contacts == ()
    assert loud.no_contacts
    assert loud.emergency == fallback_text()


def test_an_unknown_card_level_is_refused():
    with pytest.raises(ValueError, match="loud"):
        card("loud")
