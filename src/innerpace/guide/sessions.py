"""Guided-run sessions as data: the model, and loading it from TOML with clear errors."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SEGMENT_KINDS = (
    "settle",
    "breath",
    "body-scan",
    "noting",
    "open-awareness",
    "easy-finish",
    "silence",
)
MAX_STEPS_PER_PHASE = 6
MIN_CUE_MINUTES = 1.0
MAX_CUE_MINUTES = 2.0
MAX_CUE_WORDS = 20
#: At most this share of a breath segment carries breath cues (most of a session is quiet).
MAX_CUED_SHARE = 0.5


class SessionError(ValueError):
    """A session file is not valid. Names the file and the field."""

    def __init__(self, source: str, field_name: str | None, reason: str) -> None:
        self.source = source
        self.field = field_name
        self.reason = reason
        where = f"{source}: field '{field_name}'" if field_name else source
        super().__init__(f"{where}: {reason}")


class UnknownSession(ValueError):
    """No session has this id."""

    def __init__(self, session_id: str, known: list[str]) -> None:
        self.session_id = session_id
        self.known = known
        super().__init__(
            f"There is no session called {session_id!r}. Known sessions: {', '.join(known)}."
        )


@dataclass(frozen=True, slots=True)
class BreathPattern:
    """Steps breathing in, steps breathing out (3:2 means three steps in, two out)."""

    inhale: int
    exhale: int

    @property
    def steps(self) -> int:
        return self.inhale + self.exhale

    def __str__(self) -> str:
        return f"{self.inhale}:{self.exhale}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a session: a kind, a length, and its cues."""

    kind: str
    minutes: float
    cues: tuple[str, ...] = ()
    pattern: BreathPattern | None = None
    cue_minutes: float = 1.5
    blocks: int = 1
    ticks: bool = False
    bell: bool = True


@dataclass(frozen=True, slots=True)
class Session:
    """A guided run: id, title, length, a short description and its segments."""

    id: str
    title: str
    minutes: float
    description: str
    segments: tuple[Segment, ...]
    source: str = field(default="", compare=False)
    builtin: bool = field(default=True, compare=False)


def _fail(source: str, field_name: str | None, reason: str) -> SessionError:
    return SessionError(source, field_name, reason)


def _number(value: Any, source: str, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(source, name, f"expected a number, got {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise _fail(source, name, f"expected a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _text(value: Any, source: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, name, "expected a non-empty text")
    return value.strip()


def _parse_pattern(value: Any, source: str, name: str) -> BreathPattern:
    bad = f"expected steps in and out like '3:2', got {value!r}"
    if not isinstance(value, str) or value.count(":") != 1:
        raise _fail(source, name, bad)
    left, right = value.split(":")
    if not (left.strip().isdigit() and right.strip().isdigit()):
        raise _fail(source, name, bad)
    inhale, exhale = int(left), int(right)
    if not (1 <= inhale <= MAX_STEPS_PER_PHASE and 1 <= exhale <= MAX_STEPS_PER_PHASE):
        raise _fail(source, name, f"steps must be from 1 to {MAX_STEPS_PER_PHASE}, got {value!r}")
    return BreathPattern(inhale, exhale)


_SEGMENT_KEYS = {"kind", "minutes", "cues", "pattern", "cue_minutes", "blocks", "ticks", "bell"}
_BREATH_ONLY = ("pattern", "cue_minutes", "blocks", "ticks")


def _parse_segment(raw: Any, source: str, where: str) -> Segment:
    if not isinstance(raw, dict):
        raise _fail(source, where, "expected a table with kind and minutes")
    unknown = sorted(set(raw) - _SEGMENT_KEYS)
    if unknown:
        raise _fail(source, f"{where}.{unknown[0]}", "is not a segment field")
    kind = raw.get("kind")
    if kind not in SEGMENT_KINDS:
        raise _fail(source, f"{where}.kind", f"expected one of {', '.join(SEGMENT_KINDS)}")
    if "minutes" not in raw:
        raise _fail(source, f"{where}.minutes", "is missing")
    minutes = _number(raw["minutes"], source, f"{where}.minutes", 0.25, 240)
    cues_raw = raw.get("cues", [])
    if not isinstance(cues_raw, list):
        raise _fail(source, f"{where}.cues", "expected a list of short texts")
    cues = tuple(_text(c, source, f"{where}.cues[{i}]") for i, c in enumerate(cues_raw))
    for i, cue in enumerate(cues):
        if len(cue.split()) > MAX_CUE_WORDS:
            raise _fail(source, f"{where}.cues[{i}]", f"keep cues under {MAX_CUE_WORDS} words")
    if kind == "silence" and cues:
        raise _fail(source, f"{where}.cues", "a silence segment has no cues")
    bell = raw.get("bell", True)
    if not isinstance(bell, bool):
        raise _fail(source, f"{where}.bell", "expected true or false")
    if kind != "breath":
        for key in _BREATH_ONLY:
            if key in raw:
                raise _fail(source, f"{where}.{key}", "only a breath segment has this field")
        return Segment(kind, minutes, cues, bell=bell)
    if "pattern" not in raw:
        raise _fail(source, f"{where}.pattern", "is missing (a breath segment needs e.g. '3:2')")
    pattern = _parse_pattern(raw["pattern"], source, f"{where}.pattern")
    cue_minutes = _number(
        raw.get("cue_minutes", 1.5),
        source,
        f"{where}.cue_minutes",
        MIN_CUE_MINUTES,
        MAX_CUE_MINUTES,
    )
    blocks = raw.get("blocks", 1)
    if isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 1:
        raise _fail(
            source, f"{where}.blocks", f"expected a whole number of 1 or more, got {blocks!r}"
        )
    if blocks * cue_minutes > MAX_CUED_SHARE * minutes:
        raise _fail(
            source,
            f"{where}.cue_minutes",
            f"{blocks} × {cue_minutes:g} min of breath cues is more than half of "
            f"{minutes:g} min; keep most of the segment quiet",
        )
    ticks = raw.get("ticks", False)
    if not isinstance(ticks, bool):
        raise _fail(source, f"{where}.ticks", "expected true or false")
    return Segment(kind, minutes, cues, pattern, cue_minutes, blocks, ticks, bell)


_SESSION_KEYS = {"id", "title", "minutes", "description", "segments"}


def parse_session(data: dict[str, Any], source: str, builtin: bool = False) -> Session:
    """Validate a parsed TOML document and build a :class:`Session`."""
    unknown = sorted(set(data) - _SESSION_KEYS)
    if unknown:
        raise _fail(source, unknown[0], "is not a session field")
    for key in ("id", "title", "minutes", "description", "segments"):
        if key not in data:
            raise _fail(source, key, "is missing")
    session_id = _text(data["id"], source, "id")
    if not all(c.isalnum() or c == "-" for c in session_id) or session_id != session_id.lower():
        raise _fail(source, "id", f"use lowercase letters, digits and '-', got {session_id!r}")
    title = _text(data["title"], source, "title")
    description = _text(data["description"], source, "description")
    minutes = _number(data["minutes"], source, "minutes", 1, 240)
    raw_segments = data["segments"]
    if not isinstance(raw_segments, list) or not raw_segments:
        raise _fail(source, "segments", "expected at least one [[segments]] table")
    segments = tuple(
        _parse_segment(raw, source, f"segments[{i}]") for i, raw in enumerate(raw_segments)
    )
    total = sum(s.minutes for s in segments)
    if not math.isclose(total, minutes, abs_tol=1e-6):
        raise _fail(
            source,
            "minutes",
            f"the segments add up to {total:g} min but the session says {minutes:g}",
        )
    return Session(session_id, title, minutes, description, segments, source, builtin)


def load_session_text(text: str, source: str, builtin: bool = False) -> Session:
    """Parse TOML text into a session; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SessionError(source, None, f"not valid TOML ({exc})") from exc
    return parse_session(data, source, builtin)


def load_session_file(path: Path) -> Session:
    """Load one user session file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SessionError(str(path), None, f"cannot be read ({exc})") from exc
    return load_session_text(text, str(path), builtin=False)


def builtin_sessions() -> list[Session]:
    """The sessions shipped with innerpace, in their listed order."""
    folder = resources.files("innerpace.guide") / "sessions"
    found = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    return [
        load_session_text(entry.read_text(encoding="utf-8"), f"sessions/{entry.name}", True)
        for entry in found
    ]


def user_sessions(user_dir: Path) -> list[Session]:
    """Sessions from ``user_dir/*.toml`` (a missing folder holds none)."""
    if not user_dir.is_dir():
        return []
    return [load_session_file(path) for path in sorted(user_dir.glob("*.toml"))]


def all_sessions(user_dir: Path | None = None) -> list[Session]:
    """Built-in sessions, then the user's; a user id may not repeat another id."""
    sessions = builtin_sessions()
    seen = {s.id: s.source for s in sessions}
    for session in user_sessions(user_dir) if user_dir is not None else []:
        if session.id in seen:
            raise SessionError(
                session.source, "id", f"{session.id!r} is already used by {seen[session.id]}"
            )
        seen[session.id] = session.source
        sessions.append(session)
    return sessions


def find_session(session_id: str, user_dir: Path | None = None) -> Session:
    """The session with this id, or :class:`UnknownSession`."""
    sessions = all_sessions(user_dir)
    for session in sessions:
        if session.id == session_id:
            return session
    raise UnknownSession(session_id, [s.id for s in sessions])
