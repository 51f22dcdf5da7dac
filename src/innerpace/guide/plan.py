"""Turn a session, a cadence and a length into a timeline of cues placed by sample index.

Pure: no audio, no files. Every onset is an integer sample index computed from exact
(rational) arithmetic, so there is no drift however long the session is.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from innerpace.guide.sessions import BreathPattern, Session
from innerpace.words import text

MIN_CADENCE = 120.0
MAX_CADENCE = 230.0
MIN_MINUTES = 1.0
MAX_MINUTES = 240.0
DEFAULT_SAMPLE_RATE = 44100
#: A spoken cue (or its chime) comes this long after the segment's bell.
PROMPT_LEAD_S = 2
#: A block of breath cues starts this long after its part of the segment begins.
BLOCK_LEAD_S = 6
#: The closing bell is struck this long before the end, so it can ring out.
FINAL_BELL_LEAD_S = 8
#: Breath cues fade over this last share of a block ...
FADE_SHARE = Fraction(2, 5)
#: ... down to this gain on the last breath.
FADE_FLOOR = 0.12
SEGMENT_BELL_GAIN = 0.8

CUE_KINDS = ("bell", "inhale", "exhale", "tick", "prompt")


@dataclass(frozen=True, slots=True)
class Cue:
    """One sound on the timeline.

    ``onset`` is a sample index; ``span`` is the phase length in samples for breath cues
    (the sound is shaped to fit inside it); ``text`` is the words of a spoken cue.
    """

    kind: str
    onset: int
    gain: float = 1.0
    span: int = 0
    text: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    """A segment placed on the timeline: samples ``[start, end)``."""

    kind: str
    start: int
    end: int
    pattern: BreathPattern | None
    blocks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """A session laid out at one cadence, length and sample rate."""

    session: Session
    cadence_spm: float
    minutes: float
    sample_rate: int
    total_samples: int
    segments: tuple[PlannedSegment, ...]
    cues: tuple[Cue, ...]

    @property
    def duration_s(self) -> float:
        return self.total_samples / self.sample_rate

    @property
    def step_s(self) -> float:
        """Seconds per step: 60 / cadence."""
        return 60.0 / self.cadence_spm

    def onsets(self, kind: str) -> list[int]:
        """Onsets (sample indices) of all cues of one kind, in order."""
        return [c.onset for c in self.cues if c.kind == kind]

    def cue_counts(self) -> dict[str, int]:
        counts = Counter(c.kind for c in self.cues)
        return {kind: counts.get(kind, 0) for kind in CUE_KINDS}


def check_cadence(cadence_spm: float) -> float:
    """Return the cadence as a float, or raise ValueError in plain words."""
    try:
        value = float(cadence_spm)
    except (TypeError, ValueError):
        raise ValueError(text("guide.cadence_not_number", given=repr(cadence_spm))) from None
    if not math.isfinite(value) or not MIN_CADENCE <= value <= MAX_CADENCE:
        raise ValueError(
            text(
                "guide.cadence_out_of_range",
                low=f"{MIN_CADENCE:g}",
                high=f"{MAX_CADENCE:g}",
                given=repr(cadence_spm),
            )
        )
    return value


def _check_minutes(minutes: float) -> float:
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise ValueError(text("guide.minutes_not_number", given=repr(minutes))) from None
    if not math.isfinite(value) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise ValueError(
            text(
                "guide.minutes_out_of_range",
                low=f"{MIN_MINUTES:g}",
                high=f"{MAX_MINUTES:g}",
                given=repr(minutes),
            )
        )
    return value


def _faded_gain(k: int, n: int) -> float:
    """Gain of breath ``k`` of ``n``: full, then a cosine fade over the last part."""
    fade_from = math.ceil(n * (1 - FADE_SHARE))
    if k < fade_from:
        return 1.0
    x = (k - fade_from + 1) / (n - fade_from)
    return FADE_FLOOR + (1.0 - FADE_FLOOR) * 0.5 * (1.0 + math.cos(math.pi * x))


def _breath_cues(
    start: int,
    end: int,
    pattern: BreathPattern,
    blocks: int,
    cue_minutes: float,
    step: Fraction,
    ticks: bool,
    sr: int,
) -> tuple[list[Cue], list[tuple[int, int]]]:
    """Breath (and step-tick) cues for one breath segment ``[start, end)``."""
    cues: list[Cue] = []
    spans: list[tuple[int, int]] = []
    part = Fraction(end - start, blocks)
    period = step * pattern.steps
    inhale_span = round(step * pattern.inhale)
    exhale_span = round(step * pattern.exhale)
    for b in range(blocks):
        part_start = start + round(b * part)
        lead = min(Fraction(BLOCK_LEAD_S * sr), part / 4)
        length = min(Fraction(cue_minutes) * 60 * sr, part / 2)
        block_start = part_start + round(lead)
        n = math.floor(length / period)
        if n == 0:
            continue
        spans.append((block_start, block_start + round(n * period)))
        for k in range(n):
            gain = _faded_gain(k, n)
            cues.append(Cue("inhale", block_start + round(k * period), gain, inhale_span))
            exhale_at = block_start + round(k * period + pattern.inhale * step)
            cues.append(Cue("exhale", exhale_at, gain, exhale_span))
            if ticks:
                for j in range(pattern.steps):
                    at = block_start + round((k * pattern.steps + j) * step)
                    cues.append(Cue("tick", at, gain))
    return cues, spans


def make_plan(
    session: Session,
    cadence_spm: float,
    minutes: float | None = None,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
) -> Plan:
    """Lay a session out at ``cadence_spm``, scaled to ``minutes`` (default: its own length)."""
    cadence = check_cadence(cadence_spm)
    length = _check_minutes(session.minutes if minutes is None else minutes)
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate < 8000:
        raise ValueError(text("guide.sample_rate", given=repr(sample_rate)))
    sr = sample_rate
    total = round(Fraction(length) * 60 * sr)
    step = Fraction(60 * sr) / Fraction(cadence)
    seg_minutes = [Fraction(s.minutes) for s in session.segments]
    whole = sum(seg_minutes, Fraction(0))
    bounds = [0]
    running = Fraction(0)
    for m in seg_minutes:
        running += m
        bounds.append(round(running / whole * total))

    cues: list[Cue] = []
    planned: list[PlannedSegment] = []
    for i, seg in enumerate(session.segments):
        start, end = bounds[i], bounds[i + 1]
        if seg.bell:
            cues.append(Cue("bell", start, 1.0 if i == 0 else SEGMENT_BELL_GAIN))
        if seg.cues:
            lead = min(PROMPT_LEAD_S * sr, (end - start) // 4)
            spacing = Fraction(end - start - lead, len(seg.cues))
            for j, words in enumerate(seg.cues):
                cues.append(Cue("prompt", start + lead + round(j * spacing), text=words))
        spans: list[tuple[int, int]] = []
        if seg.pattern is not None:
            breath, spans = _breath_cues(
                start, end, seg.pattern, seg.blocks, seg.cue_minutes, step, seg.ticks, sr
            )
            cues.extend(breath)
        planned.append(PlannedSegment(seg.kind, start, end, seg.pattern, tuple(spans)))
    cues.append(Cue("bell", max(0, total - FINAL_BELL_LEAD_S * sr), 1.0))
    cues.sort(key=lambda c: (c.onset, CUE_KINDS.index(c.kind)))
    return Plan(session, cadence, length, sr, total, tuple(planned), tuple(cues))
