"""Every finding as plain sentences: calm, with its uncertainty, describing and never proving.

All user-facing wording of the insights lives here, in one place to review.
"""

from __future__ import annotations

from datetime import date

from innerpace.insights.gates import Gate
from innerpace.insights.lift import MIN_REST, During, Lift, Missing, RestContrast
from innerpace.insights.predictors import (
    CEILING_START,
    CONFIRM_AFTER,
    MIN_BAD_DAY_REST,
    PREDICTORS,
    BadDays,
    CategoryComparison,
    HunchRecord,
    PredictorRow,
)
from innerpace.insights.release import Release, km_span, minute_span
from innerpace.insights.resilience import Resilience
from innerpace.insights.themes import Theme, Themes
from innerpace.insights.wellbeing import Month, Support, SupportCard

FORBIDDEN = ("significant", "proven", "cured", "therapy", "treats")
# Words that would make a description sound like a cause; no insight sentence uses them.
CAUSAL = ("helps", "help most", "added", "adds", "caused", "causes", "boosts", "improves")

RECENT_MONTHS = 12  # changes worth noticing are told for the last year; the picture shows more
CAVEAT = "This describes your runs; it doesn't prove that running caused the change."
REGRESSION_TO_THE_MEAN = (
    "A run that begins low has more room to end higher, and a low moment tends to drift back "
    "toward your usual anyway, so a bigger change on low days is not by itself a sign that "
    "running does more for you then."
)
MORE_ON_BAD_DAYS = (
    "Runs that began low went with a bigger rise than low starts on rest days did, comparing "
    "days that began from similar feelings."
)
NO_REST_YET = (
    "Rest-day check-ins (two on a day without a run, spaced like one) would let your runs be "
    "compared with days that only let time pass."
)
STARTS_DIFFER = (
    "Your run days and rest days began from rather different feelings, so they cannot be "
    "compared fairly on this yet."
)
SUPPORT_TEXT = (
    "Your recent well-being answers are on the low side. It may help to talk it over with your "
    "GP or someone you trust."
)
NO_HUNCH = "Nothing stands out yet as going with a bigger lift — that is common, and fine."

# What each finding waits for, said so a person knows what will appear (see ``not_yet``).
NOT_YET = {
    "rest": "A comparison with rest days appears after {more}.",
    "bad_days": "Runs that begin low can be set beside rest days that begin low after {more}.",
    "categories": "Comparisons such as alone or with others, outdoors or indoors, appear after "
    "{more}.",
    "hunches": "Hunches about what goes with a bigger lift (longer runs, the time of day, …) "
    "appear after {more}.",
}


def not_yet(what: str, more: int) -> str:
    """``Comparisons … appear after 26 more runs with a check-in before and after.``"""
    runs = f"{more} more {'run' if more == 1 else 'runs'} with a check-in before and after"
    return NOT_YET[what].format(more=runs)


_LEVEL_NAMES = {
    "with-others": "runs with others",
    "alone": "runs alone",
    "outdoors": "runs outdoors",
    "indoors": "runs indoors",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def num(x: float, digits: int = 1) -> str:
    """A number as shown in sentences: fixed decimals, a true minus sign, never "−0.0".

    The value is first rounded to 3 decimals, as in the JSON, so both always agree.
    """
    text = f"{round(float(x), 3):.{digits}f}"
    if text.startswith("-"):
        text = text[1:] if float(text) == 0 else "−" + text[1:]
    return text


def signed(x: float, digits: int = 1) -> str:
    text = num(x, digits)
    return text if text.startswith("−") or float(text) == 0 else "+" + text


def feeling_value(x: float) -> str:
    """A Feeling Scale value: whole numbers without decimals ("−1", "0", "+3")."""
    return signed(x, 0) if float(x).is_integer() else signed(x)


def month_name(key: str) -> str:
    """``2026-03`` → ``March 2026``."""
    return f"{_MONTHS[int(key[5:]) - 1]} {key[:4]}"


def period_name(key: str) -> str:
    """``2026-03`` → ``March 2026``; ``2026-Q2`` → ``April–June 2026``."""
    if "-Q" in key:
        q = int(key[-1])
        return f"{_MONTHS[3 * q - 3]}–{_MONTHS[3 * q - 1]} {key[:4]}"
    return month_name(key)


def _points(x: float) -> str:
    return "point" if num(abs(x)) == "1.0" else "points"


def _count_word(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lift_sentences(lift: Lift, early: bool) -> tuple[str, ...]:
    assert lift.enough and lift.mean is not None
    n, m = lift.n, lift.mean
    if lift.interval is None:
        value = feeling_value(lift.constant if lift.constant is not None else m)
        return (
            f"All {n} runs changed by exactly {value} {_points(m)} from before to after, so "
            "there is no range to give yet; it appears once your runs differ.",
        )
    lo, hi = num(lift.interval.low), num(lift.interval.high)
    size = num(abs(m))
    how = "different" if size == "0.0" else "better" if m > 0 else "lower"
    counts = (
        f"{lift.n_better} of {n} ended better than they began, {lift.n_same} the same and "
        f"{lift.n_worse} lower."
    )
    if how == "different":
        head = "you felt on average about the same afterwards as before (on −5…+5)"
    else:
        head = f"you felt on average {size} {_points(m)} {how} afterwards (on −5…+5)"
    if early:
        first = (
            f"An early read from your {n} runs: {head}, likely between {lo} and {hi} — a range "
            f"that narrows as runs come in; {counts}"
        )
    else:
        first = f"In your last {n} runs {head}, likely between {lo} and {hi}; {counts}"
    mid_value = lift.mid or 1.0
    mid = f"{num(mid_value)} {_points(mid_value)}"
    second = {
        "meaningful": f"Even the low end of that range reaches the smallest change worth "
        f"noticing for you ({mid}).",
        "above-zero": f"The range sits above zero; it may or may not reach the smallest "
        f"change worth noticing for you ({mid}).",
        "small": f"The range sits above zero but below the smallest change worth noticing "
        f"for you ({mid}): a small lift.",
        "unclear": "The range includes zero, so from these runs alone it is not clear that "
        "you usually end better than you begin.",
        "lower": "The range sits below zero: on average these runs ended lower than they began.",
    }[lift.position or "unclear"]
    return (first, second)


def p_words(p: float) -> str:
    """``p = 0.0213``, or ``p < 0.0001`` rather than a p that rounds to nothing."""
    return "p < 0.0001" if p < 0.0001 else f"p = {num(p, 4)}"


def lift_details(lift: Lift) -> tuple[str, ...]:
    """The technical figures behind the lift, for "How sure is this?"."""
    if not lift.enough or lift.interval is None:
        return ()
    out = [
        "The range is made to hold your true average change about 95 times in 100. Its width "
        f"comes from the slowest swings in your {lift.n} changes (the first {lift.terms} "
        f"half-cosine terms, read on Student's t with {lift.terms} degrees of freedom at "
        "96.5%), so weeks when runs went better or worse than usual widen it.",
        f"Worth about {num(lift.n_eff or lift.n, 0)} independent runs "
        f"(lag-1 correlation of the changes {num(lift.r1 or 0, 2)}).",
    ]
    if lift.hodges_lehmann is not None:
        text = f"Middle value (Hodges–Lehmann): {signed(lift.hodges_lehmann)}"
        if lift.wilcoxon_p is not None:
            text += f"; Wilcoxon signed-rank {p_words(lift.wilcoxon_p)}"
        out.append(text + ".")
    out.append(
        f"Smallest change worth noticing: {num(lift.mid or 1.0)} (1 point, or half the spread "
        f"of your before-run feelings, {num(lift.sd_pre or 0, 2)}, if larger)."
    )
    return tuple(out)


def missing_sentences(missing: Missing) -> tuple[str, ...]:
    if missing.missing_after == 0:
        return ()
    out = [
        f"{missing.missing_after} of {missing.with_before} runs with a check-in before have no "
        "check-in after, so they are not counted here."
    ]
    if missing.worrying:
        out.append(
            "That is more than one in five: those runs may have gone differently from the ones "
            "counted, so the average here may lean one way."
        )
    return tuple(out)


def rest_sentences(rest: RestContrast | None, n_rest: int) -> tuple[str, ...]:
    if rest is None:
        if n_rest == 0:
            return (NO_REST_YET,)
        more = MIN_REST - n_rest
        return (
            f"You have {_count_word(n_rest, 'rest day', 'rest days')} with two check-ins; "
            f"after {more} more your runs can be compared with them.",
        )
    first = (
        f"On {rest.n_rest} rest days, two check-ins spaced like a run changed by "
        f"{signed(rest.mean_rest)} on average; runs went with about "
        f"{signed(rest.difference)} {_points(rest.difference)} more than rest days"
    )
    if rest.interval is None:
        return (first + ".",)
    return (first + f", likely between {num(rest.interval.low)} and {num(rest.interval.high)}.",)


def rest_details(rest: RestContrast | None) -> tuple[str, ...]:
    """The technical figures behind the rest-day comparison, for "How sure is this?"."""
    if rest is None or rest.interval is None:
        return ()
    return (
        f"Runs against rest days: the difference of the two averages ({signed(rest.mean_run, 2)} "
        f"over {rest.n_runs} runs, {signed(rest.mean_rest, 2)} over {rest.n_rest} rest days), "
        "each side's spread read from its slowest swings, on Student's t with "
        f"{rest.df} degrees of freedom (Welch–Satterthwaite) at 96.5%.",
    )


def during_sentences(during: During) -> tuple[str, ...]:
    if not during.by_tag:
        return ()
    parts = [
        f"{tag} {count} {'time' if count == 1 else 'times'}" for tag, count in during.by_tag[:4]
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (
        f"During runs you marked {listed}.",
        "That is the middle of a run; how you felt afterwards is counted apart.",
    )


def bad_days_sentences(bad: BadDays | None, n_rest: int) -> tuple[str, ...]:
    if bad is None or bad.interaction is None:
        if n_rest == 0:
            return (REGRESSION_TO_THE_MEAN, NO_REST_YET)
        if n_rest < MIN_BAD_DAY_REST:
            more = MIN_BAD_DAY_REST - n_rest
            return (
                REGRESSION_TO_THE_MEAN,
                f"After {more} more rest days with two check-ins, low starts on run days and "
                "rest days can be set side by side.",
            )
        return (REGRESSION_TO_THE_MEAN,)
    if bad.more_on_bad_days:
        return (MORE_ON_BAD_DAYS,)
    if not bad.overlap:
        return (REGRESSION_TO_THE_MEAN, STARTS_DIFFER)
    return (REGRESSION_TO_THE_MEAN,)


def bad_days_details(bad: BadDays | None) -> tuple[str, ...]:
    if bad is None or bad.interaction is None:
        return ()
    return (
        f"Change on start, runs against rest days (interaction): {signed(bad.interaction, 2)}, "
        f"95% between {num(bad.low or 0, 2)} and {num(bad.high or 0, 2)}, "
        f"{p_words(bad.p if bad.p is not None else 1.0)}; {bad.n_runs} runs and "
        f"{bad.n_rest} rest days, leaving out "
        f"{bad.excluded_high_starts} that began at +{CEILING_START:.0f} or higher.",
    )


def category_sentence(c: CategoryComparison) -> str:
    level, reference = _LEVEL_NAMES[c.level], _LEVEL_NAMES[c.reference]
    if num(c.difference) in ("0.0", "−0.0"):
        head = f"{level.capitalize()} and {reference} ended about the same"
    else:
        how = "higher" if c.difference > 0 else "lower"
        size = f"{num(abs(c.difference))} {_points(c.difference)}"
        head = f"{level.capitalize()} ended on average {size} {how} than {reference}"
    return (
        f"{head}, taking into account how you felt before ({c.n_level} and {c.n_reference} "
        "runs) — a description of these runs, not a finding."
    )


def category_detail(c: CategoryComparison) -> str:
    level, reference = _LEVEL_NAMES[c.level], _LEVEL_NAMES[c.reference]
    return (
        f"{level.capitalize()} against {reference}: {signed(c.difference, 2)}, 95% between "
        f"{num(c.low, 2)} and {num(c.high, 2)} (looked at afresh on each visit, so not "
        "corrected for looking again)."
    )


def hunch_sentence(row: PredictorRow | None, record: HunchRecord, run_count: int) -> str:
    label = PREDICTORS.get(record.predictor, (record.predictor, ""))[0]
    if record.status == "faded":
        return (
            f"An earlier hunch about {label} did not hold on the runs that came after it was "
            "first seen, so it has faded."
        )
    further = max(0, run_count - record.first_seen_run_count)
    if row is None:
        first = f"A hunch about {label}."
    else:
        how = "a higher" if row.direction > 0 else "a lower"
        first = (
            f"A hunch: {label} went with {how} feeling afterwards, taking into account how you "
            "felt before."
        )
    if record.status == "confirmed":
        return first + (
            f" It held when checked on the runs after you first saw it on "
            f"{record.first_seen.isoformat()}."
        )
    return first + (
        f" It will be checked once on the {CONFIRM_AFTER} runs after it was first seen "
        f"({further} so far)."
    )


def hunch_detail(row: PredictorRow) -> str:
    return (
        f"{row.label.capitalize()}: {signed(row.effect, 2)} points {row.unit}, 95% between "
        f"{num(row.low, 2)} and {num(row.high, 2)}, {p_words(row.p)}"
        f"{' (passes the false-discovery screen)' if row.passes else ''}."
    )


def resilience_sentences(r: Resilience) -> tuple[str, ...]:
    if r.n_low == 0:
        return ("None of your runs with check-ins began below neutral.",)
    times = "time" if r.n_low == 1 else "times"
    those = "that run" if r.n_low == 1 else "those runs"
    out = [
        f"{r.n_low} {times} you went out for a run feeling low (−1 or below); {r.n_better} of "
        f"{those} ended better than {'it' if r.n_low == 1 else 'they'} began."
    ]
    if r.typical_start is not None and r.typical_end is not None:
        out.append(
            f"Typically they began at {feeling_value(r.typical_start)} and ended at "
            f"{feeling_value(r.typical_end)}."
        )
    return tuple(out)


def release_sentences(r: Release) -> tuple[str, ...]:
    if not r.enough:
        return (
            f"Once you have marked release at least 5 times, you will see where along a run it "
            f"tends to come ({r.n} so far).",
        )
    where = []
    span = km_span(r)
    if span is not None:
        a, b = span
        where.append(f"around km {a}" if a == b else f"around km {a}–{b}")
    minutes = minute_span(r)
    if minutes is not None:
        a, b = minutes
        where.append(f"about {a} minutes in" if a == b else f"about {a}–{b} minutes in")
    if not where:
        return (f"You have marked release {r.n} times.",)
    first = where[0]
    rest = f", {where[1]}" if len(where) > 1 else ""
    return (f"Release tends to come {first}{rest} ({r.n} moments).",)


def _peak(theme: Theme) -> str:
    period, _ = max(theme.by_period, key=lambda ps: (ps[1], ps[0]))
    return period_name(period)


def theme_sentence(theme: Theme) -> str:
    words = ", ".join(theme.words)
    text = (
        f"A theme you keep returning to ({words}) — in {theme.reflections} reflections, most "
        f"in {_peak(theme)}."
    )
    if theme.lift_low is not None and theme.lift_high is not None and theme.lift_vs is not None:
        how = "above" if theme.lift_vs > 0 else "below"
        text += (
            f" After runs you wrote about it, the change was {num(abs(theme.lift_vs))} "
            f"{_points(theme.lift_vs)} {how} your usual lift, likely between "
            f"{num(theme.lift_low)} and {num(theme.lift_high)} ({theme.lift_runs} runs)."
        )
    return text


def themes_sentences(t: Themes) -> tuple[str, ...]:
    if not t.enough:
        return (
            f"Themes appear once you have written 15 reflections or more; you have written "
            f"{t.n_reflections} so far.",
        )
    return tuple(theme_sentence(th) for th in t.themes)


def wellbeing_sentences(months: tuple[Month, ...]) -> tuple[str, ...]:
    scored = [m for m in months if m.who5 is not None]
    if not scored:
        return ("Your weekly well-being check-ins will appear here month by month.",)
    first, last = scored[0], scored[-1]
    out = []
    if first is last:
        out.append(
            f"Your well-being (WHO-5, 0–100) was {num(last.who5 or 0, 0)} in "
            f"{month_name(last.month)}."
        )
    else:
        out.append(
            f"Your well-being (WHO-5, 0–100) was {num(first.who5 or 0, 0)} in "
            f"{month_name(first.month)} and {num(last.who5 or 0, 0)} in {month_name(last.month)}."
        )
    recent = {m.month for m in months[-RECENT_MONTHS:]}
    for m in months:
        if m.marked and m.change is not None and m.month in recent:
            out.append(
                f"In {month_name(m.month)} it moved by {signed(m.change, 0)} points — a change "
                f"worth noticing; you ran {m.runs} {'time' if m.runs == 1 else 'times'} that month."
            )
    return tuple(out)


def support_sentence(card: SupportCard) -> str | None:
    return None if card.level == Support.NONE else SUPPORT_TEXT


def gate_sentence(g: Gate) -> str:
    return g.message


def iso(day: date) -> str:
    return day.isoformat()
