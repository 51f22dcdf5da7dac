"""What goes with a bigger lift: ANCOVA on the post score, false discoveries kept in check.

Change scores carry regression to the mean, so every model here explains the *post* feeling with
the pre feeling as a covariate. Standard errors allow for runs that lean on each other and for
predictors that change slowly: Newey–West with the longest bandwidth (``M = n``) and fixed-b
critical values (``insights/fixed_b.py``), which hold false hunches at bay (see
``insights/simulate_hunches.py``). NumPy only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from innerpace.insights.data import RestPair, RunPair
from innerpace.insights.fixed_b import critical, long_run_matrix, p_value
from innerpace.insights.gates import THRESHOLDS, Level, enough_per_level

FDR_Q = 0.10
CONFIRM_AFTER = 15
MIN_BAD_DAY_RUNS = 20
MIN_BAD_DAY_REST = 10
MIN_PRESENT_SHARE = 0.8
MIN_MINORITY = 5
REPLICATE_ALPHA = 0.025  # two-sided, and pointing the same way
FLAT = 1e-6  # residual spread below this: nothing to explain, no hunch
CEILING_START = 4.0  # starts at +4 or +5 leave too little room to rise
MIN_OVERLAP = 0.7
SPREAD_RATIO = 1.25
MEAN_GAP = 0.5  # in pooled standard deviations

# The six predictors, declared up front: name → (plain label, unit of the reported effect).
PREDICTORS: dict[str, tuple[str, str]] = {
    "duration": ("longer runs", "per doubling of the duration"),
    "intensity": ("harder effort (heart rate)", "per 10 points of heart-rate reserve"),
    "morning": ("running in the morning", "morning runs compared with later ones"),
    "company": ("running with others", "with others compared with alone"),
    "setting": ("running outdoors", "outdoors compared with indoors"),
    "delay": ("a later after-run check-in", "per 10 minutes of delay"),
}
_UNIT_SCALE = {
    "duration": math.log(2),
    "intensity": 0.1,
    "morning": 1.0,
    "company": 1.0,
    "setting": 1.0,
    "delay": 10.0,
}


def hac_maxlags(n: int) -> int:
    """The Bartlett bandwidth used, in runs: all of them (``M = n``)."""
    return int(n)


def _column(pairs: Sequence[RunPair], name: str) -> list[float | None]:
    def one(p: RunPair) -> float | None:
        if name == "duration":
            return math.log(p.duration_s / 60)
        if name == "intensity":
            return p.pct_hrr
        if name == "morning":
            return 1.0 if p.time_of_day == "morning" else 0.0
        if name == "company":
            return None if p.company is None else float(p.company == "with-others")
        if name == "setting":
            return None if p.setting is None else float(p.setting == "outdoors")
        if name == "delay":
            return None if p.delay_s is None else p.delay_s / 60
        raise KeyError(name)

    return [one(p) for p in pairs]


def _usable(values: list[float | None]) -> np.ndarray | None:
    present = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if present.size < MIN_PRESENT_SHARE * len(values) or np.ptp(present) == 0:
        return None
    if set(np.unique(present)) <= {0.0, 1.0}:
        ones = int(present.sum())
        if min(ones, present.size - ones) < MIN_MINORITY:
            return None
    fill = float(present.mean())
    return np.array([fill if v is None or not math.isfinite(v) else v for v in values], dtype=float)


@dataclass(frozen=True, slots=True)
class Fitted:
    """Coefficients with long-run standard errors, fixed-b p-values and 95% intervals."""

    params: np.ndarray
    se: np.ndarray
    p: np.ndarray
    low: np.ndarray
    high: np.ndarray
    resid_sd: float


def fit_cautious(y: np.ndarray, x: np.ndarray) -> Fitted:
    """OLS with Newey–West standard errors (bandwidth ``M = n``) and fixed-b critical values.

    Rows must be in time order. The critical value carries a small-sample widening on
    ``n − k`` degrees of freedom.
    """
    n, k = x.shape
    xtx_inv = np.linalg.pinv(x.T @ x)
    params = xtx_inv @ x.T @ y
    resid = y - x @ params
    resid_sd = float(np.sqrt(resid @ resid / max(1, n - k)))
    omega = long_run_matrix(x * resid[:, None]) * n / max(1, n - k)  # residuals' lost df
    cov = n * xtx_inv @ omega @ xtx_inv
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    df_n = max(2, n - k + 1)
    q = critical(df_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, params / se, 0.0)
    p = np.array([p_value(float(v), df_n) for v in t])
    return Fitted(params, se, p, params - q * se, params + q * se, resid_sd)


def benjamini_hochberg(p: np.ndarray, q: float) -> np.ndarray:
    """Which of ``p`` pass Benjamini–Hochberg at false-discovery rate ``q``."""
    m = p.size
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p)
    below = p[order] <= q * np.arange(1, m + 1) / m
    passed = np.zeros(m, dtype=bool)
    if below.any():
        last = int(np.nonzero(below)[0].max())
        passed[order[: last + 1]] = True
    return passed


@dataclass(frozen=True, slots=True)
class PredictorRow:
    name: str
    label: str
    unit: str
    effect: float
    low: float
    high: float
    p: float
    passes: bool

    @property
    def direction(self) -> int:
        return 1 if self.effect > 0 else -1


@dataclass(frozen=True, slots=True)
class PredictorFit:
    n: int
    maxlags: int
    rows: tuple[PredictorRow, ...]
    skipped: tuple[str, ...]
    flat: bool = False  # the feelings after runs barely vary once the rest is accounted for

    @property
    def passing(self) -> dict[str, int]:
        return {r.name: r.direction for r in self.rows if r.passes}


def fit_predictors(
    pairs: Sequence[RunPair], *, q: float = FDR_Q, min_runs: int | None = None
) -> PredictorFit | None:
    """``post ~ pre_c + log(duration) + pct_HRR + morning + company + setting + delay + trend``.

    Time of day enters as morning (before 11:00 on the runner's clock) against later. A predictor
    is set aside (``skipped``) when under 80% of runs know it, when it never varies, or when a
    yes/no one has fewer than 5 runs on a side; the few unknown values take the mean. Returns
    None below the gate (60 runs with both check-ins, unless ``min_runs`` says otherwise).
    """
    need = THRESHOLDS[Level.HUNCHES] if min_runs is None else min_runs
    n = len(pairs)
    if n < need or n < 12:
        return None
    post = np.array([p.post for p in pairs], dtype=float)
    pre = np.array([p.pre for p in pairs], dtype=float)
    raw = {name: _column(pairs, name) for name in PREDICTORS}
    return screen(post, pre, raw, q=q)


def screen(
    post: np.ndarray,
    pre: np.ndarray,
    raw: Mapping[str, Sequence[float | None]],
    *,
    q: float = FDR_Q,
) -> PredictorFit:
    """The model and the false-discovery screen on plain arrays (runs in time order)."""
    n = post.size
    trend = np.arange(n, dtype=float)
    columns, names, skipped = [], [], []
    for name in PREDICTORS:
        col = _usable(list(raw[name]))
        if col is None:
            skipped.append(name)
        else:
            columns.append(col)
            names.append(name)
    if not names:
        return PredictorFit(n, hac_maxlags(n), (), tuple(skipped))
    base = [np.ones(n), pre - pre.mean(), (trend - trend.mean()) / max(1.0, float(np.ptp(trend)))]
    x = np.column_stack(base + columns)
    res = fit_cautious(post, x)
    if res.resid_sd < FLAT:
        return PredictorFit(n, hac_maxlags(n), (), tuple(PREDICTORS), flat=True)
    p = np.array([res.p[3 + i] for i in range(len(names))], dtype=float)
    p = np.where(np.isfinite(p), p, 1.0)
    reject = benjamini_hochberg(p, q)
    rows = []
    for i, name in enumerate(names):
        scale = _UNIT_SCALE[name]
        label, unit = PREDICTORS[name]
        rows.append(
            PredictorRow(
                name=name,
                label=label,
                unit=unit,
                effect=float(res.params[3 + i] * scale),
                low=float(res.low[3 + i] * scale),
                high=float(res.high[3 + i] * scale),
                p=float(p[i]),
                passes=bool(reject[i]),
            )
        )
    return PredictorFit(n, hac_maxlags(n), tuple(rows), tuple(skipped))


# --- hunches: remembered between visits by the caller -------------------------------------


@dataclass(frozen=True, slots=True)
class HunchRecord:
    """A hunch as the app remembers it. ``direction`` is +1 or −1 (0 when not recorded).

    ``status`` is ``new`` until the hunch has been checked, once, on the runs that came after it
    was first seen; then ``confirmed`` or ``faded``, for good.
    """

    predictor: str
    first_seen_run_count: int
    first_seen: date
    direction: int = 0
    status: str = "new"  # "new", "confirmed" or "faded"


@dataclass(frozen=True, slots=True)
class Hunches:
    fit: PredictorFit | None
    records: tuple[HunchRecord, ...]
    run_count: int
    q: float = FDR_Q
    confirm_after: int = CONFIRM_AFTER


def replicates(pairs: Sequence[RunPair], name: str, direction: int) -> bool:
    """The one check of a hunch, on the runs after it was first seen only: ``post ~ pre +
    trend + predictor`` (the trend as in the screen, so a slow drift shared by the predictor
    and the feelings is not taken for it), pointing the same way with p < 0.025 (two-sided)."""
    post = np.array([p.post for p in pairs], dtype=float)
    pre = np.array([p.pre for p in pairs], dtype=float)
    return replicates_arrays(post, pre, _column(pairs, name), direction)


def replicates_arrays(
    post: np.ndarray, pre: np.ndarray, raw: Sequence[float | None], direction: int
) -> bool:
    """:func:`replicates` on plain arrays."""
    if post.size < CONFIRM_AFTER:
        return False
    col = _usable(list(raw))
    if col is None:
        return False
    trend = np.arange(post.size, dtype=float)
    trend = (trend - trend.mean()) / max(1.0, float(np.ptp(trend)))
    x = np.column_stack([np.ones(post.size), pre - pre.mean(), trend, col])
    res = fit_cautious(post, x)
    if res.resid_sd < FLAT:
        return False
    return bool(np.sign(res.params[3]) == direction and res.p[3] < REPLICATE_ALPHA)


def track_hunches(
    previous: Iterable[HunchRecord],
    passing: Mapping[str, int],
    pairs: Sequence[RunPair],
    today: date,
    *,
    check: Callable[[str, int, int], bool] | None = None,
    run_count: int | None = None,
) -> tuple[HunchRecord, ...]:
    """Update remembered hunches with the predictors passing now (name → direction).

    A predictor passing for the first time is a *new* hunch, first seen at the current run
    count ``m``. It stays new, untouched by later refits, until at least 15 runs have come after
    ``m``; then it is checked once, on those runs alone (:func:`replicates`), and is *confirmed*
    or has *faded*. A faded predictor may be seen anew later, from a fresh start.
    """
    run_count = len(pairs) if run_count is None else run_count

    def on_pairs(name: str, direction: int, start: int) -> bool:
        return replicates(pairs[start:], name, direction)

    test = check or on_pairs
    updated: dict[str, HunchRecord] = {}
    for old in previous:
        name = old.predictor
        if old.status == "confirmed":
            updated[name] = old
        elif old.status == "new":
            if run_count - old.first_seen_run_count < CONFIRM_AFTER:
                updated[name] = old
            else:
                held = test(name, old.direction or 1, old.first_seen_run_count)
                updated[name] = replace(old, status="confirmed" if held else "faded")
        # a hunch that faded on an earlier visit has been said once; it is forgotten now
    for name in sorted(passing):
        if name not in updated:
            updated[name] = HunchRecord(name, run_count, today, int(passing[name]), "new")
    return tuple(updated[k] for k in sorted(updated))


# --- categories -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryComparison:
    """``post`` in one level against another, adjusted for the pre feeling. Described only:
    each visit is a new look, so no comparison is called clear or not."""

    factor: str
    level: str
    reference: str
    n_level: int
    n_reference: int
    difference: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Categories:
    comparisons: tuple[CategoryComparison, ...]


_FACTORS = {
    "company": ("with-others", "alone"),
    "setting": ("outdoors", "indoors"),
}


def compare_categories(pairs: Sequence[RunPair]) -> tuple[CategoryComparison, ...]:
    """Alone vs with others, outdoors vs indoors: from 40 runs, with 10 runs or more per level."""
    if len(pairs) < THRESHOLDS[Level.CATEGORIES]:
        return ()
    found = []
    for factor, (level, reference) in _FACTORS.items():
        subset = [p for p in pairs if getattr(p, factor) in (level, reference)]
        counts = {
            level: sum(getattr(p, factor) == level for p in subset),
            reference: sum(getattr(p, factor) == reference for p in subset),
        }
        if not enough_per_level(counts):
            continue
        post = np.array([p.post for p in subset], dtype=float)
        pre = np.array([p.pre for p in subset], dtype=float)
        flag = np.array([float(getattr(p, factor) == level) for p in subset])
        res = fit_cautious(post, np.column_stack([np.ones(len(subset)), pre - pre.mean(), flag]))
        if res.resid_sd < FLAT:
            continue
        found.append(
            CategoryComparison(
                factor=factor,
                level=level,
                reference=reference,
                n_level=counts[level],
                n_reference=counts[reference],
                difference=float(res.params[2]),
                low=float(res.low[2]),
                high=float(res.high[2]),
            )
        )
    return tuple(found)


# --- "more on bad days" ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadDays:
    """Does a low start go with a bigger change on run days than on rest days?

    ``d ~ run + pre + run × pre`` over run and rest pairs together, in time order, leaving out
    starts at +4 and +5 (the ceiling leaves them no room to rise). ``interaction`` is how much
    steeper the change falls with the start on run days. The claim needs the two kinds of day to
    start from comparable feelings (``overlap``); otherwise a steeper slope could come from where
    the starts lie alone, and the regression-to-the-mean sentence is shown.
    """

    n_runs: int
    n_rest: int
    interaction: float | None = None
    low: float | None = None
    high: float | None = None
    p: float | None = field(default=None, metadata={"digits": 4})
    overlap: bool = False
    more_on_bad_days: bool = False
    excluded_high_starts: int = 0


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Run and rest starts comparable: spreads within a factor 1.25, means within half a
    standard deviation, and most of each inside the other's middle 80%. How far a low start
    drifts back by itself depends on that spread, so unlike days would fake a difference."""
    sa, sb = float(a.std(ddof=1)), float(b.std(ddof=1))
    if sa <= 0 or sb <= 0 or max(sa, sb) / min(sa, sb) > SPREAD_RATIO:
        return False
    if abs(float(a.mean() - b.mean())) > MEAN_GAP * math.sqrt((sa * sa + sb * sb) / 2):
        return False
    qa, qb = np.quantile(a, [0.1, 0.9]), np.quantile(b, [0.1, 0.9])
    in_b = float(np.mean((a >= qb[0]) & (a <= qb[1])))
    in_a = float(np.mean((b >= qa[0]) & (b <= qa[1])))
    return min(in_a, in_b) >= MIN_OVERLAP


def bad_days(pairs: Sequence[RunPair], rest: Sequence[RestPair]) -> BadDays:
    """Say "more on bad days" only when the run-day slope is clearly steeper than rest days'
    and the starts overlap; the numbers are kept either way."""
    runs = [p for p in pairs if p.pre < CEILING_START]
    rests = [r for r in rest if r.first < CEILING_START]
    excluded = len(pairs) - len(runs) + len(rest) - len(rests)
    n_runs, n_rest = len(runs), len(rests)
    empty = BadDays(n_runs, n_rest, excluded_high_starts=excluded)
    if n_runs < MIN_BAD_DAY_RUNS or n_rest < MIN_BAD_DAY_REST:
        return empty
    rows = sorted(
        [(p.start.timestamp(), 1.0, p.pre, p.d) for p in runs]
        + [(r.at.timestamp(), 0.0, r.first, r.d) for r in rests]
    )
    arr = np.array(rows, dtype=float)
    is_run, pre, d = arr[:, 1], arr[:, 2], arr[:, 3]
    pre_runs, pre_rest = pre[is_run == 1], pre[is_run == 0]
    if np.ptp(pre_runs) == 0 or np.ptp(pre_rest) == 0:
        return empty
    pre_c = pre - pre.mean()
    x = np.column_stack([np.ones(pre.size), is_run, pre_c, is_run * pre_c])
    res = fit_cautious(d, x)
    if res.resid_sd < FLAT:
        return empty
    overlap = _overlap(pre_runs, pre_rest)
    inter, low, high = float(res.params[3]), float(res.low[3]), float(res.high[3])
    return BadDays(
        n_runs,
        n_rest,
        interaction=inter,
        low=low,
        high=high,
        p=float(res.p[3]),
        overlap=overlap,
        more_on_bad_days=bool(overlap and high < 0),
        excluded_high_starts=excluded,
    )
