"""A seeded, small run of the simulations behind docs/insights.md (``make simulate`` for all).

The range's coverage is checked on thousands of people per cell, close to the target (92–97%);
the hunch and low-day checks run on a few hundred, so their bands are wider than the targets
(≤ 5%); the full tables carry the real figures.
"""

import pytest

from innerpace.insights import simulate, simulate_hunches

REPS = 300


LIFT_REPS = 6000  # the range's simulation is vectorised: thousands of people take seconds


@pytest.fixture(scope="module")
def lift_table():
    worlds = tuple(w for w in simulate.WORLDS if w != "mnar")
    return simulate.coverage_table(LIFT_REPS, worlds, seed=2026)


def test_the_headline_range_holds_the_truth_92_to_97_times_in_100_in_every_world(lift_table):
    """Every world but after check-ins skipped after bad runs, slow drift included, at every
    size. Six thousand people per cell leave about ±0.35 points of chance (one standard error),
    so the band is the target's widened by a little more than one point."""
    outside = {
        cell: round(100 * covered, 1)
        for cell, (covered, _) in lift_table.items()
        if not 0.91 <= covered <= 0.98
    }
    assert not outside
    drift = [lift_table[("drift", n)][0] for n in simulate.SIZES]
    assert min(drift) >= 0.915, drift  # the world that a short bandwidth fails


def test_the_range_narrows_as_runs_come_in(lift_table):
    widths = [lift_table[("clipped", n)][1] for n in simulate.SIZES]
    assert widths == sorted(widths, reverse=True)
    assert widths[-1] < 0.5 < widths[0] < 5


def test_the_range_never_reaches_past_what_a_change_can_be():
    covered, width = simulate.coverage("clipped", 10, 50, seed=1)
    assert width <= 20


def test_after_check_ins_skipped_after_bad_runs_bias_the_lift_so_it_is_said():
    covered, _ = simulate.coverage("mnar", 120, REPS, seed=3)
    assert covered < 0.6  # the reason the page says how many after check-ins are missing


def test_a_drifting_lift_is_held_for_the_runs_it_describes():
    covered, _ = simulate.coverage("drift", 40, REPS, seed=4, these_runs=True)
    assert covered >= 0.93


@pytest.mark.parametrize("world", ["ar03", "ar06", "drift", "ceiling", "mnar"])
def test_a_false_confirmed_hunch_stays_rare_when_refitted_after_every_run(world):
    _, confirmed = simulate_hunches.false_confirmed(world, 200, seed=7)
    assert confirmed <= 0.09  # the target is 5%; 200 people leave about ±1.5 points of chance


@pytest.mark.parametrize("world", simulate_hunches.BAD_DAY_WORLDS[:4])
def test_more_on_bad_days_is_rarely_claimed_when_it_is_not_so(world):
    claimed, _ = simulate_hunches.false_bad_days(world, 200, seed=8)
    assert claimed <= 0.08


@pytest.mark.parametrize("world", simulate_hunches.BAD_DAY_LIFT_WORLDS)
def test_more_on_bad_days_is_rarely_claimed_in_any_of_the_lifts_worlds(world):
    claimed = simulate_hunches.bad_days_in_lift_worlds(world, 40, 300, seed=40)
    assert claimed <= 0.08, (world, claimed)


def test_more_on_bad_days_is_never_claimed_under_twenty_runs():
    assert simulate_hunches.bad_days_in_lift_worlds("clipped", 19, 50, seed=19) == 0


def test_more_on_bad_days_can_be_told_when_it_is_so():
    claimed, _ = simulate_hunches.false_bad_days("true-effect", 200, seed=9)
    assert claimed >= 0.15


def test_the_rest_day_range_allows_for_days_that_resemble_each_other():
    covered, _ = simulate.rest_coverage(10, REPS, seed=10)
    assert covered >= 0.92
