"""One interval for the mean of a series whose values lean on each other (NumPy only).

Newey–West (Bartlett kernel) long-run variance with the longest bandwidth, ``M = n`` runs
(``b = M/n = 1``, Kiefer, Vogelsang & Bunzel 2000), and fixed-b critical values (Kiefer &
Vogelsang 2005, Econometric Theory 21:1130), which widen the interval for the extra uncertainty of
estimating that variance from the same few runs. The same method is used for every journal: it is
never chosen by the sign of the lag-1 correlation. In simulation a long bandwidth held coverage
best when the lift drifts slowly (1.3·√n was tried first; see docs/insights.md).

Small samples get a t-like correction on top of the fixed-b value (chosen in simulation, see
``insights/simulate.py`` and docs/insights.md for the coverage tables).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BANDWIDTH_SHARE = 1.0  # b = M/n
LEVEL = 0.95
FEASIBLE = (-10.0, 10.0)  # a change on the Feeling Scale (−5…+5) can be no larger
# Kiefer & Vogelsang (2005), Bartlett kernel, 97.5% quantile of the fixed-b t limit:
# cv(b) = 1.96 + 2.9694·b + 0.4160·b² − 0.5324·b³.
_KV_975 = (1.9600, 2.9694, 0.4160, -0.5324)


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """The mean, its long-run standard error and the 95% interval, clipped to what can happen."""

    n: int
    mean: float
    se: float
    low: float
    high: float
    bandwidth: float
    critical: float
    n_eff: float  # how many independent runs would give a range this wide (1 to n)
    method: str = "newey-west-fixed-b"


def bandwidth(n: int) -> float:
    """The Bartlett bandwidth in runs, ``b·n`` (at least 1)."""
    return float(max(1.0, BANDWIDTH_SHARE * n))


def fixed_b_critical(b: float) -> float:
    """The 97.5% fixed-b critical value for the Bartlett kernel at ``b = M/n``."""
    b = min(max(b, 0.0), 1.0)
    c0, c1, c2, c3 = _KV_975
    return c0 + c1 * b + c2 * b * b + c3 * b**3


def small_sample(n: int) -> float:
    """A t-like widening for few runs: the ratio t₀.₉₇₅(n−1) / 1.96, from a Cornish–Fisher
    expansion (close to the exact t quantile from 5 degrees of freedom up)."""
    df = max(1.0, n - 1.0)
    z = 1.959964
    t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    t += (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    return t / z


def long_run_variance(x: np.ndarray, m: float | None = None) -> np.ndarray:
    """Bartlett long-run variance with bandwidth ``M = n`` along the last axis (one per row).

    With ``M = n`` the Bartlett estimate equals ``2/n² · Σ S_t²`` over the partial sums ``S_t`` of
    the centred series (Kiefer & Vogelsang 2002), which costs one cumulative sum. ``m`` is
    accepted for the record; only ``M = n`` is used.
    """
    c = x - x.mean(axis=-1, keepdims=True)
    n = x.shape[-1]
    partial = np.cumsum(c, axis=-1)[..., :-1]
    return np.maximum(2.0 * (partial * partial).sum(axis=-1) / (n * n), 0.0)


def long_run_matrix(scores: np.ndarray) -> np.ndarray:
    """The same for a ``n × k`` matrix of scores (regression ``x_t·u_t``), as a ``k × k`` matrix."""
    n = scores.shape[0]
    partial = np.cumsum(scores - scores.mean(axis=0), axis=0)[:-1]
    return 2.0 * partial.T @ partial / (n * n)


T5_975 = 2.570582  # the 97.5% quantile of Student's t on 5 degrees of freedom


def p_value(t: float, n: int) -> float:
    """Two-sided p-value of a fixed-b t statistic.

    The fixed-b limit has heavy tails, close in shape to Student's t on 5 degrees of freedom
    (checked by simulation: its 99% and 99.5% points sit about 1.5 and 1.8 times its 95% point).
    So the statistic is scaled to put the fixed-b 97.5% critical value on t₅'s, and the t₅ tail
    is read off in closed form.
    """
    u = abs(t) * T5_975 / critical(n)
    theta = math.atan(u / math.sqrt(5))
    c = math.cos(theta)
    inside = (2 / math.pi) * (theta + math.sin(theta) * (c + (2 / 3) * c**3))
    return min(1.0, max(0.0, 1.0 - inside))


def critical(n: int) -> float:
    return fixed_b_critical(bandwidth(n) / n) * small_sample(n)


def mean_interval(
    d: Sequence[float] | np.ndarray, feasible: tuple[float, float] = FEASIBLE
) -> MeanInterval | None:
    """The interval for the mean of ``d`` (in run order), or None under 3 values.

    When every value is the same the interval has no width; the caller says what happened
    instead of printing it.
    """
    x = np.asarray(d, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n < 3:
        return None
    m = bandwidth(n)
    lrv = float(long_run_variance(x, m))
    se = math.sqrt(lrv / n)
    mean = float(x.mean())
    cv = critical(n)
    half = cv * se
    sd = float(x.std(ddof=1))
    n_eff = float(n if half <= 0 else min(n, max(1.0, (1.959964 * sd / half) ** 2)))
    low = max(feasible[0], mean - cv * se)
    high = min(feasible[1], mean + cv * se)
    return MeanInterval(n, mean, se, low, high, m, cv, n_eff)


def intervals_many(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`mean_interval` for each row of ``x`` at once (for simulations), unclipped."""
    n = x.shape[1]
    lrv = long_run_variance(x, bandwidth(n))
    half = critical(n) * np.sqrt(lrv / n)
    mean = x.mean(axis=1)
    return mean - half, mean + half
