"""Runs begun in a low mood, and how they ended. Counted, never made into a streak."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from innerpace.insights.data import RunPair

LOW = -1.0
MIN_FOR_TYPICAL = 3


@dataclass(frozen=True, slots=True)
class Resilience:
    n_low: int
    n_better: int
    share_better: float | None
    typical_start: float | None
    typical_end: float | None


def resilience(pairs: Sequence[RunPair], low: float = LOW) -> Resilience:
    """Runs that began at a feeling of ``low`` or below: how many, and how they ended."""
    lows = [p for p in pairs if p.pre <= low]
    n = len(lows)
    better = sum(p.post > p.pre for p in lows)
    if n < MIN_FOR_TYPICAL:
        return Resilience(n, better, better / n if n else None, None, None)
    return Resilience(
        n_low=n,
        n_better=better,
        share_better=better / n,
        typical_start=float(np.median([p.pre for p in lows])),
        typical_end=float(np.median([p.post for p in lows])),
    )
