"""The lift: how much better a run leaves this person, with honest uncertainty for one person."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from innerpace.domain import Moment, MomentStatus

LEVEL = 0.95
MIN_PAIRS = 3
MIN_REST_FOR_INTERVAL = 5
PUBLISHED_BAND = (0.3, 0.5)
DURING_TAGS = ("struggle", "release", "tears", "clarity", "calm", "joy")


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float
    method: str  # "t-neff", "bca", "constant", "welch"


@dataclass(frozen=True, slots=True)
class Lift:
    """The headline numbers. ``enough`` is False (and the numbers None) under three pairs."""

    n: int
    enough: bool
    mean: float | None = None
    hodges_lehmann: float | None = None
    n_better: int = 0
    share_better: float | None = None
    wilcoxon_p: float | None = None
    r1: float | None = None
    n_eff: float | None = None
    interval: Interval | None = None
    sd_pre: float | None = None
    mid: float | None = None
    position: str | None = None
    g: float | None = None


@dataclass(frozen=True, slots=True)
class RestContrast:
    n_runs: int
    n_rest: int
    mean_run: float
    mean_rest: float
    difference: float
    interval: Interval | None


@dataclass(frozen=True, slots=True)
class During:
    """What was marked during runs: counts by tag, descriptive only."""

    moments: int
    runs: int
    by_tag: tuple[tuple[str, int], ...]


def _clean(values: Iterable[float]) -> np.ndarray:
    arr = np.asarray(list(values), dtype=float)
    return arr[np.isfinite(arr)]


def lag1(d: Sequence[float] | np.ndarray) -> float:
    """Lag-1 autocorrelation of ``d`` in run order (0 when it cannot be told)."""
    x = np.asarray(d, dtype=float)
    if x.size < 3:
        return 0.0
    c = x - x.mean()
    denom = float(np.dot(c, c))
    if denom <= 0:
        return 0.0
    return float(np.clip(np.dot(c[:-1], c[1:]) / denom, -1.0, 1.0))


def effective_n(n: int, r1: float) -> float:
    """``n(1−r1)/(1+r1)`` for positive ``r1``, never below 2 nor above ``n``."""
    if r1 <= 0:
        return float(n)
    return float(min(n, max(2.0, n * (1 - r1) / (1 + r1))))


def t_interval(d: Sequence[float] | np.ndarray, n_eff: float, level: float = LEVEL) -> Interval:
    """Mean ± t·sd/√n_eff on ``n_eff − 1`` degrees of freedom."""
    x = np.asarray(d, dtype=float)
    m = float(x.mean())
    se = float(x.std(ddof=1)) / math.sqrt(n_eff)
    q = float(stats.t.ppf(0.5 + level / 2, max(1.0, n_eff - 1)))
    return Interval(m - q * se, m + q * se, "t-neff")


def bca_interval(d: Sequence[float] | np.ndarray, level: float = LEVEL, seed: int = 0) -> Interval:
    """A seeded BCa bootstrap of the mean; percentile bounds when BCa cannot be formed."""
    x = np.asarray(d, dtype=float)
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            (x,),
            np.mean,
            method="BCa",
            confidence_level=level,
            n_resamples=1999,
            rng=rng,
            vectorized=True,
        )
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (math.isfinite(low) and math.isfinite(high)):
        dist = res.bootstrap_distribution
        low, high = (float(v) for v in np.quantile(dist, [0.5 - level / 2, 0.5 + level / 2]))
    return Interval(low, high, "bca")


def hodges_lehmann(d: Sequence[float] | np.ndarray) -> float:
    """The median of all Walsh averages ``(d_i + d_j)/2``, ``i ≤ j``."""
    x = np.asarray(d, dtype=float)
    i, j = np.triu_indices(x.size)
    return float(np.median((x[i] + x[j]) / 2))


def wilcoxon_p(d: Sequence[float] | np.ndarray) -> float | None:
    """Two-sided Wilcoxon signed-rank p-value, or None when every change is zero."""
    x = np.asarray(d, dtype=float)
    if np.count_nonzero(x) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            p = float(stats.wilcoxon(x).pvalue)
        except ValueError:
            return None
    return p if math.isfinite(p) else None


def smallest_meaningful(sd_pre: float) -> float:
    """``MID = max(1 point, 0.5 · sd(pre))``."""
    return max(1.0, 0.5 * sd_pre)


def position(interval: Interval, mid: float) -> str:
    """Where the interval lies relative to zero and to the smallest meaningful change."""
    if interval.low >= mid:
        return "meaningful"
    if interval.low > 0:
        return "above-zero" if interval.high >= mid else "small"
    if interval.high < 0:
        return "lower"
    return "unclear"


def lift(d: Sequence[float], pre: Sequence[float], *, level: float = LEVEL, seed: int = 0) -> Lift:
    """The headline lift for changes ``d`` (in run order) and pre-run feelings ``pre``."""
    x = _clean(d)
    n = int(x.size)
    if n < MIN_PAIRS:
        return Lift(n=n, enough=False)
    before = _clean(pre)
    sd_pre = float(before.std(ddof=1)) if before.size >= 2 else 0.0
    mean = float(x.mean())
    sd_d = float(x.std(ddof=1))
    r1 = lag1(x)
    n_eff = effective_n(n, r1)
    if sd_d == 0:
        interval = Interval(mean, mean, "constant")
    elif r1 > 0:
        interval = t_interval(x, n_eff, level)
    else:
        interval = bca_interval(x, level, seed)
    mid = smallest_meaningful(sd_pre)
    n_better = int(np.count_nonzero(x > 0))
    return Lift(
        n=n,
        enough=True,
        mean=mean,
        hodges_lehmann=hodges_lehmann(x),
        n_better=n_better,
        share_better=n_better / n,
        wilcoxon_p=wilcoxon_p(x),
        r1=r1,
        n_eff=n_eff,
        interval=interval,
        sd_pre=sd_pre,
        mid=mid,
        position=position(interval, mid),
        g=mean / sd_pre if sd_pre > 0 else None,
    )


def rest_contrast(
    d_run: Sequence[float], d_rest: Sequence[float], *, level: float = LEVEL
) -> RestContrast | None:
    """``mean(d_run) − mean(d_rest)``; an interval from five rest pairs on (Welch, n_eff)."""
    runs, rest = _clean(d_run), _clean(d_rest)
    if runs.size < MIN_PAIRS or rest.size == 0:
        return None
    diff = float(runs.mean() - rest.mean())
    interval = None
    if rest.size >= MIN_REST_FOR_INTERVAL:
        n_eff = effective_n(runs.size, lag1(runs))
        v_run = float(runs.var(ddof=1)) / n_eff
        v_rest = float(rest.var(ddof=1)) / rest.size
        se = math.sqrt(v_run + v_rest)
        if se == 0:
            interval = Interval(diff, diff, "constant")
        else:
            df_den = (v_run**2) / max(1.0, n_eff - 1) + (v_rest**2) / (rest.size - 1)
            df = (v_run + v_rest) ** 2 / df_den if df_den > 0 else 1.0
            q = float(stats.t.ppf(0.5 + level / 2, max(1.0, df)))
            interval = Interval(diff - q * se, diff + q * se, "welch")
    return RestContrast(
        n_runs=int(runs.size),
        n_rest=int(rest.size),
        mean_run=float(runs.mean()),
        mean_rest=float(rest.mean()),
        difference=diff,
        interval=interval,
    )


def during(moments: Iterable[Moment]) -> During:
    """Confirmed moments along runs, counted by tag (struggle, release, …)."""
    confirmed = [m for m in moments if m.status == MomentStatus.CONFIRMED and m.tags]
    counts = Counter(tag for m in confirmed for tag in set(m.tags))
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return During(
        moments=len(confirmed),
        runs=len({m.run_id for m in confirmed}),
        by_tag=tuple(ordered),
    )
