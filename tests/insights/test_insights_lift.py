"""The headline lift on simulated runners whose true lift is known."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from innerpace.domain import Moment, MomentStatus
from innerpace.insights.interval import (
    LEVEL,
    METHOD,
    cosine_terms,
    critical,
    difference_interval,
    long_run_variance,
    mean_interval,
    t_quantile,
    t_within,
)
from innerpace.insights.lift import (
    Interval,
    during,
    hodges_lehmann,
    lag1,
    lift,
    position,
    rest_contrast,
    smallest_meaningful,
    wilcoxon_p,
)

SIMS, N, TRUE_LIFT, R = 200, 40, 1.2, 0.4


def naive_covers(d: np.ndarray, truth: float) -> bool:
    n = d.size
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return d.mean() - half <= truth <= d.mean() + half


def test_the_interval_covers_a_true_lift_with_serially_correlated_runs(sim):
    rng = np.random.default_rng(20261125)
    d = TRUE_LIFT + sim.ar1(rng, SIMS, N, R, 1.5)
    pre = rng.integers(-3, 3, (SIMS, N))
    results = [lift(d[i], pre[i]) for i in range(SIMS)]
    covered = np.mean([r.interval.low <= TRUE_LIFT <= r.interval.high for r in results])
    naive = np.mean([naive_covers(d[i], TRUE_LIFT) for i in range(SIMS)])
    assert covered >= 0.90
    assert naive < covered - 0.05  # ignoring the correlation claims more certainty than it has
    assert naive < 0.88


def test_one_method_whatever_the_sign_of_the_lag_one_correlation(sim):
    rng = np.random.default_rng(3)
    up = lift(1.0 + sim.ar1(rng, 1, 60, 0.6, 1.5)[0], np.zeros(60))
    down = lift(np.array([2, -1, 3, -1, 2, 0, 3, -1, 2, 0, 3, -2] * 2, dtype=float), np.zeros(24))
    assert up.r1 > 0 and down.r1 < 0
    assert up.interval.method == down.interval.method == METHOD
    assert up.n_eff < 60
    assert up.interval.method == METHOD


def test_the_interval_is_the_same_every_time():
    d = np.array([2, -1, 3, -1, 2, 0, 3, -1, 2, 0, 3, -2] * 2, dtype=float)
    assert lift(d, np.zeros(d.size)) == lift(d, np.zeros(d.size))


def test_without_a_true_lift_no_confident_claim_of_ending_better(sim):
    rng = np.random.default_rng(77)
    d = sim.ar1(rng, SIMS, N, R, 1.5)
    pre = rng.integers(-3, 3, (SIMS, N))
    positions = [lift(d[i], pre[i]).position for i in range(SIMS)]
    confident = sum(p in ("meaningful", "above-zero", "small") for p in positions)
    assert confident / SIMS <= 0.05
    assert positions.count("meaningful") == 0


@given(st.floats(0.0, 40.0), st.integers(1, 40))
def test_the_t_distribution_matches_scipy(t, df):
    assert math.isclose(t_within(t, df), 1 - 2 * stats.t.sf(t, df), abs_tol=1e-10)


@given(st.sampled_from((0.9, 0.95, LEVEL, 0.99)), st.integers(1, 40))
def test_the_t_quantile_matches_scipy(level, df):
    assert math.isclose(t_quantile(level, df), stats.t.ppf((1 + level) / 2, df), rel_tol=1e-9)


def test_the_slow_swings_used_grow_slowly_with_the_runs():
    assert [cosine_terms(n) for n in (3, 10, 40, 60, 120, 300, 900)] == [2, 2, 2, 3, 4, 6, 10]
    assert critical(10) == critical(40) > critical(120) > critical(3000)


def test_under_independence_the_statistic_is_exactly_student_t(sim):
    """With independent normal changes, (mean − μ)/se is t on q degrees of freedom, so the
    interval holds the mean at the nominal level (a check of the basis and the scaling)."""
    rng = np.random.default_rng(11)
    for n in (10, 60, 300):
        x = rng.normal(0.5, 1.3, (20_000, n))
        q = cosine_terms(n)
        t = (x.mean(axis=1) - 0.5) / np.sqrt(long_run_variance(x, q) / n)
        inside = np.mean(np.abs(t) <= t_quantile(LEVEL, q))
        assert abs(inside - LEVEL) < 0.006, (n, inside)


def test_a_difference_of_two_means_counts_both_sides_uncertainty():
    rng = np.random.default_rng(5)
    a, b = rng.normal(1.0, 1.0, 40), rng.normal(0.0, 1.0, 6)
    found = difference_interval(a, b)
    alone = mean_interval(a)
    assert found.low < found.difference < found.high
    assert found.high - found.low > alone.high - alone.low
    assert difference_interval(a, b[:2]) is None
    same = difference_interval(np.ones(5), np.zeros(5))
    assert same.se == 0 and same.low == same.high == 1.0


def test_the_interval_is_clipped_to_what_a_change_can_be():
    d = [10.0, -10.0, 10.0, -10.0, 9.0]
    found = mean_interval(d)
    assert found.low >= -10.0 and found.high <= 10.0
    result = lift(d, [0.0] * 5)
    assert -10.0 <= result.interval.low <= result.interval.high <= 10.0


def test_too_few_pairs_is_a_clear_not_enough_state():
    for d in ([], [1.0], [1.0, 2.0]):
        result = lift(d, d)
        assert result.enough is False
        assert result.mean is None and result.interval is None


def test_identical_changes_give_no_interval_and_say_what_happened():
    result = lift([1.0] * 12, [0.0] * 12)
    assert result.interval is None and result.position is None
    assert result.constant == 1.0
    assert result.share_better == 1.0


def test_the_smallest_meaningful_change_is_at_least_one_point():
    assert smallest_meaningful(0.4) == 1.0
    assert smallest_meaningful(3.0) == 1.5


def test_position_is_read_against_zero_and_the_smallest_meaningful_change():
    assert position(Interval(1.1, 2.0, METHOD), 1.0) == "meaningful"
    assert position(Interval(0.2, 1.4, METHOD), 1.0) == "above-zero"
    assert position(Interval(0.2, 0.8, METHOD), 1.0) == "small"
    assert position(Interval(-0.2, 0.8, METHOD), 1.0) == "unclear"
    assert position(Interval(-1.2, -0.1, METHOD), 1.0) == "lower"


def test_wilcoxon_agrees_with_scipy_on_its_normal_approximation():
    rng = np.random.default_rng(5)
    for _ in range(20):
        d = rng.integers(-3, 5, 40).astype(float)
        ours = wilcoxon_p(d)
        theirs = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="approx").pvalue
        assert math.isclose(ours, theirs, rel_tol=1e-6, abs_tol=1e-9)


def test_lag1_of_an_alternating_series_is_negative():
    assert lag1([1, -1] * 10) < -0.9
    assert lag1([1, 1, 1]) == 0.0


def test_the_rest_day_contrast_has_a_range_from_five_rest_pairs():
    runs = [1, 2, 1, 0, 2, 1, 1, 2, 0, 1]
    assert rest_contrast(runs, [0, 0, 1, -1]) is None
    contrast = rest_contrast(runs, [0, 0, 1, -1, 0])
    assert math.isclose(contrast.difference, np.mean(runs) - 0.0)
    assert contrast.interval.low < contrast.difference < contrast.interval.high
    assert rest_contrast(runs, []) is None


def test_during_counts_confirmed_moments_only():
    moments = [
        Moment(run_id=1, at_s=300, tags=("struggle",)),
        Moment(run_id=1, at_s=2400, tags=("release", "tears")),
        Moment(run_id=2, at_s=2500, tags=("release",)),
        Moment(run_id=2, at_s=100, status=MomentStatus.SUGGESTED),
        Moment(run_id=3, at_s=100, tags=("joy",), status=MomentStatus.DISMISSED),
    ]
    result = during(moments)
    assert result.moments == 3 and result.runs == 2
    assert dict(result.by_tag) == {"release": 2, "struggle": 1, "tears": 1}


feelings = st.integers(min_value=-5, max_value=5)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(feelings, feelings), min_size=0, max_size=200))
def test_lift_never_fails_on_valid_feeling_pairs(pairs):
    pre = [a for a, _ in pairs]
    d = [b - a for a, b in pairs]
    result = lift(d, pre)
    if not result.enough:
        assert result.n < 3 and result.mean is None
        return
    numbers = [result.mean, result.hodges_lehmann, result.share_better, result.r1, result.n_eff]
    numbers += [result.mid, result.sd_pre]
    assert all(math.isfinite(x) for x in numbers)
    assert min(d) <= result.hodges_lehmann <= max(d)
    assert 0.0 <= result.share_better <= 1.0
    assert result.n_better + result.n_same + result.n_worse == result.n
    if len(set(d)) == 1:
        assert result.interval is None and result.constant == d[0]
    else:
        assert -10 <= result.interval.low < result.interval.high <= 10
    assert result.wilcoxon_p is None or 0.0 <= result.wilcoxon_p <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-10, max_value=10), min_size=1, max_size=60))
def test_hodges_lehmann_lies_between_the_smallest_and_largest_change(d):
    assert min(d) <= hodges_lehmann(d) <= max(d)
