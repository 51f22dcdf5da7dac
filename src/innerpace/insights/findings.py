"""The insights as a frozen tree: every finding carries its numbers and its sentences.

:meth:`Insights.as_json` is the stable contract the CLI and web app read (see docs/insights.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from innerpace.insights.gates import Gate
from innerpace.insights.lift import LEVEL, PUBLISHED_BAND, During, Lift, RestContrast
from innerpace.insights.predictors import (
    FDR_Q,
    BadDays,
    CategoryComparison,
    HunchRecord,
    PredictorFit,
)
from innerpace.insights.release import Release
from innerpace.insights.resilience import Resilience
from innerpace.insights.themes import Themes
from innerpace.insights.wellbeing import SupportCard, Wellbeing

SCHEMA = 1
READY, EARLY, NOT_YET = "ready", "early", "not-yet"


def _f(x: float | None, digits: int = 3) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


@dataclass(frozen=True, slots=True)
class LiftFinding:
    status: str
    sentences: tuple[str, ...]
    lift: Lift | None


@dataclass(frozen=True, slots=True)
class RestFinding:
    status: str
    sentences: tuple[str, ...]
    contrast: RestContrast | None


@dataclass(frozen=True, slots=True)
class DuringFinding:
    status: str
    sentences: tuple[str, ...]
    during: During


@dataclass(frozen=True, slots=True)
class BadDaysFinding:
    status: str
    sentences: tuple[str, ...]
    bad_days: BadDays | None


@dataclass(frozen=True, slots=True)
class CategoriesFinding:
    status: str
    sentences: tuple[str, ...]
    comparisons: tuple[CategoryComparison, ...]


@dataclass(frozen=True, slots=True)
class HunchesFinding:
    status: str
    sentences: tuple[str, ...]
    fit: PredictorFit | None
    records: tuple[HunchRecord, ...]


@dataclass(frozen=True, slots=True)
class ResilienceFinding:
    status: str
    sentences: tuple[str, ...]
    resilience: Resilience


@dataclass(frozen=True, slots=True)
class ReleaseFinding:
    status: str
    sentences: tuple[str, ...]
    release: Release


@dataclass(frozen=True, slots=True)
class ThemesFinding:
    status: str
    sentences: tuple[str, ...]
    themes: Themes


@dataclass(frozen=True, slots=True)
class WellbeingFinding:
    status: str
    sentences: tuple[str, ...]
    wellbeing: Wellbeing
    support_sentence: str | None


@dataclass(frozen=True, slots=True)
class Insights:
    today: date
    gate: Gate
    caveat: str
    lift: LiftFinding
    rest: RestFinding
    during: DuringFinding
    bad_days: BadDaysFinding
    categories: CategoriesFinding
    hunches: HunchesFinding
    resilience: ResilienceFinding
    release: ReleaseFinding
    themes: ThemesFinding
    wellbeing: WellbeingFinding

    def sentences(self) -> tuple[str, ...]:
        """The sentences of every finding that has something to say, in reading order.

        The gate message comes first and the caveat last; each finding's own "not yet" words
        stay on the finding.
        """
        out = [self.gate.message]
        for finding in (
            self.lift,
            self.rest,
            self.during,
            self.bad_days,
            self.categories,
            self.hunches,
            self.resilience,
            self.release,
            self.themes,
            self.wellbeing,
        ):
            if finding.status != NOT_YET:
                out.extend(finding.sentences)
        if self.wellbeing.support_sentence:
            out.append(self.wellbeing.support_sentence)
        out.append(self.caveat)
        return tuple(out)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict; keys are documented in docs/insights.md (schema 1)."""
        return _plain(
            {
                "schema": SCHEMA,
                "today": self.today.isoformat(),
                "runs_with_both": self.gate.runs,
                "gate": _gate(self.gate),
                "caveat": self.caveat,
                "lift": _lift(self.lift),
                "rest": _rest(self.rest),
                "during": {
                    **_head(self.during),
                    "moments": self.during.during.moments,
                    "runs": self.during.during.runs,
                    "by_tag": dict(self.during.during.by_tag),
                },
                "bad_days": _bad_days(self.bad_days),
                "categories": {
                    **_head(self.categories),
                    "comparisons": [_comparison(c) for c in self.categories.comparisons],
                },
                "hunches": _hunches(self.hunches),
                "resilience": _resilience(self.resilience),
                "release": _release(self.release),
                "themes": _themes(self.themes),
                "wellbeing": _wellbeing(self.wellbeing),
            }
        )


def _plain(value: Any) -> Any:
    """Plain Python values only (NumPy scalars become int, float or bool)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return _plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _head(finding: Any) -> dict[str, Any]:
    return {"status": finding.status, "sentences": list(finding.sentences)}


def _gate(g: Gate) -> dict[str, Any]:
    return {
        "level": g.level.name.lower(),
        "runs": g.runs,
        "next_level": None if g.next_level is None else g.next_level.name.lower(),
        "runs_to_next": g.runs_to_next,
        "message": g.message,
    }


def _lift(f: LiftFinding) -> dict[str, Any]:
    out: dict[str, Any] = {**_head(f), "confidence": LEVEL, "published_band": list(PUBLISHED_BAND)}
    x = f.lift
    out.update(
        n=0 if x is None else x.n,
        mean=None if x is None else _f(x.mean),
        hodges_lehmann=None if x is None else _f(x.hodges_lehmann),
        n_better=0 if x is None else x.n_better,
        share_better=None if x is None else _f(x.share_better),
        wilcoxon_p=None if x is None else _f(x.wilcoxon_p, 4),
        r1=None if x is None else _f(x.r1),
        n_eff=None if x is None else _f(x.n_eff, 1),
        low=None if x is None or x.interval is None else _f(x.interval.low),
        high=None if x is None or x.interval is None else _f(x.interval.high),
        method=None if x is None or x.interval is None else x.interval.method,
        sd_pre=None if x is None else _f(x.sd_pre),
        mid=None if x is None else _f(x.mid),
        position=None if x is None else x.position,
        g=None if x is None else _f(x.g),
    )
    return out


def _rest(f: RestFinding) -> dict[str, Any]:
    c = f.contrast
    return {
        **_head(f),
        "n_runs": 0 if c is None else c.n_runs,
        "n_rest": 0 if c is None else c.n_rest,
        "mean_run": None if c is None else _f(c.mean_run),
        "mean_rest": None if c is None else _f(c.mean_rest),
        "difference": None if c is None else _f(c.difference),
        "low": None if c is None or c.interval is None else _f(c.interval.low),
        "high": None if c is None or c.interval is None else _f(c.interval.high),
    }


def _bad_days(f: BadDaysFinding) -> dict[str, Any]:
    b = f.bad_days
    return {
        **_head(f),
        "helps_most": False if b is None else b.helps_most,
        "n_runs": 0 if b is None else b.n_runs,
        "n_rest": 0 if b is None else b.n_rest,
        "slope_run": None if b is None else _f(b.slope_run),
        "slope_rest": None if b is None else _f(b.slope_rest),
        "difference": None if b is None else _f(b.difference),
        "low": None if b is None else _f(b.low),
        "high": None if b is None else _f(b.high),
    }


def _comparison(c: CategoryComparison) -> dict[str, Any]:
    return {
        "factor": c.factor,
        "level": c.level,
        "reference": c.reference,
        "n_level": c.n_level,
        "n_reference": c.n_reference,
        "difference": _f(c.difference),
        "low": _f(c.low),
        "high": _f(c.high),
    }


def _hunches(f: HunchesFinding) -> dict[str, Any]:
    fit = f.fit
    return {
        **_head(f),
        "q": FDR_Q,
        "n": 0 if fit is None else fit.n,
        "maxlags": None if fit is None else fit.maxlags,
        "predictors": []
        if fit is None
        else [
            {
                "name": r.name,
                "label": r.label,
                "unit": r.unit,
                "effect": _f(r.effect),
                "low": _f(r.low),
                "high": _f(r.high),
                "p": _f(r.p, 4),
                "passes": r.passes,
            }
            for r in fit.rows
        ],
        "skipped": [] if fit is None else list(fit.skipped),
        "records": [
            {
                "predictor": r.predictor,
                "first_seen_run_count": r.first_seen_run_count,
                "first_seen": r.first_seen.isoformat(),
                "direction": r.direction,
                "status": r.status,
            }
            for r in f.records
        ],
    }


def _resilience(f: ResilienceFinding) -> dict[str, Any]:
    r = f.resilience
    return {
        **_head(f),
        "n_low": r.n_low,
        "n_better": r.n_better,
        "share_better": _f(r.share_better),
        "typical_start": _f(r.typical_start),
        "typical_end": _f(r.typical_end),
    }


def _release(f: ReleaseFinding) -> dict[str, Any]:
    r = f.release
    return {
        **_head(f),
        "tags": list(r.tags),
        "n": r.n,
        "minute_low": _f(r.minute_low, 1),
        "minute_mid": _f(r.minute_mid, 1),
        "minute_high": _f(r.minute_high, 1),
        "km_n": r.km_n,
        "km_low": _f(r.km_low, 2),
        "km_mid": _f(r.km_mid, 2),
        "km_high": _f(r.km_high, 2),
        "km_peak": r.km_peak,
        "longer_runs_share": _f(r.longer_runs_share),
        "in_longer_runs": r.in_longer_runs,
    }


def _themes(f: ThemesFinding) -> dict[str, Any]:
    t = f.themes
    return {
        **_head(f),
        "n_reflections": t.n_reflections,
        "period": t.period,
        "themes": [
            {
                "words": list(th.words),
                "reflections": th.reflections,
                "by_period": [{"period": p, "share": _f(s)} for p, s in th.by_period],
                "lift_runs": th.lift_runs,
                "lift_mean": _f(th.lift_mean),
            }
            for th in t.themes
        ],
    }


def _support(card: SupportCard, sentence: str | None) -> dict[str, Any]:
    return {"level": str(card.level), "reasons": list(card.reasons), "sentence": sentence}


def _wellbeing(f: WellbeingFinding) -> dict[str, Any]:
    w = f.wellbeing
    latest = w.latest
    return {
        **_head(f),
        "support": _support(w.support, f.support_sentence),
        "latest": None
        if latest is None
        else {
            "at": latest.at.isoformat(),
            "score": _f(latest.score),
            "lowest_item": latest.lowest_item,
        },
        "months": [
            {
                "month": m.month,
                "who5": _f(m.who5, 1),
                "checks": m.checks,
                "runs": m.runs,
                "change": _f(m.change, 1),
                "marked": m.marked,
            }
            for m in w.months
        ],
    }
