"""The headline lift on simulated runners whose true lift is known."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from innerpace.domain import Moment, MomentStatus
from innerpace.insights.lift import (
    Interval,
    during,
    effective_n,
    hodges_lehmann,
    lag1,
    lift,
    position,
    rest_contrast,
    smallest_meaningful,
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


def test_the_interval_widens_by_the_effective_sample_size(sim):
    rng = np.random.default_rng(3)
    d = 1.0 + sim.ar1(rng, 1, 60, 0.6, 1.5)[0]
    result = lift(d, np.zeros(60))
    assert result.r1 > 0
    assert result.interval.method == "t-neff"
    assert result.n_eff == effective_n(60, result.r1) < 60


def test_without_a_true_lift_no_confident_claim_of_ending_better(sim):
    rng = np.random.default_rng(77)
    d = sim.ar1(rng, SIMS, N, R, 1.5)
    pre = rng.integers(-3, 3, (SIMS, N))
    positions = [lift(d[i], pre[i]).position for i in range(SIMS)]
    confident = sum(p in ("meaningful", "above-zero", "small") for p in positions)
    assert confident / SIMS <= 0.05
    assert positions.count("meaningful") == 0


def test_a_negative_lag_uses_the_seeded_bootstrap():
    d = np.array([2, -1, 3, -1, 2, 0, 3, -1, 2, 0, 3, -2] * 2, dtype=float)
    first = lift(d, np.zeros(d.size))
    again = lift(d, np.zeros(d.size))
    assert first.r1 <= 0
    assert first.interval.method == "bca"
    assert first.interval == again.interval
    assert first.interval.low < d.mean() < first.interval.high


def test_too_few_pairs_is_a_clear_not_enough_state():
    for d in ([], [1.0], [1.0, 2.0]):
        result = lift(d, d)
        assert result.enough is False
        assert result.mean is None and result.interval is None


def test_identical_changes_give_a_point_interval():
    result = lift([1.0] * 12, [0.0] * 12)
    assert (result.interval.low, result.interval.high) == (1.0, 1.0)
    assert result.share_better == 1.0


def test_the_smallest_meaningful_change_is_at_least_one_point():
    assert smallest_meaningful(0.4) == 1.0
    assert smallest_meaningful(3.0) == 1.5


def test_position_is_read_against_zero_and_the_smallest_meaningful_change():
    assert position(Interval(1.1, 2.0, "t-neff"), 1.0) == "meaningful"
    assert position(Interval(0.2, 1.4, "t-neff"), 1.0) == "above-zero"
    assert position(Interval(0.2, 0.8, "t-neff"), 1.0) == "small"
    assert position(Interval(-0.2, 0.8, "t-neff"), 1.0) == "unclear"
    assert position(Interval(-1.2, -0.1, "t-neff"), 1.0) == "lower"


def test_g_is_the_mean_change_over_the_spread_of_pre():
    pre = np.array([-2, 0, 2, 0] * 5, dtype=float)
    d = np.array([1, 2, 1, 2] * 5, dtype=float)
    assert math.isclose(lift(d, pre).g, d.mean() / pre.std(ddof=1))


def test_lag1_of_an_alternating_series_is_negative():
    assert lag1([1, -1] * 10) < -0.9
    assert lag1([1, 1, 1]) == 0.0


def test_the_rest_day_contrast_has_a_range_from_five_rest_pairs():
    runs = [1, 2, 1, 0, 2, 1, 1, 2, 0, 1]
    assert rest_contrast(runs, [0, 0, 1, -1]).interval is None
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
    numbers += [result.interval.low, result.interval.high, result.mid, result.sd_pre]
    assert all(math.isfinite(x) for x in numbers)
    assert result.g is None or math.isfinite(result.g)
    assert min(d) <= result.hodges_lehmann <= max(d)
    assert 0.0 <= result.share_better <= 1.0
    assert result.interval.low <= result.interval.high
    assert result.wilcoxon_p is None or 0.0 <= result.wilcoxon_p <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-10, max_value=10), min_size=1, max_size=60))
def test_hodges_lehmann_lies_between_the_smallest_and_largest_change(d):
    assert min(d) <= hodges_lehmann(d) <= max(d)
