"""Where release comes along a run: confirmed moments by minute and by kilometre."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from innerpace.domain import Moment, MomentStatus, Run

MIN_MOMENTS = 5
RELEASE_TAGS = ("release",)


@dataclass(frozen=True, slots=True)
class Release:
    """Quartiles of where tagged moments came; ``enough`` is False under five moments."""

    n: int
    enough: bool
    tags: tuple[str, ...]
    minute_low: float | None = None
    minute_mid: float | None = None
    minute_high: float | None = None
    km_n: int = 0
    km_low: float | None = None
    km_mid: float | None = None
    km_high: float | None = None
    km_peak: int | None = None


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    q = np.quantile(np.asarray(values, dtype=float), [0.25, 0.5, 0.75])
    return float(q[0]), float(q[1]), float(q[2])


def release(
    moments: Iterable[Moment],
    runs_by_id: Mapping[int, Run],
    tags: tuple[str, ...] = RELEASE_TAGS,
) -> Release:
    """Quartiles by minute and km of confirmed moments carrying any of ``tags``.

    ``km_peak`` is the whole kilometre where most of them came (the densest 1-km bin). Nothing
    is said about longer runs: a longer run simply has more minutes to mark a moment in.
    """
    chosen = [
        m for m in moments if m.status == MomentStatus.CONFIRMED and any(t in tags for t in m.tags)
    ]
    n = len(chosen)
    if n < MIN_MOMENTS:
        return Release(n=n, enough=False, tags=tags)
    minutes = [m.at_s / 60 for m in chosen if m.at_s is not None]
    kms = [m.at_m / 1000 for m in chosen if m.at_m is not None]
    m_low, m_mid, m_high = _quartiles(minutes) if minutes else (None, None, None)
    k_low = k_mid = k_high = None
    peak = None
    if len(kms) >= MIN_MOMENTS:
        k_low, k_mid, k_high = _quartiles(kms)
        bins = np.bincount(np.floor(np.asarray(kms)).astype(int))
        peak = int(np.argmax(bins))
    return Release(
        n=n,
        enough=True,
        tags=tags,
        minute_low=m_low,
        minute_mid=m_mid,
        minute_high=m_high,
        km_n=len(kms),
        km_low=k_low,
        km_mid=k_mid,
        km_high=k_high,
        km_peak=peak,
    )


def km_span(r: Release) -> tuple[int, int] | None:
    """The typical stretch in whole kilometres: (floor of the lower, ceil of the upper quartile)."""
    if r.km_low is None or r.km_high is None:
        return None
    return int(math.floor(r.km_low)), max(int(math.floor(r.km_low)), int(math.ceil(r.km_high)))


def minute_span(r: Release) -> tuple[int, int] | None:
    if r.minute_low is None or r.minute_high is None:
        return None
    return int(round(r.minute_low)), int(round(r.minute_high))
