"""The prompt library: enough prompts for every moment, and every one of them asks and listens."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from innerpace.prompts import FITS, Prompt, UnknownPrompt, all_prompts, get_prompt

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Advice, instruction, diagnosis and judgement have no place in a prompt.
ADVICE = [
    r"!",
    r"\byou should\b",
    r"\bshould\b",
    r"\bought to\b",
    r"\btry to\b",
    r"\btry\b",
    r"\bremember to\b",
    r"\bdon['’]?t\b",
    r"\bdo not\b",
    r"\bmake sure\b",
    r"\byou need to\b",
    r"\byou must\b",
    r"\byou have to\b",
    r"\bit['’]?s important\b",
    r"\bit is important\b",
    r"\bbetter to\b",
    r"\bjust (?:breathe|relax|let|be|stop|go)\b",
    r"\bpush (?:through|harder)\b",
    r"\bgood job\b",
    r"\bwell done\b",
    r"\b(?:lazy|weak|failed|failure)\b",
    r"\b(?:depress\w*|disorder\w*|symptom\w*|patient|illness|anxiety)\b",
]
IMPERATIVE_OPENINGS = {
    "accept", "allow", "be", "breathe", "consider", "describe", "don't", "focus", "go",
    "imagine", "just", "keep", "let", "list", "name", "notice", "reflect", "relax",
    "remember", "stop", "take", "think", "try", "write",
}  # fmt: skip


def test_at_least_forty_five_prompts():
    assert len(all_prompts()) >= 45


def test_ids_are_unique_stable_kebab_case():
    ids = [p.id for p in all_prompts()]
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(i) for i in ids), [i for i in ids if not KEBAB.match(i)]


@pytest.mark.parametrize(
    ("tag", "least"),
    [
        ("before", 3),
        ("after", 5),
        ("hard-day", 5),
        ("long-run", 3),
        ("rest-day", 5),
        ("release", 5),
        ("solitude", 3),
        ("with-others", 3),
        ("any", 3),
    ],
)
def test_every_tag_has_several_prompts(tag, least):
    count = Counter(f for p in all_prompts() for f in p.fits)[tag]
    assert count >= least, f"{tag}: {count} prompts, want at least {least}"


def test_every_tag_in_the_vocabulary_is_covered():
    used = {f for p in all_prompts() for f in p.fits}
    assert used == set(FITS)


def test_every_prompt_names_where_it_fits():
    assert all(p.fits for p in all_prompts())


@pytest.mark.parametrize("prompt", all_prompts(), ids=lambda p: p.id)
def test_prompts_ask_and_never_advise(prompt: Prompt):
    text = prompt.text
    hits = [pattern for pattern in ADVICE if re.search(pattern, text, re.IGNORECASE)]
    assert not hits, f"{prompt.id}: {text!r} matches {hits}"
    assert text.endswith("?"), f"{prompt.id}: a prompt asks, so it ends with a question mark"
    first = text.split()[0].lower().strip(",.")
    assert first not in IMPERATIVE_OPENINGS, f"{prompt.id}: opens with an instruction"


@pytest.mark.parametrize("prompt", all_prompts(), ids=lambda p: p.id)
def test_prompts_are_short_plain_and_name_no_one(prompt: Prompt):
    assert len(prompt.text) <= 110, f"{prompt.id} is long"
    sentences = re.split(r"(?<=[.?])\s+", prompt.text)
    for sentence in sentences:
        names = [w for w in sentence.split()[1:] if w[:1].isupper() and w != "I"]
        assert not names, f"{prompt.id}: capitalised words {names}"


def test_get_prompt_finds_by_id():
    first = all_prompts()[0]
    assert get_prompt(first.id) == first


def test_an_unknown_prompt_is_named_in_the_error():
    with pytest.raises(UnknownPrompt, match="no-such-prompt"):
        get_prompt("no-such-prompt")
    assert issubclass(UnknownPrompt, ValueError)


def test_the_library_is_read_once():
    assert all_prompts() == all_prompts()
    assert all_prompts() is not all_prompts()  # callers get their own list
