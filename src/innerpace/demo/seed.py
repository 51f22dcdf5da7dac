"""Writing the demo year into a :class:`~innerpace.store.Store`, in one transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from innerpace.demo.journal import DemoJournal, generate
from innerpace.store import Store


def write_journal(store: Store, journal: DemoJournal) -> dict[str, int]:
    """Store every object of ``journal``, mapping run indexes to the new ids; return counts."""
    with store.transaction():
        ids = [store.add_run(run) for run in journal.runs]
        checkins = [
            store.add_checkin(replace(c.item, run_id=ids[c.run_index])) for c in journal.checkins
        ]
        rest = [store.add_checkin(c) for c in journal.rest_checkins]
        moments = [
            store.add_moment(replace(m.item, run_id=ids[m.run_index])) for m in journal.moments
        ]
        reflections = [
            store.add_reflection(replace(r.item, run_id=ids[r.run_index]))
            for r in journal.run_reflections
        ]
        reflections += [store.add_reflection(r) for r in journal.day_reflections]
        wellbeing = [store.add_wellbeing(w) for w in journal.wellbeing]
    return {
        "runs": len(ids),
        "checkins": len(checkins) + len(rest),
        "moments": len(moments),
        "reflections": len(reflections),
        "wellbeing": len(wellbeing),
    }


def seed_store(
    store: Store, seed: int = 7, *, end: date | None = None, runs: int = 150
) -> dict[str, int]:
    """Fill ``store`` with the demo year for ``seed`` (see :func:`~innerpace.demo.generate`)."""
    return write_journal(store, generate(seed, end=end, runs=runs))
