"""Before and after check-ins that joined no run, offered beside a run so the person can attach
one by hand (``Journal.attach_checkin``) when the 3-hour rule did not pair it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from innerpace.domain import CheckIn, CheckInKind, Run

if TYPE_CHECKING:
    from innerpace.services.journal import Journal

NEAR = timedelta(hours=12)
OFFERED = 3


def loose_checkins_near(journal: Journal, run: Run, kind: CheckInKind) -> list[CheckIn]:
    """Check-ins of ``kind`` on no run, made within 12 hours of ``run``, the closest first."""
    anchor = run.start if kind is CheckInKind.BEFORE else run.end
    near = [
        c for c in journal.store.orphan_checkins() if c.kind is kind and abs(c.at - anchor) <= NEAR
    ]
    return sorted(near, key=lambda c: abs(c.at - anchor))[:OFFERED]
