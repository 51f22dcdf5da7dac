"""Every finding as plain sentences: calm, with its uncertainty, describing and never proving.

All user-facing wording of the insights lives here, in one place to review.
"""

from __future__ import annotations

from datetime import date

from innerpace.insights.gates import Gate
from innerpace.insights.lift import During, Lift, RestContrast
from innerpace.insights.predictors import (
    CONFIRM_AFTER,
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

CAVEAT = "This describes your runs; it doesn't prove that running caused the change."
REGRESSION_TO_THE_MEAN = (
    "A run that begins low has more room to end higher, and a low moment tends to drift back "
    "toward your usual anyway, so a bigger change on low days is not by itself a sign that "
    "running does more for you then."
)
HELPS_MOST = (
    "Runs that began low lifted you more than low moments on rest days eased by themselves: "
    "running seems to help most on your harder days."
)
NO_REST_YET = (
    "Rest-day check-ins (two on a day without a run, spaced like one) would show how much of "
    "this comes from running rather than from time passing."
)
SUPPORT_TEXT = (
    "Your recent well-being answers are on the low side. It may help to talk it over with your "
    "GP or someone you trust."
)
NO_HUNCH = "Nothing stands out yet as going with a bigger lift — that is common, and fine."

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


def lift_sentences(lift: Lift, early: bool) -> tuple[str, ...]:
    assert lift.enough and lift.mean is not None and lift.interval is not None
    n, m = lift.n, lift.mean
    lo, hi = num(lift.interval.low), num(lift.interval.high)
    size = num(abs(m))
    how = "different" if size == "0.0" else "better" if m > 0 else "lower"
    ended = f"{lift.n_better} of {n} ended better than they began."
    if how == "different":
        head = "you felt on average about the same afterwards as before (on −5…+5)"
    else:
        head = f"you felt on average {size} {_points(m)} {how} afterwards (on −5…+5)"
    if early:
        first = (
            f"An early read from your {n} runs: {head}, likely between {lo} and {hi} — a wide "
            f"range, as it is with few runs; {ended}"
        )
    else:
        first = f"In your last {n} runs {head}, likely between {lo} and {hi}; {ended}"
    out = [first]
    mid_value = lift.mid or 1.0
    mid = f"{num(mid_value)} {_points(mid_value)}"
    out.append(
        {
            "meaningful": f"Even the low end of that range reaches the smallest change worth "
            f"noticing for you ({mid}).",
            "above-zero": f"The range sits above zero; it may or may not reach the smallest "
            f"change worth noticing for you ({mid}).",
            "small": f"The range sits above zero but below the smallest change worth noticing "
            f"for you ({mid}): a small lift.",
            "unclear": "The range includes zero, so from these runs alone it is not clear that "
            "you usually end better than you begin.",
            "lower": "The range sits below zero: lately your runs have more often ended lower "
            "than they began.",
        }[lift.position or "unclear"]
    )
    if lift.r1 is not None and lift.r1 > 0 and lift.n_eff is not None and lift.n_eff < 0.9 * n:
        out.append(
            f"Runs close in time tend to resemble each other, so the range counts them as about "
            f"{lift.n_eff:.0f} independent runs."
        )
    if lift.g is not None and not early:
        out.append(
            f"As a standardized size that is {num(lift.g, 2)}; studies of single bouts of "
            "exercise report about 0.3 to 0.5, though their scales and designs differ from yours."
        )
    return tuple(out)


def rest_sentences(rest: RestContrast | None) -> tuple[str, ...]:
    if rest is None:
        return (NO_REST_YET,)
    first = (
        f"On {rest.n_rest} rest days, two check-ins spaced like a run changed by "
        f"{signed(rest.mean_rest)} on average, so runs added about {signed(rest.difference)} "
        f"{_points(rest.difference)} beyond time passing"
    )
    if rest.interval is None:
        return (first + " (a likely range needs at least 5 rest days).",)
    return (first + f", likely between {num(rest.interval.low)} and {num(rest.interval.high)}.",)


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


def bad_days_sentences(bad: BadDays) -> tuple[str, ...]:
    return (HELPS_MOST,) if bad.helps_most else (REGRESSION_TO_THE_MEAN,)


def category_sentence(c: CategoryComparison) -> str:
    level, reference = _LEVEL_NAMES[c.level], _LEVEL_NAMES[c.reference]
    if num(c.difference) in ("0.0", "−0.0"):
        head = f"{level.capitalize()} and {reference} ended about the same"
    else:
        how = "higher" if c.difference > 0 else "lower"
        size = f"{num(abs(c.difference))} {_points(c.difference)}"
        head = f"{level.capitalize()} ended on average {size} {how} than {reference}"
    text = (
        f"{head}, taking into account how you felt before (likely between "
        f"{num(c.low)} and {num(c.high)}; {c.n_level} and {c.n_reference} runs)"
    )
    if c.low <= 0 <= c.high and "about the same" not in head:
        text += " — no clear difference"
    return text + "."


def hunch_sentence(row: PredictorRow | None, record: HunchRecord, run_count: int) -> str:
    label = PREDICTORS.get(record.predictor, (record.predictor, ""))[0]
    if record.status == "faded" or row is None:
        return f"An earlier hunch about {label} has faded with newer runs."
    how = "a higher" if row.effect > 0 else "a lower"
    first = (
        f"A hunch: {label} went with {how} feeling afterwards — {signed(row.effect, 2)} "
        f"points {row.unit}, likely between {num(row.low, 2)} and {num(row.high, 2)}, "
        "taking into account how you felt before."
    )
    further = run_count - record.first_seen_run_count
    if record.status == "confirmed":
        return first + (
            f" It has held on {further} more runs since you first saw it on "
            f"{record.first_seen.isoformat()}."
        )
    if record.status == "holding":
        left = CONFIRM_AFTER - further
        return first + f" It has held for {further} more runs so far; {left} to go."
    return first + f" It stays a hunch until it holds on at least {CONFIRM_AFTER} more runs."


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
    longer = " in your longer runs" if r.in_longer_runs else ""
    if not where:
        return (f"You have marked release {r.n} times.",)
    first = where[0] + longer
    rest = f", {where[1]}" if len(where) > 1 else ""
    return (f"Release tends to come {first}{rest} ({r.n} moments).",)


def _peak(theme: Theme) -> str:
    period, _ = max(theme.by_period, key=lambda ps: (ps[1], ps[0]))
    return period_name(period)


def theme_sentence(theme: Theme) -> str:
    words = ", ".join(theme.words)
    text = (
        f"A theme you keep returning to: {words} — in {theme.reflections} reflections, most "
        f"in {_peak(theme)}."
    )
    if theme.lift_mean is not None and theme.lift_runs >= 3:
        m = theme.lift_mean
        how = "better" if m > 0 else "lower" if m < 0 else "different"
        text += (
            f" After runs you wrote about it, you felt on average {num(abs(m))} {_points(m)} "
            f"{how} than before ({theme.lift_runs} runs)."
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
    for m in months:
        if m.marked and m.change is not None:
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
