"""Choosing a prompt for the moment: the feeling, the run, what happened on it, who was there."""

from __future__ import annotations

import pytest

from innerpace.prompts import all_prompts, choose_prompt

SEEDS = range(60)


def tags_chosen(**context) -> list[tuple[str, ...]]:
    return [choose_prompt(seed=seed, **context).fits for seed in SEEDS]


@pytest.mark.parametrize("kind", ["before", "after"])
def test_a_low_feeling_before_the_run_offers_hard_day_prompts(kind):
    assert all("hard-day" in fits for fits in tags_chosen(kind=kind, pre_feeling=-1))
    assert all("hard-day" in fits for fits in tags_chosen(kind=kind, pre_feeling=-4.5))


def test_a_low_feeling_before_the_run_keeps_to_prompts_that_suit_before():
    for fits in tags_chosen(kind="before", pre_feeling=-3):
        assert "after" not in fits or "before" in fits


def test_a_fair_feeling_is_not_a_hard_day():
    chosen = tags_chosen(kind="before", pre_feeling=0)
    assert all("before" in fits or "any" in fits for fits in chosen)


def test_a_long_run_offers_long_run_prompts():
    assert all("long-run" in fits for fits in tags_chosen(kind="after", duration_s=75 * 60))
    assert all("long-run" in fits for fits in tags_chosen(kind="after", duration_s=3 * 3600))


def test_a_shorter_run_is_not_a_long_run():
    chosen = tags_chosen(kind="after", duration_s=74 * 60)
    assert not all("long-run" in fits for fits in chosen)
    assert all("after" in fits or "any" in fits for fits in chosen)


@pytest.mark.parametrize("tags", [("release",), ("tears",), ("calm", "Tears")])
def test_a_release_or_tears_moment_offers_release_prompts(tags):
    assert all("release" in fits for fits in tags_chosen(kind="after", moment_tags=tags))


def test_release_comes_before_a_long_run():
    chosen = tags_chosen(kind="after", duration_s=2 * 3600, moment_tags=("release",))
    assert all("release" in fits for fits in chosen)


@pytest.mark.parametrize("kind", ["rest", "rest-day"])
def test_rest_day_check_ins_offer_rest_day_prompts(kind):
    assert all("rest-day" in fits for fits in tags_chosen(kind=kind))
    assert all("rest-day" in fits for fits in tags_chosen(kind=kind, pre_feeling=-3))


def test_running_alone_offers_solitude_prompts_sometimes():
    chosen = tags_chosen(kind="after", company="alone")
    alone = sum("solitude" in fits for fits in chosen)
    assert 0.1 * len(chosen) <= alone <= 0.7 * len(chosen)


def test_running_with_others_offers_their_prompts_sometimes():
    chosen = tags_chosen(kind="after", company="friends")
    together = sum("with-others" in fits for fits in chosen)
    assert 0 < together < len(chosen)


def test_otherwise_the_kind_decides():
    assert all("before" in f or "any" in f for f in tags_chosen(kind="before"))
    assert all("after" in f or "any" in f for f in tags_chosen(kind="after"))


def test_the_same_seed_gives_the_same_prompt():
    context = {"kind": "after", "pre_feeling": 2.0, "duration_s": 1800.0, "company": "alone"}
    assert choose_prompt(seed=7, **context) == choose_prompt(seed=7, **context)
    assert len({choose_prompt(seed=s, **context).id for s in SEEDS}) > 3


def test_excluded_prompts_are_skipped():
    seen = {p.id for p in all_prompts() if "release" in p.fits}
    seen.discard(sorted(seen)[0])
    for seed in SEEDS:
        chosen = choose_prompt(kind="after", moment_tags=("release",), seed=seed, exclude=seen)
        assert chosen.id not in seen


def test_when_a_whole_kind_is_seen_another_fitting_prompt_comes():
    seen = {p.id for p in all_prompts() if "rest-day" in p.fits}
    chosen = choose_prompt(kind="rest", seed=3, exclude=seen)
    assert chosen.id not in seen


def test_when_everything_is_excluded_a_prompt_still_comes():
    everything = {p.id for p in all_prompts()}
    chosen = choose_prompt(kind="before", seed=1, exclude=everything)
    assert "before" in chosen.fits or "any" in chosen.fits


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="sideways"):
        choose_prompt(kind="sideways")


@pytest.mark.parametrize("kind", ["before", "after", "rest-day"])
def test_a_prompt_always_suits_the_moment_even_when_most_are_excluded(kind):
    for excluded_tag in ("hard-day", "before", "after", "rest-day", "any"):
        seen = {p.id for p in all_prompts() if excluded_tag in p.fits}
        for seed in range(10):
            chosen = choose_prompt(kind=kind, pre_feeling=-3, seed=seed, exclude=seen)
            assert chosen.suits(kind), (kind, chosen.id)
