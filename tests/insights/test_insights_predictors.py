"""What goes with a bigger lift: false hunches stay rare, real ones are found, RTM is named."""

from datetime import date

import numpy as np

from innerpace.insights.phrasing import HELPS_MOST, REGRESSION_TO_THE_MEAN, bad_days_sentences
from innerpace.insights.predictors import (
    PREDICTORS,
    HunchRecord,
    bad_days,
    compare_categories,
    fit_predictors,
    hac_maxlags,
    track_hunches,
)


def test_at_most_six_predictors_are_declared_up_front():
    assert len(PREDICTORS) <= 6


def test_the_hac_lag_rule():
    assert hac_maxlags(10) == 2
    assert hac_maxlags(60) == 3
    assert hac_maxlags(100) == 4


def test_predictors_with_no_effect_rarely_make_a_hunch(sim):
    rng = np.random.default_rng(11)
    sims = 200
    with_hunch = sum(bool(fit_predictors(sim.pairs(rng, 60)).passing) for _ in range(sims))
    assert with_hunch / sims <= 0.15


def test_a_strong_real_predictor_is_found_in_most_simulations(sim):
    rng = np.random.default_rng(12)
    sims = 50
    found = 0
    for _ in range(sims):
        fit = fit_predictors(sim.pairs(rng, 80, duration_effect=1.0))
        found += fit.passing.get("duration") == 1
    assert found / sims >= 0.8


def test_no_predictors_before_sixty_runs(sim):
    rng = np.random.default_rng(1)
    assert fit_predictors(sim.pairs(rng, 59)) is None
    assert fit_predictors(sim.pairs(rng, 60)) is not None


def test_a_predictor_without_variation_is_set_aside(sim):
    rng = np.random.default_rng(2)
    pairs = sim.pairs(rng, 60)
    from dataclasses import replace

    pairs = [replace(p, company="alone", pct_hrr=None) for p in pairs]
    fit = fit_predictors(pairs)
    assert {"company", "intensity"} <= set(fit.skipped)
    assert {r.name for r in fit.rows}.isdisjoint({"company", "intensity"})


def test_regression_to_the_mean_alone_is_not_called_helping_on_bad_days(sim):
    rng = np.random.default_rng(21)
    sims = 60
    said, slopes = 0, []
    for _ in range(sims):
        result = bad_days(sim.pairs(rng, 60), sim.rest(rng, 30))
        slopes.append(result.slope_run)
        said += result.helps_most
    assert np.mean(slopes) < -0.2  # low starts do change more: that is the trap
    assert said / sims <= 0.1


def test_the_regression_to_the_mean_sentence_is_returned(sim):
    rng = np.random.default_rng(5)
    result = bad_days(sim.pairs(rng, 60), sim.rest(rng, 30))
    assert not result.helps_most
    assert bad_days_sentences(result) == (REGRESSION_TO_THE_MEAN,)


def test_a_real_extra_lift_on_bad_days_can_be_told(sim):
    rng = np.random.default_rng(22)
    sims = 50
    said = 0
    for _ in range(sims):
        result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.5), sim.rest(rng, 40))
        said += result.helps_most
    assert said / sims >= 0.8
    rng = np.random.default_rng(23)
    result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.5), sim.rest(rng, 40))
    if result.helps_most:
        assert bad_days_sentences(result) == (HELPS_MOST,)


def test_without_rest_days_bad_days_cannot_be_told(sim):
    rng = np.random.default_rng(4)
    result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.8), [])
    assert not result.helps_most and result.slope_run is None


def test_categories_need_forty_runs_and_ten_per_level(sim):
    rng = np.random.default_rng(8)
    assert compare_categories(sim.pairs(rng, 39)) == ()
    pairs = sim.pairs(rng, 90)
    found = {c.factor: c for c in compare_categories(pairs)}
    assert set(found) == {"company", "setting"}
    company = found["company"]
    assert company.n_level >= 10 and company.n_reference >= 10
    assert company.low < company.difference < company.high
    from dataclasses import replace

    few = [replace(p, company="with-others" if i < 9 else "alone") for i, p in enumerate(pairs)]
    assert "company" not in {c.factor for c in compare_categories(few)}


DAY = date(2026, 5, 1)


def test_a_first_pass_is_a_new_hunch():
    records = track_hunches((), {"duration": 1}, 60, DAY)
    assert records == (HunchRecord("duration", 60, DAY, 1, "new"),)


def test_a_hunch_holds_then_is_confirmed_after_fifteen_more_runs():
    first = track_hunches((), {"duration": 1}, 60, DAY)
    holding = track_hunches(first, {"duration": 1}, 70, date(2026, 5, 20))
    assert holding[0].status == "holding"
    assert (holding[0].first_seen_run_count, holding[0].first_seen) == (60, DAY)
    confirmed = track_hunches(holding, {"duration": 1}, 75, date(2026, 6, 1))
    assert confirmed[0].status == "confirmed"
    assert confirmed[0].first_seen == DAY


def test_a_hunch_that_stops_passing_fades_once_then_is_forgotten():
    first = track_hunches((), {"duration": 1}, 60, DAY)
    faded = track_hunches(first, {}, 66, DAY)
    assert faded[0].status == "faded"
    assert track_hunches(faded, {}, 70, DAY) == ()
    again = track_hunches(faded, {"duration": 1}, 80, DAY)
    assert again[0].status == "new" and again[0].first_seen_run_count == 80


def test_a_hunch_that_turns_around_starts_over():
    first = track_hunches((), {"morning": 1}, 60, DAY)
    turned = track_hunches(first, {"morning": -1}, 90, DAY)
    assert turned[0].status == "new" and turned[0].direction == -1


def test_stored_records_without_a_direction_still_hold():
    stored = (HunchRecord("delay", 61, DAY),)
    assert track_hunches(stored, {"delay": -1}, 80, DAY)[0].status == "confirmed"
