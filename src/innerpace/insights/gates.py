"""How much data before saying anything: the gates, counted in runs with both check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    DIARY = 0
    EARLY = 1
    HEADLINE = 2
    CATEGORIES = 3
    HUNCHES = 4


THRESHOLDS = {
    Level.DIARY: 0,
    Level.EARLY: 10,
    Level.HEADLINE: 20,
    Level.CATEGORIES: 40,
    Level.HUNCHES: 60,
}
MIN_PER_LEVEL = 10
ALL_OPEN = "You have enough runs with both check-ins for every insight here."

_NEXT_STEP = {
    Level.EARLY: "a first read of how you feel after running",
    Level.HEADLINE: "a steadier read of your lift",
    Level.CATEGORIES: "comparisons such as alone or with others",
    Level.HUNCHES: "hunches about what goes with a bigger lift",
}


@dataclass(frozen=True, slots=True)
class Gate:
    level: Level
    runs: int
    next_level: Level | None
    runs_to_next: int
    message: str


def runs_word(n: int) -> str:
    return "run" if n == 1 else "runs"


def gate(runs_with_both: int) -> Gate:
    """The level a number of runs with both check-ins opens, and how far the next one is."""
    n = max(0, int(runs_with_both))
    level = max(lvl for lvl, need in THRESHOLDS.items() if n >= need)
    following = [lvl for lvl in Level if lvl > level]
    if not following:
        return Gate(level, n, None, 0, ALL_OPEN)
    nxt = following[0]
    more = THRESHOLDS[nxt] - n
    if level == Level.DIARY:
        message = (
            f"Not enough yet — {more} more {runs_word(more)} with a check-in before and after, "
            f"and you will see {_NEXT_STEP[nxt]}."
        )
    else:
        message = (
            f"{more} more {runs_word(more)} with both check-ins, "
            f"and you will see {_NEXT_STEP[nxt]}."
        )
    return Gate(level, n, nxt, more, message)


def enough_per_level(counts: dict[str, int]) -> bool:
    """Category comparisons need at least two levels with 10 runs or more each."""
    return len(counts) >= 2 and all(c >= MIN_PER_LEVEL for c in counts.values())
