"""A seeded, small run of the simulations behind docs/insights.md (``make simulate`` for all).

The bands are wider than the targets (92–97%, ≤ 5%) because a few hundred simulated people
leave a few points of chance either way; the full tables carry the real figures.
"""

import pytest

from innerpace.insights import simulate, simulate_hunches

REPS = 300


@pytest.mark.parametrize(
    ("world", "n"),
    [
        ("iid", 20),
        ("clipped", 10),
        ("ar03", 40),
        ("ar06", 40),
        ("t3", 120),
        ("ceiling", 20),
        ("mar", 40),
    ],
)
def test_the_headline_range_holds_the_truth_about_95_times_in_100(world, n):
    covered, width = simulate.coverage(world, n, REPS, seed=n)
    assert 0.89 <= covered <= 0.99, (world, n, covered)
    assert 0 < width < 20


def test_the_range_never_reaches_past_what_a_change_can_be():
    covered, width = simulate.coverage("clipped", 10, 50, seed=1)
    assert width <= 20


def test_after_check_ins_skipped_after_bad_runs_bias_the_lift_so_it_is_said():
    covered, _ = simulate.coverage("mnar", 120, REPS, seed=3)
    assert covered < 0.6  # the reason the page says how many after check-ins are missing


def test_a_drifting_lift_is_held_for_the_runs_it_describes():
    covered, _ = simulate.coverage("drift", 40, REPS, seed=4, these_runs=True)
    assert covered >= 0.93


@pytest.mark.parametrize("world", ["ar03", "ar06"])
def test_a_false_confirmed_hunch_stays_rare_when_refitted_after_every_run(world):
    _, confirmed = simulate_hunches.false_confirmed(world, 100, seed=7)
    assert confirmed <= 0.09


@pytest.mark.parametrize("world", simulate_hunches.BAD_DAY_WORLDS[:4])
def test_more_on_bad_days_is_rarely_claimed_when_it_is_not_so(world):
    claimed, _ = simulate_hunches.false_bad_days(world, 200, seed=8)
    assert claimed <= 0.08


def test_more_on_bad_days_can_be_told_when_it_is_so():
    claimed, _ = simulate_hunches.false_bad_days("true-effect", 200, seed=9)
    assert claimed >= 0.15


def test_the_rest_day_range_allows_for_days_that_resemble_each_other():
    covered, _ = simulate.rest_coverage(10, REPS, seed=10)
    assert covered >= 0.92
