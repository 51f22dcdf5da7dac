"""The daily loop's rules as the pages reach them: one adapter over the journal's use-cases.

The rules themselves (the 3-hour window, which run waits for an after check-in, when the weekly
WHO-5 is due) live in ``services``; this module only asks for them, so a page never re-implements
one.
"""

from __future__ import annotations

from datetime import datetime

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
