"""The runner's own cadence, from their recent runs."""

from __future__ import annotations

import math
import statistics

from innerpace.guide.plan import MAX_CADENCE, MIN_CADENCE


def median_cadence(cadences: list[float | None]) -> float | None:
    """Median steps per minute of recent runs, ignoring missing or implausible values.

    Values outside the range a guided run accepts are left out. ``None`` when nothing is left.
    """
    usable = [
        float(c)
        for c in cadences
        if isinstance(c, int | float)
        and not isinstance(c, bool)
        and math.isfinite(c)
        and MIN_CADENCE <= c <= MAX_CADENCE
    ]
    return float(statistics.median(usable)) if usable else None
