"""The journal: opening it, reading runs, logging a run by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from innerpace import __version__
from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Company,
    Moment,
    MomentStatus,
    Reflection,
    Run,
    Series,
    Setting,
    Sport,
)
from innerpace.domain.activity import ON_FOOT
from innerpace.domain.times import iso_utc, offset_minutes
from innerpace.errors import NotFound, UserError
from innerpace.paths import default_data_dir, default_demo_dir
from innerpace.services.feelings import FeelingUseCases
from innerpace.services.guide import GuideUseCases
from innerpace.services.imports import ImportUseCases
from innerpace.services.insight_cases import InsightUseCases
from innerpace.services.safety import SafetyUseCases
from innerpace.services.settings import SettingsUseCases
from innerpace.store import JournalLocked, Store, WrongPassphrase
from innerpace.words import text

__all__ = ["ON_FOOT", "Journal", "JournalLocked", "RunDetail", "RunListing", "WrongPassphrase"]

FEELING = ("fs", "feeling")
AROUSAL = ("fas", "arousal")


def _value(checkin: CheckIn | None, instrument: tuple[str, str]) -> float | None:
    if checkin is None:
        return None
    response = checkin.response(instrument[0])
    return None if response is None else response.value(instrument[1])


@dataclass(frozen=True, slots=True)
class RunListing:
    """A run with the feelings around it, as lists and the home page show it."""

    run: Run
    before: CheckIn | None
    after: CheckIn | None

    @property
    def pre_feeling(self) -> float | None:
        return _value(self.before, FEELING)

    @property
    def post_feeling(self) -> float | None:
        return _value(self.after, FEELING)

    @property
    def pre_arousal(self) -> float | None:
        return _value(self.before, AROUSAL)

    @property
    def post_arousal(self) -> float | None:
        return _value(self.after, AROUSAL)

    def as_json(self) -> dict[str, object]:
        run = self.run
        return {
            "id": run.id,
            "start": iso_utc(run.start),
            "utc_offset_min": run.utc_offset_min,
            "duration_s": round(run.duration_s, 1),
            "distance_m": None if run.distance_m is None else round(run.distance_m, 1),
            "sport": run.sport.value,
            "setting": run.setting.value,
            "company": run.company.value,
            "name": run.name,
            "pre_feeling": self.pre_feeling,
            "post_feeling": self.post_feeling,
        }


@dataclass(frozen=True, slots=True)
class RunDetail:
    listing: RunListing
    checkins: tuple[CheckIn, ...]
    moments: tuple[Moment, ...]
    reflections: tuple[Reflection, ...]
    series: Series | None

    @property
    def run(self) -> Run:
        return self.listing.run

    @property
    def suggested_moments(self) -> tuple[Moment, ...]:
        return tuple(m for m in self.moments if m.status is MomentStatus.SUGGESTED)


def _pair(checkins: list[CheckIn]) -> tuple[CheckIn | None, CheckIn | None]:
    before = next((c for c in checkins if c.kind is CheckInKind.BEFORE), None)
    after = next((c for c in reversed(checkins) if c.kind is CheckInKind.AFTER), None)
    return before, after


class Journal(
    FeelingUseCases,
    ImportUseCases,
    GuideUseCases,
    SettingsUseCases,
    SafetyUseCases,
    InsightUseCases,
):
    """One person's journal, opened from a data folder."""

    def __init__(self, store: Store, *, demo: bool = False) -> None:
        self.store = store
        self.demo = demo

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        *,
        demo: bool = False,
        passphrase: str | None = None,
        recovery_key: str | None = None,
    ) -> Journal:
        """Open the journal in ``data_dir`` (default: ``INNERPACE_HOME`` or the user data folder).

        With ``demo``, the folder defaults to the demo journal's own and is seeded on first use.
        An encrypted journal needs ``passphrase`` or ``recovery_key`` (else :class:`JournalLocked`).
        """
        folder = data_dir or (default_demo_dir() if demo else default_data_dir())
        store = Store.open(folder, passphrase=passphrase, recovery_key=recovery_key)
        journal = cls(store, demo=demo or store.get_setting("demo") == "1")
        if demo and journal.is_empty():
            journal.seed_demo()
        journal.backup_if_due()
        return journal

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def is_empty(self) -> bool:
        return all(n == 0 for n in self.store.counts().values())

    def seed_demo(self, seed: int = 7) -> dict[str, int]:
        """Fill an empty journal with the demo year (deterministic for ``seed``)."""
        from innerpace.demo import seed_store

        if not self.is_empty():
            raise UserError(text("services.journal.demo_not_empty", folder=self.data_dir))
        counts = seed_store(self.store, seed=seed)
        self.store.set_setting("demo", "1")
        self.after_new_data()
        self.demo = True
        return counts

    # -- reading -----------------------------------------------------------------------------
    def runs(
        self,
        *,
        sports: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[RunListing]:
        """Runs newest first with their before/after check-ins; ``sports=None``: every sport."""
        runs = self.store.list_runs(sports=sports, limit=limit, offset=offset)
        checkins = self.store.checkins_for_runs([r.id for r in runs if r.id is not None])
        return [RunListing(r, *_pair(checkins.get(r.id or 0, []))) for r in runs]

    def run_detail(self, run_id: int) -> RunDetail:
        run = self.store.get_run(run_id)
        if run is None:
            raise NotFound(text("services.journal.no_run", run=run_id))
        checkins = self.store.checkins_for_runs([run_id]).get(run_id, [])
        return RunDetail(
            listing=RunListing(run, *_pair(checkins)),
            checkins=tuple(checkins),
            moments=tuple(self.store.moments_for_run(run_id)),
            reflections=tuple(self.store.reflections_for_run(run_id)),
            series=self.store.get_series(run_id),
        )

    def info(self) -> dict[str, object]:
        counts = self.store.counts()
        return {
            "version": __version__,
            "data_dir": str(self.data_dir),
            "journal": str(self.store.path),
            "schema_version": self.store.schema_version(),
            "demo": self.demo,
            "counts": counts,
        }

    # -- writing -----------------------------------------------------------------------------
    def log_run(
        self,
        *,
        at: datetime,
        minutes: float,
        km: float | None = None,
        setting: Setting = Setting.UNKNOWN,
        company: Company = Company.UNKNOWN,
        sport: Sport = Sport.RUNNING,
        name: str | None = None,
    ) -> Run:
        """Record a run by hand (a treadmill run, a run without a watch)."""
        if not 0 < minutes <= 24 * 60:
            raise UserError(text("services.journal.minutes_out_of_range", minutes=f"{minutes:g}"))
        if km is not None and not 0 <= km <= 1000:
            raise UserError(text("services.journal.km_out_of_range", km=f"{km:g}"))
        run = Run(
            start=at,
            utc_offset_min=offset_minutes(at),
            duration_s=minutes * 60.0,
            moving_s=minutes * 60.0,
            distance_m=None if km is None else km * 1000.0,
            sport=sport,
            setting=setting,
            company=company,
            name=name,
            source="manual",
        )
        if run.end > datetime.now(run.start.tzinfo) + timedelta(days=1):
            raise UserError(text("services.journal.ends_too_late"))
        run_id = self.store.add_run(run)
        self.runs_arrived()
        return run.with_id(run_id)
