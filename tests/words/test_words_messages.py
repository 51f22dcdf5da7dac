"""The reviewed words: every key the app relies on exists and every placeholder gets filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from innerpace import words
from innerpace.words import MissingValue, UnknownMessage, keys, placeholders, runs_to_go, text

SRC = Path(__file__).resolve().parents[2] / "src" / "innerpace"
CALL = re.compile(r"""\btext\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def sample_values(key: str) -> dict[str, str]:
    return {name: f"<{name}>" for name in placeholders(key)}


@pytest.mark.parametrize("key", words.REQUIRED_KEYS)
def test_every_required_key_exists(key):
    assert key in keys()


@pytest.mark.parametrize("key", keys())
def test_every_message_renders_with_every_placeholder_filled(key):
    values = sample_values(key)
    rendered = text(key, **values)
    assert rendered.strip()
    assert "{" not in rendered and "}" not in rendered
    for value in values.values():
        assert value in rendered


@pytest.mark.parametrize("key", [k for k in keys() if placeholders(k)])
def test_a_missing_value_is_refused(key):
    with pytest.raises(MissingValue, match=re.escape(key)):
        text(key)


def test_an_unused_value_is_refused():
    with pytest.raises(MissingValue, match="unused"):
        text("checkin.saved_after", minutes=3)


def test_an_unknown_key_is_named():
    with pytest.raises(UnknownMessage, match="checkin.nope"):
        text("checkin.nope")


def test_every_key_used_in_the_source_exists():
    used = {
        (path.relative_to(SRC), key)
        for path in SRC.rglob("*.py")
        for key in CALL.findall(path.read_text("utf-8"))
    }
    missing = sorted((str(p), k) for p, k in used if k not in keys())
    assert not missing, f"message keys used but not defined: {missing}"


def test_messages_speak_gently():
    for key in keys():
        message = text(key, **sample_values(key))
        assert "!" not in message, key


def test_not_enough_yet_counts_the_runs_to_go():
    assert runs_to_go(1) == text("not_yet.one_more")
    assert "7 more runs" in runs_to_go(7)
    with pytest.raises(ValueError):
        runs_to_go(0)


def test_the_support_card_never_diagnoses_and_says_what_who5_is():
    note = text("support.screening_note")
    assert "screening" in note and "can't diagnose" in note
    assert "GP" in text("support.calm_body")
    assert "local emergency number" in text("support.emergency")
