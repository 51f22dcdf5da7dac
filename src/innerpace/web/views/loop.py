"""The daily loop's rules as the pages reach them.

The rules themselves (the 3-hour window, which run waits for an after check-in, when the weekly
WHO-5 is due, what Recently deleted keeps and for how long) live in ``services``; the pages ask
through these few names and never re-implement one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from innerpace.domain import Run
from innerpace.services import Journal
from innerpace.services.pairing import ATTACH_WINDOW
from innerpace.services.trash import KEPT_FOR

WINDOW_HOURS = round(ATTACH_WINDOW.total_seconds() / 3600)
KINDS = ("checkin", "moment", "reflection", "wellbeing", "run")
KEEP_DAYS = KEPT_FOR.days


def run_waiting_for_after(journal: Journal, now: datetime | None = None) -> Run | None:
    """The most recent run that ended within the window and has no after check-in yet."""
    return journal.run_waiting_for_after(now)


def wellbeing_state(journal: Journal, now: datetime | None = None) -> str:
    """``never`` (no WHO-5 yet), ``due`` (the last is a week old or more) or ``""``."""
    if not journal.wellbeing_checks():
        return "never"
    return "due" if journal.wellbeing_due(now) else ""


def delete(journal: Journal, kind: str, item_id: int) -> None:
    """Move one thing the person made to Recently deleted."""
    journal.delete(kind, item_id)


def trash(journal: Journal) -> list[Any]:
    """What is in Recently deleted, the latest first."""
    return list(journal.trash())


def restore(journal: Journal, kind: str, item_id: int) -> None:
    """Bring one thing back from Recently deleted."""
    journal.restore(kind, item_id)
