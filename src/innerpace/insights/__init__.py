"""Honest insight into what running does for one person's mood, with its uncertainty.

Pure functions over plain domain objects; nothing here reads or writes storage. The one entry
point is :func:`build_insights`; :meth:`Insights.as_json` is the stable contract (schema 2,
described by :func:`innerpace.insights.findings.schema` and in docs/insights.md). Every finding
is a :class:`Finding` — ``status``, ``sentences``, ``numbers`` (a dataclass), ``details`` (the
technical lines for "How sure is this?") — and one generic serialiser turns it into JSON.

NumPy only: nothing here imports SciPy, statsmodels or scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from innerpace.domain import CheckIn, Moment, Reflection, Run, WellbeingCheck, utc_now
from innerpace.insights import phrasing
from innerpace.insights.data import Assembled, assemble
from innerpace.insights.findings import EARLY, NOT_YET, READY, Finding, Insights
from innerpace.insights.gates import THRESHOLDS, Gate, Level, gate
from innerpace.insights.lift import Missing, during, lift, rest_contrast
from innerpace.insights.predictors import (
    Categories,
    Hunches,
    HunchRecord,
    bad_days,
    compare_categories,
    fit_predictors,
    track_hunches,
)
from innerpace.insights.release import release
from innerpace.insights.resilience import resilience
from innerpace.insights.themes import themes
from innerpace.insights.wellbeing import wellbeing as wellbeing_by_month

__all__ = ["Finding", "HunchRecord", "Insights", "build_insights", "track_hunches"]


def _not_yet(g: Gate, need: Level, what: str) -> tuple[str, ...]:
    return (phrasing.not_yet(what, THRESHOLDS[need] - g.runs),)


def _lift_finding(data: Assembled, g: Gate) -> Finding:
    if g.level < Level.EARLY:
        return Finding(NOT_YET, (g.message,))
    result = lift([p.d for p in data.pairs], [p.pre for p in data.pairs])
    early = g.level == Level.EARLY
    return Finding(
        EARLY if early else READY,
        phrasing.lift_sentences(result, early),
        result,
        phrasing.lift_details(result),
    )


def _missing_finding(data: Assembled) -> Finding:
    missing = Missing(data.with_before, data.missing_after)
    sentences = phrasing.missing_sentences(missing)
    return Finding(READY if sentences else NOT_YET, sentences, missing)


def _rest_finding(data: Assembled, g: Gate) -> Finding:
    if g.level < Level.EARLY:
        return Finding(NOT_YET, _not_yet(g, Level.EARLY, "rest"))
    contrast = rest_contrast([p.d for p in data.pairs], [r.d for r in data.rest])
    status = NOT_YET if contrast is None else READY
    sentences = phrasing.rest_sentences(contrast, len(data.rest))
    details = phrasing.rest_details(contrast)
    return Finding(status if contrast else READY, sentences, contrast, details)


def _bad_days_finding(data: Assembled, g: Gate) -> Finding:
    if g.level < Level.HEADLINE:
        return Finding(NOT_YET, _not_yet(g, Level.HEADLINE, "bad_days"))
    result = bad_days(data.pairs, data.rest)
    return Finding(
        READY,
        phrasing.bad_days_sentences(result, len(data.rest)),
        result,
        phrasing.bad_days_details(result),
    )


def _categories_finding(data: Assembled, g: Gate) -> Finding:
    if g.level < Level.CATEGORIES:
        return Finding(NOT_YET, _not_yet(g, Level.CATEGORIES, "categories"), Categories(()))
    found = compare_categories(data.pairs)
    if not found:
        return Finding(
            NOT_YET,
            (
                "Comparisons such as alone or with others appear once each side has at least "
                "10 runs with both check-ins.",
            ),
            Categories(()),
        )
    return Finding(
        READY,
        tuple(phrasing.category_sentence(c) for c in found),
        Categories(found),
        tuple(phrasing.category_detail(c) for c in found),
    )


def _hunches_finding(
    data: Assembled, g: Gate, previous: tuple[HunchRecord, ...], today: date
) -> Finding:
    n = len(data.pairs)
    if g.level < Level.HUNCHES:
        return Finding(NOT_YET, _not_yet(g, Level.HUNCHES, "hunches"), Hunches(None, previous, n))
    fit = fit_predictors(data.pairs)
    passing = {} if fit is None else fit.passing
    records = track_hunches(previous, passing, data.pairs, today)
    rows = {} if fit is None else {r.name: r for r in fit.rows}
    sentences = tuple(phrasing.hunch_sentence(rows.get(r.predictor), r, n) for r in records)
    if not any(r.status != "faded" for r in records):
        sentences = (phrasing.NO_HUNCH, *sentences)
    details = tuple(phrasing.hunch_detail(row) for row in rows.values())
    return Finding(READY, sentences, Hunches(fit, records, n), details)


def build_insights(
    runs: Sequence[Run],
    checkins: Sequence[CheckIn],
    moments: Iterable[Moment],
    reflections: Iterable[Reflection],
    wellbeing: Iterable[WellbeingCheck],
    *,
    today: date | None = None,
    hunches: Iterable[HunchRecord] = (),
    themes_before: Sequence[Sequence[str]] = (),
    hr_rest: float | None = None,
    hr_max: float | None = None,
) -> Insights:
    """Every finding for this journal, each with its numbers and its plain sentences.

    Runs need ids; check-ins, moments and reflections point at them by ``run_id``. ``hunches``
    are the records returned last time (``Insights.hunches.numbers.records``), so a hunch keeps
    the run count and day it was first seen; ``themes_before`` the ``key_words`` of last time's
    themes, so themes keep their places and names. HRmax is estimated from the runs when not
    given; HRrest defaults to 60.
    """
    day = today or utc_now().date()
    moments = tuple(moments)
    data = assemble(runs, checkins, hr_rest=hr_rest, hr_max=hr_max)
    g = gate(len(data.pairs))

    during_result = during(moments)
    res = resilience(data.pairs)
    rel = release(moments, data.runs_by_id)
    th = themes(reflections, {p.run_id: p.d for p in data.pairs}, previous=themes_before)
    wb = wellbeing_by_month(wellbeing, runs)

    return Insights(
        today=day,
        gate=g,
        caveat=phrasing.CAVEAT,
        lift=_lift_finding(data, g),
        missing=_missing_finding(data),
        rest=_rest_finding(data, g),
        during=Finding(
            READY if during_result.moments else NOT_YET,
            phrasing.during_sentences(during_result),
            during_result,
        ),
        bad_days=_bad_days_finding(data, g),
        categories=_categories_finding(data, g),
        hunches=_hunches_finding(data, g, tuple(hunches), day),
        resilience=Finding(
            READY if g.level >= Level.EARLY else NOT_YET,
            phrasing.resilience_sentences(res) if g.level >= Level.EARLY else (),
            res,
        ),
        release=Finding(READY if rel.enough else NOT_YET, phrasing.release_sentences(rel), rel),
        themes=Finding(READY if th.enough else NOT_YET, phrasing.themes_sentences(th), th),
        wellbeing=Finding(
            READY if wb.months else NOT_YET,
            phrasing.wellbeing_sentences(wb.months),
            wb,
        ),
        support_sentence=phrasing.support_sentence(wb.support),
    )
