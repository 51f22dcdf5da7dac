"""Where marked moments fall along a run, for the run page's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from innerpace.domain import Moment, MomentStatus, Run

POSITIONS = 20


@dataclass(frozen=True, slots=True)
class Mark:
    """A moment placed on the run's timeline: ``pos`` is one of 20 equal slots."""

    moment: Moment
    pos: int

    @property
    def suggested(self) -> bool:
        return self.moment.status is MomentStatus.SUGGESTED


def position(moment: Moment, run: Run) -> int | None:
    """Which of the 20 slots along the run the moment falls in (None when it cannot be placed)."""
    share: float | None = None
    if moment.at_s is not None and run.duration_s:
        share = moment.at_s / run.duration_s
    elif moment.at_m is not None and run.distance_m:
        share = moment.at_m / run.distance_m
    if share is None:
        return None
    return max(0, min(POSITIONS - 1, int(share * POSITIONS)))


def timeline(moments: tuple[Moment, ...], run: Run) -> list[Mark]:
    """Confirmed and suggested moments in order along the run."""
    marks = []
    for moment in moments:
        if moment.status is MomentStatus.DISMISSED:
            continue
        pos = position(moment, run)
        if pos is not None:
            marks.append(Mark(moment, pos))
    return sorted(marks, key=lambda m: m.pos)
