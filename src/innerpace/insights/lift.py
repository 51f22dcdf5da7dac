"""The lift: how much better a run leaves this person, with honest uncertainty for one person."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from innerpace.domain import Moment, MomentStatus
from innerpace.insights.interval import difference_interval, mean_interval

LEVEL = 0.95
MIN_PAIRS = 3
MIN_REST = 5
MISSING_WORRY = 0.2
DURING_TAGS = ("struggle", "release", "tears", "clarity", "calm", "joy")


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float
    method: str  # "low-frequency-cosine" (see insights/interval.py)


@dataclass(frozen=True, slots=True)
class Lift:
    """The headline numbers. ``enough`` is False (and the numbers None) under three pairs.

    ``interval`` is None when every change is the same (``constant`` then holds that change):
    a range without width would claim a certainty no journal has.
    """

    n: int
    enough: bool
    mean: float | None = None
    hodges_lehmann: float | None = None
    n_better: int = 0
    n_same: int = 0
    share_better: float | None = None
    wilcoxon_p: float | None = field(default=None, metadata={"digits": 4})
    r1: float | None = None
    n_eff: float | None = field(default=None, metadata={"digits": 1})
    terms: int | None = None  # the slow swings the range was read from (insights/interval.py)
    interval: Interval | None = None
    sd_pre: float | None = None
    mid: float | None = None
    position: str | None = None
    constant: float | None = None

    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("n_worse",)

    @property
    def n_worse(self) -> int:
        return self.n - self.n_better - self.n_same


@dataclass(frozen=True, slots=True)
class Missing:
    """Runs with a check-in before and none after: they cannot be counted in the lift."""

    with_before: int
    missing_after: int

    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("share", "worrying")

    @property
    def share(self) -> float | None:
        return self.missing_after / self.with_before if self.with_before else None

    @property
    def worrying(self) -> bool:
        """More than one in five missing: those runs may have gone differently."""
        return self.share is not None and self.share > MISSING_WORRY


@dataclass(frozen=True, slots=True)
class RestContrast:
    n_runs: int
    n_rest: int
    mean_run: float
    mean_rest: float
    difference: float
    interval: Interval | None
    df: int | None = None  # Student's t degrees of freedom of the range (Welch–Satterthwaite)


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
    """Lag-1 autocorrelation of ``d`` in run order (0 when it cannot be told). Reported only."""
    x = np.asarray(d, dtype=float)
    if x.size < 3:
        return 0.0
    c = x - x.mean()
    denom = float(np.dot(c, c))
    if denom <= 0:
        return 0.0
    return float(np.clip(np.dot(c[:-1], c[1:]) / denom, -1.0, 1.0))


def hodges_lehmann(d: Sequence[float] | np.ndarray) -> float:
    """The median of all Walsh averages ``(d_i + d_j)/2``, ``i ≤ j``."""
    x = np.asarray(d, dtype=float)
    i, j = np.triu_indices(x.size)
    return float(np.median((x[i] + x[j]) / 2))


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (1-based), ties sharing the mean of their places."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(values.size, dtype=float)
    sorted_v = values[order]
    i = 0
    while i < values.size:
        j = i
        while j + 1 < values.size and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def wilcoxon_p(d: Sequence[float] | np.ndarray) -> float | None:
    """Two-sided Wilcoxon signed-rank p-value (zeros dropped, normal approximation with the
    tie correction), or None when every change is zero."""
    x = np.asarray(d, dtype=float)
    x = x[x != 0]
    n = x.size
    if n == 0:
        return None
    r = _ranks(np.abs(x))
    w_plus = float(r[x > 0].sum())
    mean = n * (n + 1) / 4
    _, counts = np.unique(np.abs(x), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - float((counts**3 - counts).sum()) / 48
    if var <= 0:
        return None
    z = (abs(w_plus - mean) - 0.5) / math.sqrt(var)
    p = math.erfc(max(z, 0.0) / math.sqrt(2))
    return min(1.0, p)


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


def lift(d: Sequence[float], pre: Sequence[float]) -> Lift:
    """The headline lift for changes ``d`` (in run order) and pre-run feelings ``pre``."""
    x = _clean(d)
    n = int(x.size)
    if n < MIN_PAIRS:
        return Lift(n=n, enough=False)
    before = _clean(pre)
    sd_pre = float(before.std(ddof=1)) if before.size >= 2 else 0.0
    mean = float(x.mean())
    found = mean_interval(x)
    interval = None
    n_eff = float(n)
    terms = None
    if found is not None and found.se > 0:
        terms = found.terms
        interval = Interval(found.low, found.high, found.method)
        n_eff = found.n_eff
    mid = smallest_meaningful(sd_pre)
    n_better = int(np.count_nonzero(x > 0))
    return Lift(
        n=n,
        enough=True,
        mean=mean,
        hodges_lehmann=hodges_lehmann(x),
        n_better=n_better,
        n_same=int(np.count_nonzero(x == 0)),
        share_better=n_better / n,
        wilcoxon_p=wilcoxon_p(x),
        r1=lag1(x),
        n_eff=n_eff,
        terms=terms,
        interval=interval,
        sd_pre=sd_pre,
        mid=mid,
        position=None if interval is None else position(interval, mid),
        constant=None if interval is not None or np.ptp(x) > 0 else mean,
    )


def rest_contrast(d_run: Sequence[float], d_rest: Sequence[float]) -> RestContrast | None:
    """``mean(d_run) − mean(d_rest)`` from five rest pairs on, each side's serial correlation in
    its standard error (``insights/interval.difference_interval``)."""
    runs, rest = _clean(d_run), _clean(d_rest)
    if runs.size < MIN_PAIRS or rest.size < MIN_REST:
        return None
    found = difference_interval(runs, rest)
    assert found is not None  # both sides have at least three
    interval = None
    if found.se > 0:
        interval = Interval(found.low, found.high, found.method)
    return RestContrast(
        n_runs=int(runs.size),
        n_rest=int(rest.size),
        mean_run=float(runs.mean()),
        mean_rest=float(rest.mean()),
        difference=found.difference,
        interval=interval,
        df=None if interval is None else found.df,
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
