"""Check-in pairing: which run a before or after check-in belongs to.

The one place for the 3-hour rule. A before check-in joins the run starting within 3 h after
it; an after check-in the run that ended within 3 h before it (the delay is kept). A loose
check-in joins a run that arrives later (logged or imported): pairing listens on the change path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from innerpace.domain import CheckIn, CheckInKind, Run, utc_now
from innerpace.errors import NotFound, UserError
from innerpace.presentation import format_short_day
from innerpace.services import changes as changed
from innerpace.services.changes import Change, UseCase
from innerpace.words import text


def _clock(moment: datetime) -> str:
    return format_short_day(moment.astimezone())


ATTACH_WINDOW = timedelta(hours=3)
TIME_SLACK = timedelta(minutes=10)  # a watch's start or end and a person's clock differ a little
LOOSE_NEAR = timedelta(hours=12)  # how far from a run a loose check-in is still offered
LOOSE_OFFERED = 3
PAIRED_KINDS = (CheckInKind.BEFORE, CheckInKind.AFTER)


@dataclass(frozen=True, slots=True)
class CheckinContext:
    """What the check-in page needs to know now."""

    wellbeing_due: bool  # a weekly WHO-5 would be welcome
    waiting_for_after: Run | None  # a recent run (ended ≤ 3 h ago) without an after check-in
    before_would_join: Run | None  # the run a before check-in made now would join


class Pairing(UseCase):
    """Ties check-ins to runs, now or when the run arrives."""

    def on_change(self, change: Change) -> None:
        if change.kind in (changed.RUN, changed.IMPORT):
            self.attach_loose_checkins()

    def run_near(self, kind: CheckInKind, when: datetime) -> Run | None:
        """The run a ``kind`` check-in made at ``when`` belongs to, if any."""
        window = ATTACH_WINDOW.total_seconds()
        stamp = when.timestamp()
        if kind is CheckInKind.BEFORE:
            candidates = [
                r
                for r in self.store.runs_overlapping(stamp, stamp + window)
                if 0 <= (r.start - when).total_seconds() <= window
            ]
            return min(candidates, key=lambda r: r.start - when, default=None)
        if kind is CheckInKind.AFTER:
            candidates = [
                r
                for r in self.store.runs_overlapping(stamp - window - 86_400, stamp)
                if 0 <= (when - r.end).total_seconds() <= window
            ]
            return min(candidates, key=lambda r: when - r.end, default=None)
        return None

    @staticmethod
    def check_time(kind: CheckInKind, run: Run, when: datetime, now: datetime) -> None:
        """Refuse a time that cannot be when a ``kind`` check-in about ``run`` was felt: later
        than now, a "before" after the run began, an "after" before it ended (10 min slack)."""
        if when > now + TIME_SLACK:
            raise UserError(text("services.feelings.checkin_in_future", when=_clock(when)))
        if kind is CheckInKind.BEFORE and when > run.start + TIME_SLACK:
            raise UserError(
                text(
                    "services.feelings.before_after_start",
                    run=run.id,
                    start=_clock(run.start),
                    when=_clock(when),
                )
            )
        if kind is CheckInKind.AFTER and when < run.end - TIME_SLACK:
            raise UserError(
                text(
                    "services.feelings.after_before_end",
                    run=run.id,
                    end=_clock(run.end),
                    when=_clock(when),
                )
            )

    @staticmethod
    def recalled_time(kind: CheckInKind, run: Run, now: datetime) -> datetime | None:
        """When a check-in asked for from a run's page is most likely about, if not now: the
        run's start for a "before" once the run has begun, its end for an "after" more than
        3 h later. None when now is the natural time."""
        if kind is CheckInKind.BEFORE and now > run.start + TIME_SLACK:
            return run.start
        if kind is CheckInKind.AFTER and now - run.end > ATTACH_WINDOW:
            return run.end
        return None

    @staticmethod
    def delay(kind: CheckInKind, run: Run | None, when: datetime) -> float | None:
        """How long after the run's end an after check-in came (None for anything else)."""
        if run is None or kind is not CheckInKind.AFTER:
            return None
        return max(0.0, (when - run.end).total_seconds())

    def attach_loose_checkins(self) -> list[int]:
        """Tie loose before/after check-ins to runs that have since arrived and lack one of
        that kind. Returns the ids of the check-ins tied."""
        attached: list[int] = []
        with self.store.transaction():
            for checkin in self.store.orphan_checkins():
                run = self.run_near(checkin.kind, checkin.at)
                if run is None or run.id is None or self._has_kind(run.id, checkin.kind):
                    continue
                delay = self.delay(checkin.kind, run, checkin.at)
                self.store.link_checkin(checkin.id or 0, run.id, delay)
                attached.append(checkin.id or 0)
        if attached:
            self._changes.announce(changed.CHECKIN, attached)
        return attached

    def _has_kind(self, run_id: int, kind: CheckInKind) -> bool:
        return any(c.kind is kind for c in self.store.checkins_for_runs([run_id])[run_id])

    def run_waiting_for_after(self, now: datetime | None = None) -> Run | None:
        """The most recent run that ended at most 3 h before ``now`` and has no after check-in."""
        when = now or utc_now()
        stamp = when.timestamp()
        window = ATTACH_WINDOW.total_seconds()
        recent = [
            r
            for r in self.store.runs_overlapping(stamp - window - 86_400, stamp)
            if r.id is not None and 0 <= (when - r.end).total_seconds() <= window
        ]
        for run in sorted(recent, key=lambda r: r.end, reverse=True):
            if not self._has_kind(run.id or 0, CheckInKind.AFTER):
                return run
        return None

    def loose_checkins_near(self, run: Run, kind: CheckInKind) -> list[CheckIn]:
        """Check-ins of ``kind`` on no run, made within 12 hours of ``run``'s start (before) or
        end (after), the closest first: offered beside the run to attach by hand when the
        3-hour rule did not pair them."""
        anchor = run.start if kind is CheckInKind.BEFORE else run.end
        near = [
            c
            for c in self.store.orphan_checkins()
            if c.kind is kind and abs(c.at - anchor) <= LOOSE_NEAR
        ]
        return sorted(near, key=lambda c: abs(c.at - anchor))[:LOOSE_OFFERED]

    def attach(self, checkin_id: int, run_id: int) -> CheckIn:
        """Tie a before or after check-in to a run the person chose."""
        checkin = self.store.get_checkin(checkin_id)
        if checkin is None:
            raise NotFound(text("services.feelings.no_checkin", checkin=checkin_id))
        run = self.store.get_run(run_id)
        if run is None:
            raise NotFound(text("services.journal.no_run", run=run_id))
        if checkin.kind not in PAIRED_KINDS:
            raise UserError(text("services.feelings.attach_kind", kind=checkin.kind.value))
        updated = replace(checkin, run_id=run_id, delay_s=self.delay(checkin.kind, run, checkin.at))
        self.store.update_checkin(updated)
        self._changes.announce(changed.CHECKIN, (checkin_id,))
        return updated
