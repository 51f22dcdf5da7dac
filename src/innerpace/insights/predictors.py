"""What goes with a bigger lift: ANCOVA on the post score, false discoveries kept in check.

Change scores carry regression to the mean, so every model here explains the *post* feeling with
the pre feeling as a covariate. Standard errors allow for runs that lean on each other (HAC).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from innerpace.insights.data import RestPair, RunPair
from innerpace.insights.gates import THRESHOLDS, Level, enough_per_level

FDR_Q = 0.10
CONFIRM_AFTER = 15
MIN_BAD_DAY_RUNS = 20
MIN_BAD_DAY_REST = 10
MIN_PRESENT_SHARE = 0.8
MIN_MINORITY = 5

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
    """``max(1, int(4·(n/100)^(2/9)))``."""
    return max(1, int(4 * (n / 100) ** (2 / 9)))


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
    """Coefficients with cautious standard errors, p-values and 95% intervals."""

    params: np.ndarray
    se: np.ndarray
    p: np.ndarray
    low: np.ndarray
    high: np.ndarray


def fit_cautious(y: np.ndarray, x: np.ndarray) -> Fitted:
    """OLS with HAC standard errors (``maxlags`` by the rule above), never below the ordinary ones.

    With a few dozen runs HAC errors alone are too optimistic (in simulations they doubled the
    rate of false finds), so each coefficient keeps the larger of the two.
    """
    n = y.size
    model = sm.OLS(y, x)
    hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": hac_maxlags(n)}, use_t=True)
    plain = model.fit()
    se = np.maximum(np.asarray(hac.bse), np.asarray(plain.bse))
    df = max(1.0, float(plain.df_resid))
    params = np.asarray(plain.params)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, params / se, 0.0)
    p = 2 * stats.t.sf(np.abs(t), df)
    q = float(stats.t.ppf(0.975, df))
    return Fitted(params, se, p, params - q * se, params + q * se)


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
    trend = np.array([p.index for p in pairs], dtype=float)
    columns, names, skipped = [], [], []
    for name in PREDICTORS:
        col = _usable(_column(pairs, name))
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
    p = np.array([res.p[3 + i] for i in range(len(names))], dtype=float)
    p = np.where(np.isfinite(p), p, 1.0)
    reject = multipletests(p, alpha=q, method="fdr_bh")[0]
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
    """A hunch as the app remembers it. ``direction`` is +1 or −1 (0 when not recorded)."""

    predictor: str
    first_seen_run_count: int
    first_seen: date
    direction: int = 0
    status: str = "new"  # "new", "holding", "confirmed" or "faded"


def track_hunches(
    previous: Iterable[HunchRecord],
    passing: Mapping[str, int],
    run_count: int,
    today: date,
) -> tuple[HunchRecord, ...]:
    """Update remembered hunches with the predictors passing now (name → direction).

    A new pass is a *new* hunch; one that passes again, pointing the same way, is *holding*, and
    *confirmed* once at least 15 more runs have come in since it was first seen. A hunch that no
    longer passes has *faded* (reported once, then forgotten).
    """
    before = {r.predictor: r for r in previous}
    updated: list[HunchRecord] = []
    for name in sorted(passing):
        direction = int(passing[name])
        old = before.get(name)
        fresh = (
            old is None
            or old.status == "faded"
            or (old.direction != 0 and old.direction != direction)
        )
        if fresh:
            updated.append(HunchRecord(name, run_count, today, direction, "new"))
            continue
        assert old is not None
        further = run_count - old.first_seen_run_count
        status = "confirmed" if further >= CONFIRM_AFTER else "holding"
        updated.append(replace(old, direction=direction, status=status))
    for name, old in sorted(before.items()):
        if name not in passing and old.status != "faded":
            updated.append(replace(old, status="faded"))
    return tuple(updated)


# --- categories -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryComparison:
    """``post`` in one level against another, adjusted for the pre feeling."""

    factor: str
    level: str
    reference: str
    n_level: int
    n_reference: int
    difference: float
    low: float
    high: float


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


# --- "helps most on bad days" ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadDays:
    """The slope of ``d`` on ``pre`` in runs against the same slope on rest days."""

    n_runs: int
    n_rest: int
    slope_run: float | None
    slope_rest: float | None
    difference: float | None
    low: float | None
    high: float | None
    helps_most: bool


def bad_days(pairs: Sequence[RunPair], rest: Sequence[RestPair]) -> BadDays:
    """Say "helps most on bad days" only when the run slope is clearly steeper than rest days'."""
    n_runs, n_rest = len(pairs), len(rest)
    empty = BadDays(n_runs, n_rest, None, None, None, None, None, False)
    if n_runs < MIN_BAD_DAY_RUNS or n_rest < MIN_BAD_DAY_REST:
        return empty
    pre_r = np.array([p.pre for p in pairs], dtype=float)
    d_r = np.array([p.d for p in pairs], dtype=float)
    pre_s = np.array([p.first for p in rest], dtype=float)
    d_s = np.array([p.d for p in rest], dtype=float)
    if np.ptp(pre_r) == 0 or np.ptp(pre_s) == 0:
        return empty
    run_fit = fit_cautious(d_r, np.column_stack([np.ones(n_runs), pre_r]))
    rest_fit = fit_cautious(d_s, np.column_stack([np.ones(n_rest), pre_s]))
    b_run, b_rest = float(run_fit.params[1]), float(rest_fit.params[1])
    se = math.sqrt(float(run_fit.se[1]) ** 2 + float(rest_fit.se[1]) ** 2)
    diff = b_run - b_rest
    if not math.isfinite(se):
        return empty
    half = 1.96 * se
    low, high = diff - half, diff + half
    return BadDays(
        n_runs, n_rest, b_run, b_rest, diff, low, high, helps_most=high < 0 and b_run < 0
    )
