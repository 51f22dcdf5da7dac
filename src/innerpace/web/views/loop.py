"""The daily loop's rules as the pages reach them: one adapter over the journal's use-cases.

The rules themselves (the 3-hour window, which run waits for an after check-in, when the weekly
WHO-5 is due) live in ``services``; this module only asks for them, so a page never re-implements
one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from innerpace.domain import Run, utc_now
from innerpace.services import Journal
from innerpace.services.feelings import ATTACH_WINDOW

WINDOW_HOURS = round(ATTACH_WINDOW.total_seconds() / 3600)


def run_waiting_for_after(journal: Journal, now: datetime | None = None) -> Run | None:
    """The most recent run that ended within the window and has no after check-in yet."""
    now = now or utc_now()
    ask = getattr(journal, "run_waiting_for_after", None)
    if ask is not None:
        return ask(now)
    # Until the journal answers this itself: the same rule over its latest runs.
    for listing in journal.runs(limit=5):
        ended = now - listing.run.end
        if ended.total_seconds() >= 0 and ended <= ATTACH_WINDOW:
            return listing.run if listing.after is None else None
    return None


def wellbeing_state(journal: Journal, now: datetime | None = None) -> str:
    """``never`` (no WHO-5 yet), ``due`` (the last is a week old or more) or ``""``."""
    if not journal.wellbeing_checks():
        return "never"
    return "due" if journal.wellbeing_due(now) else ""


# -- Recently deleted ---------------------------------------------------------------------
KINDS = ("checkin", "moment", "reflection", "wellbeing", "run")
KEEP_DAYS = 30


def delete(journal: Journal, kind: str, item_id: int) -> None:
    """Move one thing the person made to Recently deleted."""
    journal.delete(kind, item_id)


def trash(journal: Journal) -> list[Any]:
    """What is in Recently deleted, the latest first."""
    return list(journal.trash())


def restore(journal: Journal, kind: str, item_id: int) -> None:
    """Bring one thing back from Recently deleted."""
    bring_back = getattr(journal, "restore_deleted", None)
    if bring_back is not None:
        bring_back(kind, item_id)
    else:
        journal.restore(kind, item_id)  # type: ignore[call-arg]
