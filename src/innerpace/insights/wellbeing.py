"""WHO-5 well-being over months, beside how often this person ran, and the support card rule.

WHO-5 screens; it does not diagnose. The card is a calm suggestion and never blocks anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from innerpace.domain import Run, WellbeingCheck
from innerpace.instruments import score

MEANINGFUL_CHANGE = 10.0
LOW_SCORE = 50.0
VERY_LOW_SCORE = 28.0
LOW_ITEM = 1.0


class Support(StrEnum):
    NONE = "none"
    CALM = "calm"
    PROMINENT = "prominent"


@dataclass(frozen=True, slots=True)
class Who5:
    at: date
    score: float
    lowest_item: float

    @property
    def low(self) -> bool:
        return self.score <= LOW_SCORE or self.lowest_item <= LOW_ITEM


@dataclass(frozen=True, slots=True)
class SupportCard:
    level: Support
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Month:
    month: str
    who5: float | None
    checks: int
    runs: int
    change: float | None
    marked: bool


@dataclass(frozen=True, slots=True)
class Wellbeing:
    months: tuple[Month, ...]
    latest: Who5 | None
    support: SupportCard


def who5_scores(checks: Iterable[WellbeingCheck]) -> tuple[Who5, ...]:
    """WHO-5 answers as 0–100 scores, oldest first; other instruments are left out."""
    found = [
        Who5(
            at=c.at.date(),
            score=float(score(c.response)),
            lowest_item=min(v for _, v in c.response.answers),
        )
        for c in sorted(checks, key=lambda c: c.at)
        if c.response.instrument_id == "who5" and c.response.answers
    ]
    return tuple(found)


def support_card(scores: Sequence[Who5]) -> SupportCard:
    """The card for the latest answer.

    Score ≤ 50 or any item 0–1: a calm card. Score ≤ 28, two lows in a row, or a drop of 10
    points or more since the previous answer: the same card, shown prominently.
    """
    if not scores:
        return SupportCard(Support.NONE, ())
    latest = scores[-1]
    previous = scores[-2] if len(scores) >= 2 else None
    prominent = []
    if latest.score <= VERY_LOW_SCORE:
        prominent.append("very-low")
    if previous is not None and latest.low and previous.low:
        prominent.append("two-lows")
    if previous is not None and previous.score - latest.score >= MEANINGFUL_CHANGE:
        prominent.append("drop")
    if prominent:
        return SupportCard(Support.PROMINENT, tuple(prominent))
    calm = []
    if latest.score <= LOW_SCORE:
        calm.append("low")
    if latest.lowest_item <= LOW_ITEM:
        calm.append("low-item")
    return SupportCard(Support.CALM if calm else Support.NONE, tuple(calm))


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def wellbeing(checks: Iterable[WellbeingCheck], runs: Iterable[Run]) -> Wellbeing:
    """Monthly mean WHO-5 with changes of 10 points or more marked, and runs per month."""
    scores = who5_scores(checks)
    by_month: dict[str, list[float]] = defaultdict(list)
    for s in scores:
        by_month[_month(s.at)].append(s.score)
    runs_by_month: dict[str, int] = defaultdict(int)
    for r in runs:
        runs_by_month[_month(r.local_start.date())] += 1
    if not by_month:
        return Wellbeing((), None, support_card(scores))
    span = _months_between(min(by_month), max(by_month))
    months, last_score = [], None
    for key in span:
        values = by_month.get(key, [])
        mean = sum(values) / len(values) if values else None
        change = None if mean is None or last_score is None else mean - last_score
        months.append(
            Month(
                month=key,
                who5=mean,
                checks=len(values),
                runs=runs_by_month.get(key, 0),
                change=change,
                marked=change is not None and abs(change) >= MEANINGFUL_CHANGE,
            )
        )
        if mean is not None:
            last_score = mean
    return Wellbeing(tuple(months), scores[-1], support_card(scores))
