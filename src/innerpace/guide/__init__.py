"""Guided runs: sessions as data, planned at the runner's cadence, rendered offline to audio.

>>> session = get_session("breathe-3-2")
>>> plan = plan_session(session, cadence_spm=170, minutes=30)
>>> render_session(plan, Path("breathe.flac"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from innerpace.guide.cadence import median_cadence
from innerpace.guide.plan import (
    MAX_CADENCE,
    MIN_CADENCE,
    Cue,
    Plan,
    PlannedSegment,
    make_plan,
)
from innerpace.guide.render import RenderError, RenderResult, render_plan, supported_formats
from innerpace.guide.sessions import (
    SEGMENT_KINDS,
    BreathPattern,
    Segment,
    Session,
    SessionError,
    UnknownSession,
    all_sessions,
    find_session,
    load_session_file,
)

__all__ = [
    "MAX_CADENCE",
    "MIN_CADENCE",
    "SEGMENT_KINDS",
    "BreathPattern",
    "Cue",
    "Plan",
    "PlannedSegment",
    "RenderError",
    "RenderResult",
    "Segment",
    "Session",
    "SessionError",
    "UnknownSession",
    "get_session",
    "list_sessions",
    "load_session_file",
    "median_cadence",
    "plan_session",
    "render_session",
    "supported_formats",
]


def list_sessions(user_dir: Path | None = None) -> list[Session]:
    """Built-in sessions, then those in ``user_dir/*.toml`` (e.g. ``<data dir>/sessions``)."""
    return all_sessions(user_dir)


def get_session(session_id: str, user_dir: Path | None = None) -> Session:
    """The session with this id; :class:`UnknownSession` (a ValueError) lists the known ids."""
    return find_session(session_id, user_dir)


def plan_session(
    session: Session,
    cadence_spm: float,
    minutes: float | None = None,
    sample_rate: int = 44100,
) -> Plan:
    """Place every cue of ``session`` by sample index at ``cadence_spm`` steps per minute.

    ``minutes`` scales the session (segments in proportion); cadence must be 120–230.
    """
    return make_plan(session, cadence_spm, minutes, sample_rate)


def render_session(plan: Plan, out: Path, voice: bool = True) -> RenderResult:
    """Write ``plan`` to ``out`` (.wav, .flac, .ogg or .mp3) and describe the result.

    Spoken cues use a local espeak-ng when asked for and present; otherwise a soft chime.
    """
    return render_plan(plan, Path(out), use_voice=voice)
