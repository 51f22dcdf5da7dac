"""What goes with a bigger lift: false hunches stay rare, real ones are found, RTM is named."""

from dataclasses import replace
from datetime import date

import numpy as np

from innerpace.insights.phrasing import (
    MORE_ON_BAD_DAYS,
    REGRESSION_TO_THE_MEAN,
    STARTS_DIFFER,
    bad_days_sentences,
)
from innerpace.insights.predictors import (
    CONFIRM_AFTER,
    PREDICTORS,
    HunchRecord,
    bad_days,
    benjamini_hochberg,
    compare_categories,
    fit_predictors,
    track_hunches,
)


def test_at_most_six_predictors_are_declared_up_front():
    assert len(PREDICTORS) <= 6


def test_benjamini_hochberg_matches_the_textbook_steps():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.2, 0.5])
    # sorted: 0.005 0.01 0.03 0.04 0.2 0.5 against 0.1·k/6: 0.0167 0.033 0.05 0.067 0.083 0.1
    assert benjamini_hochberg(p, 0.10).tolist() == [True, True, True, True, False, False]
    assert benjamini_hochberg(np.array([0.5, 0.9]), 0.10).tolist() == [False, False]


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
    assert found / sims >= 0.6  # the long bandwidth that keeps false hunches rare costs power


def test_no_predictors_before_sixty_runs(sim):
    rng = np.random.default_rng(1)
    assert fit_predictors(sim.pairs(rng, 59)) is None
    assert fit_predictors(sim.pairs(rng, 60)) is not None


def test_a_predictor_without_variation_is_set_aside(sim):
    rng = np.random.default_rng(2)
    pairs = sim.pairs(rng, 60)
    pairs = [replace(p, company="alone", pct_hrr=None) for p in pairs]
    fit = fit_predictors(pairs)
    assert {"company", "intensity"} <= set(fit.skipped)
    assert {r.name for r in fit.rows}.isdisjoint({"company", "intensity"})


def test_regression_to_the_mean_alone_is_not_called_more_on_bad_days(sim):
    rng = np.random.default_rng(21)
    sims = 60
    said = 0
    for _ in range(sims):
        result = bad_days(sim.pairs(rng, 60), sim.rest(rng, 30))
        said += result.more_on_bad_days
    assert said / sims <= 0.1


def test_the_regression_to_the_mean_sentence_is_returned(sim):
    rng = np.random.default_rng(5)
    result = bad_days(sim.pairs(rng, 60), sim.rest(rng, 30))
    assert not result.more_on_bad_days
    assert bad_days_sentences(result, 30)[0] == REGRESSION_TO_THE_MEAN


def test_a_real_extra_lift_on_bad_days_can_be_told(sim):
    rng = np.random.default_rng(22)
    sims = 50
    said = 0
    for _ in range(sims):
        result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.5), sim.rest(rng, 40))
        said += result.more_on_bad_days
    assert said / sims >= 0.6
    rng = np.random.default_rng(23)
    result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.5), sim.rest(rng, 40))
    if result.more_on_bad_days:
        assert bad_days_sentences(result, 40) == (MORE_ON_BAD_DAYS,)


def test_rest_days_that_start_from_other_feelings_are_not_compared(sim):
    rng = np.random.default_rng(24)
    pairs = sim.pairs(rng, 80, bad_day_extra=0.5)
    rest = [
        replace(r, first=min(3.0, r.first + 2), second=min(3.0, r.second + 2))
        for r in sim.rest(rng, 40)
    ]
    result = bad_days(pairs, rest)
    assert not result.overlap and not result.more_on_bad_days
    assert bad_days_sentences(result, 40) == (REGRESSION_TO_THE_MEAN, STARTS_DIFFER)


def test_starts_at_the_top_of_the_scale_are_left_out(sim):
    rng = np.random.default_rng(25)
    pairs = sim.pairs(rng, 60)
    high = [replace(p, pre=5.0, post=5.0) for p in pairs[:10]]
    result = bad_days(high + pairs[10:], sim.rest(rng, 30))
    assert result.excluded_high_starts >= 10


def test_without_rest_days_bad_days_cannot_be_told(sim):
    rng = np.random.default_rng(4)
    result = bad_days(sim.pairs(rng, 80, bad_day_extra=0.8), [])
    assert not result.more_on_bad_days and result.interaction is None
    assert len(bad_days_sentences(result, 0)) == 2
    assert "more rest days" in bad_days_sentences(result, 4)[1]


def test_categories_need_forty_runs_and_ten_per_level(sim):
    rng = np.random.default_rng(8)
    assert compare_categories(sim.pairs(rng, 39)) == ()
    pairs = sim.pairs(rng, 90)
    found = {c.factor: c for c in compare_categories(pairs)}
    assert set(found) == {"company", "setting"}
    company = found["company"]
    assert company.n_level >= 10 and company.n_reference >= 10
    assert company.low < company.difference < company.high
    few = [replace(p, company="with-others" if i < 9 else "alone") for i, p in enumerate(pairs)]
    assert "company" not in {c.factor for c in compare_categories(few)}


DAY = date(2026, 5, 1)


def checks(result: bool, calls: list | None = None):
    def check(name: str, direction: int, start: int) -> bool:
        if calls is not None:
            calls.append((name, direction, start))
        return result

    return check


def track(previous, passing, n, day=DAY, **kw):
    return track_hunches(previous, passing, (), day, run_count=n, **kw)


def test_a_first_pass_is_a_new_hunch():
    records = track((), {"duration": 1}, 60)
    assert records == (HunchRecord("duration", 60, DAY, 1, "new"),)


def test_a_hunch_stays_new_while_fewer_than_fifteen_runs_came_after_it():
    first = track((), {"duration": 1}, 60)
    calls: list = []
    for n in (60, 61, 74):
        again = track(first, {}, n, check=checks(True, calls))
        assert again == first
    assert calls == []


def test_a_hunch_is_checked_once_on_the_runs_after_it_then_kept_or_faded():
    first = track((), {"duration": 1}, 60)
    calls: list = []
    kept = track(first, {}, 60 + CONFIRM_AFTER, date(2026, 6, 1), check=checks(True, calls))
    assert calls == [("duration", 1, 60)]
    assert kept[0].status == "confirmed" and kept[0].first_seen == DAY
    assert track(kept, {}, 120, check=checks(False, calls)) == kept
    assert len(calls) == 1  # never checked again
    faded = track(first, {"duration": 1}, 80, check=checks(False))
    assert faded[0].status == "faded"


def test_a_faded_hunch_is_said_once_then_may_start_over():
    first = track((), {"duration": 1}, 60)
    faded = track(first, {}, 80, check=checks(False))
    assert track(faded, {}, 81) == ()
    again = track(faded, {"duration": 1}, 90)
    assert again[0].status == "new" and again[0].first_seen_run_count == 90


def test_the_check_uses_only_the_runs_after_the_hunch_was_first_seen(sim):
    rng = np.random.default_rng(31)
    pairs = sim.pairs(rng, 110, duration_effect=2.0)
    first = (HunchRecord("duration", 60, DAY, 1, "new"),)
    kept = track_hunches(first, {}, pairs, DAY)
    assert kept[0].status == "confirmed"
    flat = [
        replace(p, duration_s=pairs[0].duration_s) if i >= 60 else p for i, p in enumerate(pairs)
    ]
    faded = track_hunches(first, {}, flat, DAY)
    assert faded[0].status == "faded"


def test_no_hunch_from_feelings_that_never_vary(sim):
    rng = np.random.default_rng(32)
    pairs = [replace(p, pre=5.0, post=5.0) for p in sim.pairs(rng, 70)]
    fit = fit_predictors(pairs)
    assert fit.flat and fit.passing == {} and fit.rows == ()
