"""Where things surface along a run: confirmed moments with tags, and lap presses to confirm."""

from __future__ import annotations

import numpy as np

from innerpace.demo.tracks import Recording
from innerpace.demo.words import moment_note
from innerpace.domain import Moment, MomentStatus, Sport

# Tag weights for moments placed freely along the run.
_FREE_TAGS = {"calm": 3.0, "noticing": 3.0, "joy": 2.0, "gratitude": 2.0, "clarity": 1.0}


def _tags_and_time(
    rng: np.random.Generator, duration_s: float, hard_phase: bool, after_hard: bool
) -> tuple[tuple[str, ...], float]:
    long_run = duration_s > 45 * 60
    u = rng.random()
    if long_run and u < 0.45:
        tag = "release" if rng.random() < 0.6 else "clarity"
        at = rng.uniform(35, 50) * 60
        tags: tuple[str, ...] = (tag,)
        if tag == "release" and rng.random() < (0.5 if hard_phase else 0.2):
            tags = ("release", "tears")
        elif after_hard and rng.random() < 0.25:
            tags = (tag, "forgiveness")
    elif u < 0.62:
        tags, at = ("struggle",), rng.uniform(3, 15) * 60
    elif hard_phase and u < 0.72:
        tags, at = ("tears",), rng.uniform(0.3, 0.9) * duration_s
    else:
        names = list(_FREE_TAGS)
        p = np.array([_FREE_TAGS[n] for n in names])
        tags, at = (
            (names[rng.choice(len(names), p=p / p.sum())],),
            rng.uniform(0.1, 0.95) * duration_s,
        )
    return tags, float(min(at, duration_s - 60))


def run_moments(
    rng: np.random.Generator, index: int, recording: Recording, hard_phase: bool, after_hard: bool
) -> list[Moment]:
    """Moments for one run: suggested ones from lap presses, confirmed ones on about 40% of runs."""
    run = recording.run
    found = [
        Moment(
            run_id=index,
            at_s=press,
            at_m=_metres(recording, press),
            status=MomentStatus.SUGGESTED,
            source="lap",
        )
        for press in recording.presses_s
    ]
    if run.sport != Sport.RUNNING or rng.random() >= 0.4:
        return found
    count = int(rng.choice([1, 2, 3], p=[0.55, 0.3, 0.15]))
    for _ in range(count):
        tags, at = _tags_and_time(rng, run.duration_s, hard_phase, after_hard)
        metres = _metres(recording, at)
        note = (
            moment_note(rng, tags[0], metres, run.local_start.date())
            if rng.random() < 0.35
            else None
        )
        found.append(Moment(run_id=index, at_s=round(at), at_m=metres, tags=tags, note=note))
    return sorted(found, key=lambda m: m.at_s or 0.0)


def _metres(recording: Recording, seconds: float) -> float | None:
    metres = recording.distance_at(seconds)
    return None if metres is None else round(metres, 1)
