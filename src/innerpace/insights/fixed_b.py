"""Long-run standard errors for regression slopes whose runs lean on each other (NumPy only).

Newey–West (Bartlett kernel) with the longest bandwidth, ``M = n`` runs (``b = M/n = 1``, Kiefer,
Vogelsang & Bunzel 2000), and fixed-b critical values (Kiefer & Vogelsang 2005, Econometric
Theory 21:1130), which widen the interval for the extra uncertainty of estimating that variance
from the same few runs. The predictor models (comparisons, hunches, low days) use these; a mean
change has its own interval in ``insights/interval.py``.
"""

from __future__ import annotations

import math

import numpy as np

# Kiefer & Vogelsang (2005), Bartlett kernel, 97.5% quantile of the fixed-b t limit:
# cv(b) = 1.96 + 2.9694·b + 0.4160·b² − 0.5324·b³.
_KV_975 = (1.9600, 2.9694, 0.4160, -0.5324)
T5_975 = 2.570582  # the 97.5% quantile of Student's t on 5 degrees of freedom


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


def critical(n: int) -> float:
    """The 97.5% critical value at ``b = 1`` for ``n`` runs, small-sample widening included."""
    return fixed_b_critical(1.0) * small_sample(n)


def long_run_matrix(scores: np.ndarray) -> np.ndarray:
    """Bartlett long-run variance at ``M = n`` of a ``n × k`` matrix of scores (``x_t·u_t``).

    With ``M = n`` the Bartlett estimate equals ``2/n² · Σ S_t S_tᵀ`` over the partial sums
    ``S_t`` of the centred scores (Kiefer & Vogelsang 2002), which costs one cumulative sum.
    """
    n = scores.shape[0]
    partial = np.cumsum(scores - scores.mean(axis=0), axis=0)[:-1]
    return 2.0 * partial.T @ partial / (n * n)


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
