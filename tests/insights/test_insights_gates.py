"""How much data before saying anything."""

import pytest

from innerpace.insights.gates import Level, enough_per_level, gate


@pytest.mark.parametrize(
    ("runs", "level", "to_next", "phrase"),
    [
        (0, Level.DIARY, 10, "Not enough yet — 10 more runs"),
        (9, Level.DIARY, 1, "Not enough yet — 1 more run "),
        (10, Level.EARLY, 10, "10 more runs"),
        (19, Level.EARLY, 1, "1 more run "),
        (20, Level.HEADLINE, 20, "20 more runs"),
        (39, Level.HEADLINE, 1, "1 more run "),
        (40, Level.CATEGORIES, 20, "20 more runs"),
        (59, Level.CATEGORIES, 1, "1 more run "),
        (60, Level.HUNCHES, 0, "every insight"),
        (250, Level.HUNCHES, 0, "every insight"),
    ],
)
def test_each_gate_opens_at_its_count_and_says_how_far_the_next_is(runs, level, to_next, phrase):
    g = gate(runs)
    assert g.level == level
    assert g.runs_to_next == to_next
    assert phrase in g.message


def test_the_next_step_is_named():
    assert "first read" in gate(3).message
    assert "steadier read" in gate(12).message
    assert "alone or with others" in gate(25).message
    assert "hunches" in gate(45).message


def test_categories_need_ten_runs_in_each_level():
    assert enough_per_level({"alone": 10, "with-others": 10})
    assert not enough_per_level({"alone": 30, "with-others": 9})
    assert not enough_per_level({"alone": 40})
