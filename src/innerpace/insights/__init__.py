"""Honest insight into what running does for one person's mood, with its uncertainty.

Pure functions over plain domain objects; nothing here reads or writes storage. The one entry
point is :func:`build_insights`; :meth:`Insights.as_json` is the stable contract (schema 1)::

    schema, today, runs_with_both, caveat,
    gate        {level, runs, next_level, runs_to_next, message}
    lift        {status, sentences, n, mean, hodges_lehmann, n_better, share_better, wilcoxon_p,
                 r1, n_eff, low, high, method, confidence, sd_pre, mid, position, g,
                 published_band}
    rest        {status, sentences, n_runs, n_rest, mean_run, mean_rest, difference, low, high}
    during      {status, sentences, moments, runs, by_tag}
    bad_days    {status, sentences, helps_most, n_runs, n_rest, slope_run, slope_rest,
                 difference, low, high}
    categories  {status, sentences, comparisons: [{factor, level, reference, n_level,
                 n_reference, difference, low, high}]}
    hunches     {status, sentences, q, n, maxlags, predictors: [{name, label, unit, effect, low,
                 high, p, passes}], skipped, records: [{predictor, first_seen_run_count,
                 first_seen, direction, status}]}
    resilience  {status, sentences, n_low, n_better, share_better, typical_start, typical_end}
    release     {status, sentences, tags, n, minute_low, minute_mid, minute_high, km_n, km_low,
                 km_mid, km_high, km_peak, longer_runs_share, in_longer_runs}
    themes      {status, sentences, n_reflections, period, themes: [{words, reflections,
                 by_period: [{period, share}], lift_runs, lift_mean}]}
    wellbeing   {status, sentences, support: {level, reasons, sentence},
                 latest: {at, score, lowest_item} | null,
                 months: [{month, who5, checks, runs, change, marked}]}

``status`` is ``ready``, ``early`` or ``not-yet``. Numbers are rounded (3 decimals, unless said
otherwise in docs/insights.md); a number that cannot be told is ``null``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from innerpace.domain import CheckIn, Moment, Reflection, Run, WellbeingCheck, utc_now
from innerpace.insights import phrasing
from innerpace.insights.data import Assembled, assemble
from innerpace.insights.findings import (
    EARLY,
    NOT_YET,
    READY,
    BadDaysFinding,
    CategoriesFinding,
    DuringFinding,
    HunchesFinding,
    Insights,
    LiftFinding,
    ReleaseFinding,
    ResilienceFinding,
    RestFinding,
    ThemesFinding,
    WellbeingFinding,
)
from innerpace.insights.gates import THRESHOLDS, Gate, Level, gate
from innerpace.insights.lift import during, lift, rest_contrast
from innerpace.insights.predictors import (
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

__all__ = ["HunchRecord", "Insights", "build_insights", "track_hunches"]


def _not_yet(g: Gate, need: Level) -> tuple[str, ...]:
    more = THRESHOLDS[need] - g.runs
    word = "run" if more == 1 else "runs"
    return (f"This appears after {more} more {word} with a check-in before and after.",)


def _lift_finding(data: Assembled, g: Gate) -> LiftFinding:
    if g.level < Level.EARLY:
        return LiftFinding(NOT_YET, (g.message,), None)
    result = lift([p.d for p in data.pairs], [p.pre for p in data.pairs])
    early = g.level == Level.EARLY
    return LiftFinding(EARLY if early else READY, phrasing.lift_sentences(result, early), result)


def _rest_finding(data: Assembled, g: Gate) -> RestFinding:
    if g.level < Level.EARLY:
        return RestFinding(NOT_YET, _not_yet(g, Level.EARLY), None)
    contrast = rest_contrast([p.d for p in data.pairs], [r.d for r in data.rest])
    status = NOT_YET if contrast is None else READY
    return RestFinding(status, phrasing.rest_sentences(contrast), contrast)


def _bad_days_finding(data: Assembled, g: Gate) -> BadDaysFinding:
    if g.level < Level.HEADLINE:
        return BadDaysFinding(NOT_YET, _not_yet(g, Level.HEADLINE), None)
    result = bad_days(data.pairs, data.rest)
    sentences = phrasing.bad_days_sentences(result)
    if result.slope_run is None:
        sentences += (phrasing.NO_REST_YET,)
    return BadDaysFinding(READY, sentences, result)


def _categories_finding(data: Assembled, g: Gate) -> CategoriesFinding:
    if g.level < Level.CATEGORIES:
        return CategoriesFinding(NOT_YET, _not_yet(g, Level.CATEGORIES), ())
    found = compare_categories(data.pairs)
    if not found:
        return CategoriesFinding(
            NOT_YET,
            (
                "Comparisons such as alone or with others appear once each side has at least "
                "10 runs with both check-ins.",
            ),
            (),
        )
    return CategoriesFinding(READY, tuple(phrasing.category_sentence(c) for c in found), found)


def _hunches_finding(
    data: Assembled, g: Gate, previous: tuple[HunchRecord, ...], today: date
) -> HunchesFinding:
    if g.level < Level.HUNCHES:
        return HunchesFinding(NOT_YET, _not_yet(g, Level.HUNCHES), None, previous)
    fit = fit_predictors(data.pairs)
    passing = {} if fit is None else fit.passing
    records = track_hunches(previous, passing, len(data.pairs), today)
    rows = {} if fit is None else {r.name: r for r in fit.rows}
    sentences = tuple(
        phrasing.hunch_sentence(rows.get(r.predictor), r, len(data.pairs)) for r in records
    )
    if not passing:
        sentences = (phrasing.NO_HUNCH, *sentences)
    return HunchesFinding(READY, sentences, fit, records)


def build_insights(
    runs: Sequence[Run],
    checkins: Sequence[CheckIn],
    moments: Iterable[Moment],
    reflections: Iterable[Reflection],
    wellbeing: Iterable[WellbeingCheck],
    *,
    today: date | None = None,
    hunches: Iterable[HunchRecord] = (),
    hr_rest: float | None = None,
    hr_max: float | None = None,
) -> Insights:
    """Every finding for this journal, each with its numbers and its plain sentences.

    Runs need ids; check-ins, moments and reflections point at them by ``run_id``. ``hunches``
    are the records returned last time (``Insights.hunches.records``), so a hunch keeps the day
    it was first seen. HRmax is estimated from the runs when not given; HRrest defaults to 60.
    """
    day = today or utc_now().date()
    moments = tuple(moments)
    data = assemble(runs, checkins, hr_rest=hr_rest, hr_max=hr_max)
    g = gate(len(data.pairs))

    during_result = during(moments)
    res = resilience(data.pairs)
    rel = release(moments, data.runs_by_id)
    th = themes(reflections, {p.run_id: p.d for p in data.pairs})
    wb = wellbeing_by_month(wellbeing, runs)
    support = phrasing.support_sentence(wb.support)

    return Insights(
        today=day,
        gate=g,
        caveat=phrasing.CAVEAT,
        lift=_lift_finding(data, g),
        rest=_rest_finding(data, g),
        during=DuringFinding(
            READY if during_result.moments else NOT_YET,
            phrasing.during_sentences(during_result),
            during_result,
        ),
        bad_days=_bad_days_finding(data, g),
        categories=_categories_finding(data, g),
        hunches=_hunches_finding(data, g, tuple(hunches), day),
        resilience=ResilienceFinding(
            READY if g.level >= Level.EARLY else NOT_YET,
            phrasing.resilience_sentences(res) if g.level >= Level.EARLY else (),
            res,
        ),
        release=ReleaseFinding(
            READY if rel.enough else NOT_YET, phrasing.release_sentences(rel), rel
        ),
        themes=ThemesFinding(READY if th.enough else NOT_YET, phrasing.themes_sentences(th), th),
        wellbeing=WellbeingFinding(
            READY if wb.months else NOT_YET,
            phrasing.wellbeing_sentences(wb.months),
            wb,
            support,
        ),
    )
