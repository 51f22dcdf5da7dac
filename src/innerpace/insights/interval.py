"""One interval for the mean of a series whose values lean on each other (NumPy only).

The long-run variance is read from the series' slowest swings only: its projections on the
first ``q`` half-cosines, ``Y_l = √(2/n) Σ cos(π l (t − ½)/n) x_t`` (an equal-weighted cosine
estimator: Müller 2007; Lazarus, Lewis, Stock & Watson 2018). With few terms the estimate follows
a mood that drifts over weeks, which is what a person's lift does; under independence
``√n (x̄ − μ) / √(mean Y_l²)`` is exactly Student's t on ``q`` degrees of freedom, so the
critical value needs no tables.

``q`` grows slowly with the number of runs (two terms up to 40 runs, four at 120, six at 300),
and the interval is read at 96.5% under independence. Both were chosen in simulation
(``insights/simulate.py``; the tables are in docs/insights.md): together they keep coverage
between 92% and 97% with independent runs, runs that lean on their neighbours, whole-point scores
against a ceiling, heavy tails, and a lift that drifts slowly over weeks. The method is the same
for every journal; it is never chosen by the sign of the lag-1 correlation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

LEVEL = 0.965  # the nominal level under independence (see the module notes)
FEASIBLE = (-10.0, 10.0)  # a change on the Feeling Scale (−5…+5) can be no larger
METHOD = "low-frequency-cosine"
_Z = 2.108  # the normal quantile at (1 + LEVEL)/2, for "worth about k independent runs"


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """The mean, its long-run standard error and the interval, clipped to what can happen."""

    n: int
    mean: float
    se: float
    low: float
    high: float
    terms: int  # q, the half-cosines the long-run variance was read from
    critical: float
    n_eff: float  # how many independent runs would give a range this wide (1 to n)
    method: str = METHOD


def cosine_terms(n: int) -> int:
    """``q = max(2, round(√n / 3))``, and never more than ``n − 1``."""
    return max(1, min(n - 1, max(2, round(math.sqrt(n) / 3))))


@lru_cache(maxsize=16)  # a few lengths at a time (runs, rest days, themes); the server runs on
def _basis(n: int, q: int) -> np.ndarray:
    t = np.arange(n) + 0.5
    ls = np.arange(1, q + 1)[:, None]
    return np.sqrt(2.0 / n) * np.cos(np.pi * ls * t / n)


def long_run_variance(x: np.ndarray, q: int | None = None) -> np.ndarray:
    """``mean(Y_l²)`` over the first ``q`` half-cosines, along the last axis (one per row).

    The half-cosines sum to zero, so the mean of the series does not enter; the series is
    centred first all the same, so that identical values give exactly zero.
    """
    n = x.shape[-1]
    q = cosine_terms(n) if q is None else q
    c = x - x.mean(axis=-1, keepdims=True)
    y = c @ _basis(n, q).T
    return (y * y).mean(axis=-1)


def t_within(t: float, df: int) -> float:
    """``P(|T| ≤ t)`` for Student's t on a whole number of degrees of freedom (Abramowitz &
    Stegun 26.7.3–4: closed form, no special functions)."""
    if t <= 0:
        return 0.0
    theta = math.atan(t / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    if df == 1:
        return 2 * theta / math.pi
    if df % 2:
        total, term = c, c
        for k in range(1, (df - 1) // 2):
            term *= c * c * (2 * k) / (2 * k + 1)
            total += term
        return (2 / math.pi) * (theta + s * total)
    total, term = 1.0, 1.0
    for k in range(1, df // 2):
        term *= c * c * (2 * k - 1) / (2 * k)
        total += term
    return s * total


@cache
def t_quantile(level: float, df: int) -> float:
    """The ``t`` with ``P(|T| ≤ t) = level`` on ``df`` degrees of freedom (by bisection)."""
    low, high = 0.0, 1.0
    while t_within(high, df) < level:
        high *= 2
    for _ in range(80):
        mid = (low + high) / 2
        if t_within(mid, df) < level:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def critical(n: int) -> float:
    """The critical value for ``n`` runs: Student's t on ``q`` degrees of freedom at LEVEL."""
    return t_quantile(LEVEL, cosine_terms(n))


def mean_interval(
    d: Sequence[float] | np.ndarray, feasible: tuple[float, float] = FEASIBLE
) -> MeanInterval | None:
    """The interval for the mean of ``d`` (in run order), or None under 3 values.

    When every value is the same the interval has no width (``se`` is 0); the caller says what
    happened instead of printing it.
    """
    x = np.asarray(d, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n < 3:
        return None
    q = cosine_terms(n)
    se = math.sqrt(float(long_run_variance(x, q)) / n)
    mean = float(x.mean())
    cv = t_quantile(LEVEL, q)
    half = cv * se
    sd = float(x.std(ddof=1))
    n_eff = float(n if half <= 0 else min(n, max(1.0, (_Z * sd / half) ** 2)))
    low = max(feasible[0], mean - half)
    high = min(feasible[1], mean + half)
    return MeanInterval(n, mean, se, low, high, q, cv, n_eff)


@dataclass(frozen=True, slots=True)
class Difference:
    """``mean(a) − mean(b)`` for two separate series, each side's long-run variance in its
    standard error, with Welch–Satterthwaite degrees of freedom from the two ``q``."""

    difference: float
    se: float
    df: int
    low: float
    high: float
    method: str = METHOD


def difference_interval(
    a: np.ndarray, b: np.ndarray, feasible: tuple[float, float] = FEASIBLE
) -> Difference | None:
    """The interval for ``mean(a) − mean(b)``, or None under 3 values on either side."""
    if a.size < 3 or b.size < 3:
        return None
    qa, qb = cosine_terms(a.size), cosine_terms(b.size)
    va = float(long_run_variance(a, qa)) / a.size
    vb = float(long_run_variance(b, qb)) / b.size
    diff = float(a.mean() - b.mean())
    se = math.sqrt(va + vb)
    if se <= 0:
        return Difference(diff, 0.0, qa + qb, diff, diff)
    df = max(1, math.floor((va + vb) ** 2 / (va * va / qa + vb * vb / qb)))
    half = t_quantile(LEVEL, df) * se
    return Difference(diff, se, df, max(feasible[0], diff - half), min(feasible[1], diff + half))


def intervals_many(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`mean_interval` for each row of ``x`` at once (for simulations), unclipped."""
    n = x.shape[1]
    half = critical(n) * np.sqrt(long_run_variance(x) / n)
    mean = x.mean(axis=1)
    return mean - half, mean + half
