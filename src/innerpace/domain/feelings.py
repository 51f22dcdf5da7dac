"""Feelings: check-ins around runs, moments along them, reflections after, weekly well-being.

Every answer names its instrument and version; nothing is a bare number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from innerpace.domain.times import ensure_utc


class CheckInKind(StrEnum):
    BEFORE = "before"
    AFTER = "after"
    REST_FIRST = "rest-first"
    REST_SECOND = "rest-second"
    DAY = "day"  # a day's mood (e.g. from a mood diary): never a before or an after


@dataclass(frozen=True, slots=True)
class Response:
    """Answers to one instrument: ``answers`` maps item id to the chosen value."""

    instrument_id: str
    instrument_version: str
    answers: tuple[tuple[str, float], ...]

    def value(self, item_id: str) -> float | None:
        for key, value in self.answers:
            if key == item_id:
                return value
        return None


@dataclass(frozen=True, slots=True)
class CheckIn:
    at: datetime
    kind: CheckInKind
    responses: tuple[Response, ...]
    run_id: int | None = None
    delay_s: float | None = None
    note: str | None = None
    source: str = "self"
    id: int | None = None
    batch_id: int | None = None  # the import batch that brought it; None: the person made it
    tags: tuple[str, ...] = ()  # free words, cleaned as a moment's are (e.g. a diary's activities)

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", ensure_utc(self.at))
        if not self.responses:
            raise ValueError("a check-in needs at least one answer")

    def response(self, instrument_id: str) -> Response | None:
        for response in self.responses:
            if response.instrument_id == instrument_id:
                return response
        return None

    def with_id(self, checkin_id: int) -> CheckIn:
        return replace(self, id=checkin_id)


class MomentStatus(StrEnum):
    CONFIRMED = "confirmed"
    SUGGESTED = "suggested"
    DISMISSED = "dismissed"


MOMENT_TAGS = (
    "release",
    "tears",
    "clarity",
    "calm",
    "forgiveness",
    "struggle",
    "joy",
    "gratitude",
    "noticing",
)


MAX_TAG = 40


def tag_words(tags: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tags as kept: lower-case, trimmed, unique, a comma parts two; the shared vocabulary first,
    free tags kept in the order given. Returns (tags, words longer than ``MAX_TAG``)."""
    found: list[str] = []
    too_long: list[str] = []
    for raw in tags:
        for part in raw.split(","):
            tag = " ".join(part.split()).lower()
            if not tag:
                continue
            if len(tag) > MAX_TAG:
                too_long.append(part.strip())
            elif tag not in found:
                found.append(tag)
    ordered = sorted(found, key=lambda t: (t not in MOMENT_TAGS, found.index(t)))
    return tuple(ordered), tuple(too_long)


@dataclass(frozen=True, slots=True)
class Moment:
    """Something that surfaced during a run, placed by time and/or distance from its start.

    ``run_id`` is None only for a moment kept after its run's import was taken back."""

    run_id: int | None
    at_s: float | None = None
    at_m: float | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    status: MomentStatus = MomentStatus.CONFIRMED
    source: str = "self"
    id: int | None = None
    batch_id: int | None = None  # the import batch that suggested it; None: the person's

    def __post_init__(self) -> None:
        if self.at_s is None and self.at_m is None:
            raise ValueError("a moment needs a time or a distance into the run")
        if (self.at_s is not None and self.at_s < 0) or (self.at_m is not None and self.at_m < 0):
            raise ValueError("a moment cannot come before the run starts")


@dataclass(frozen=True, slots=True)
class Reflection:
    """Words written after a run, or on a day. Markdown text."""

    text: str
    created: datetime
    run_id: int | None = None
    day: date | None = None
    prompt_id: str | None = None
    private: bool = False
    origin: str = "self"
    updated: datetime | None = None
    id: int | None = None
    batch_id: int | None = None  # the import batch that brought it; None: the person wrote it

    def __post_init__(self) -> None:
        object.__setattr__(self, "created", ensure_utc(self.created))
        if self.updated is not None:
            object.__setattr__(self, "updated", ensure_utc(self.updated))


@dataclass(frozen=True, slots=True)
class WellbeingCheck:
    """A weekly well-being answer (WHO-5 by default) covering the two weeks before ``at``."""

    at: datetime
    response: Response
    id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    batch_id: int | None = None  # the import batch that brought it; None: the person answered

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", ensure_utc(self.at))
