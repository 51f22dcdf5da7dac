"""Themes from a person's own reflections: stable, and named by their words."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from innerpace.domain import Reflection
from innerpace.insights.themes import theme_count, themes

GRIEF = ["grief", "hospital", "mother", "mum", "ward", "visit", "nurse", "cried", "loss"]
WORK = ["work", "deadline", "boss", "meeting", "email", "office", "project", "report"]
FILLER = ["the", "and", "then", "after", "my", "was", "run", "today", "felt", "legs", "easy"]


def corpus(n_each: int = 12, seed: int = 3, spacing: int = 7) -> list[Reflection]:
    rng = np.random.default_rng(seed)
    start = datetime(2026, 1, 3, 19, 0, tzinfo=UTC)
    found = []
    for i in range(2 * n_each):
        topic = GRIEF if i % 2 == 0 else WORK
        words = list(rng.choice(topic, 6)) + list(rng.choice(FILLER, 6))
        rng.shuffle(words)
        created = start + timedelta(days=spacing * i)
        found.append(Reflection(text=" ".join(words).capitalize() + ".", created=created, run_id=i))
    return found


def test_two_clear_topics_become_two_themes_named_by_their_words():
    result = themes(corpus())
    assert result.enough
    assert len(result.themes) == 2
    named = [set(t.words) for t in result.themes]
    assert any(words <= set(GRIEF) for words in named)
    assert any(words <= set(WORK) for words in named)
    assert sum(t.reflections for t in result.themes) == 24


def test_the_same_reflections_give_the_same_themes_every_time():
    docs = corpus()
    assert themes(docs) == themes(docs)
    assert themes(docs) == themes(list(reversed(docs)))


def test_a_theme_lift_comes_only_with_a_range_against_the_overall_lift():
    docs = corpus()
    lifts = {r.run_id: (3.0 if r.run_id % 2 == 0 else -1.0) + 0.5 * (r.run_id % 3) for r in docs}
    result = themes(docs, lifts)
    by_name = {("grief" if set(t.words) <= set(GRIEF) else "work"): t for t in result.themes}
    overall = np.mean(list(lifts.values()))
    grief = by_name["grief"]
    assert grief.lift_runs == 12
    grief_mean = np.mean([v for k, v in lifts.items() if k % 2 == 0])
    assert np.isclose(grief.lift_vs, grief_mean - overall)
    assert grief.lift_low < grief.lift_vs < grief.lift_high
    few = themes(docs, {k: v for k, v in lifts.items() if k < 12})
    assert all(t.lift_vs is None and t.lift_low is None for t in few.themes)


def test_each_theme_shows_short_excerpts_of_its_own_reflections():
    docs = corpus()
    for theme in themes(docs).themes:
        assert 2 <= len(theme.excerpts) <= 3
        for text in theme.excerpts:
            assert len(text) <= 91
            assert any(
                text.rstrip("…") in d.text or d.text.startswith(text.rstrip("…")) for d in docs
            )
            assert any(w in text.lower() for w in theme.words)


def test_private_reflections_are_never_quoted():
    docs = [replace(d, private=True) for d in corpus()]
    assert all(t.excerpts == () for t in themes(docs).themes)


def test_themes_keep_their_places_and_names_as_reflections_are_added():
    docs = corpus(n_each=30)
    before = themes(docs[:45])
    after = themes(docs, previous=[t.key_words for t in before.themes])
    assert len(before.themes) == len(after.themes)
    for old, new in zip(before.themes, after.themes, strict=True):
        assert old.words == new.words


def test_share_over_time_is_given_per_month_or_per_quarter_for_a_long_span():
    assert themes(corpus()).period == "month"
    result = themes(corpus(spacing=10))
    assert result.period == "quarter"
    for theme in result.themes:
        assert all(0.0 <= share <= 1.0 for _, share in theme.by_period)
        assert theme.by_period[0][0] == "2026-Q1"


def test_fewer_than_fifteen_reflections_is_a_gentle_not_yet():
    result = themes(corpus()[:14])
    assert not result.enough and result.themes == () and result.n_reflections == 14


def test_reflections_of_only_common_words_find_no_theme():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    docs = [
        Reflection(text="the run was fine", created=start + timedelta(days=i)) for i in range(20)
    ]
    assert not themes(docs).enough


def test_the_number_of_themes_changes_only_in_wide_steps():
    assert theme_count(15) == theme_count(39) == 2
    assert theme_count(45) == theme_count(60) == theme_count(99) == 3
    assert theme_count(150) == 4
    assert theme_count(500) == 5
