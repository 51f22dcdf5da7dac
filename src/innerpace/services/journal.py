"""The journal: opening it, reading runs, logging a run by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

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
    WellbeingCheck,
    utc_now,
)
from innerpace.domain.activity import ON_FOOT
from innerpace.domain.times import iso_utc, offset_minutes
from innerpace.errors import NotFound, UserError
from innerpace.paths import default_data_dir, default_demo_dir
from innerpace.services import changes as changed
from innerpace.services.changes import Changes, StoreHolder
from innerpace.services.feelings import FeelingUseCases
from innerpace.services.guide import GuideUseCases
from innerpace.services.imports import ImportUseCases, KeptItem, UndoSummary
from innerpace.services.insight_cases import InsightUseCases
from innerpace.services.pairing import CheckinContext, Pairing
from innerpace.services.safety import Locked, SafetyUseCases
from innerpace.services.settings import SettingsUseCases
from innerpace.services.trash import TrashItem, TrashUseCases
from innerpace.store import Batch, Draft, JournalLocked, Store, WrongPassphrase
from innerpace.words import text

if TYPE_CHECKING:
    from innerpace.guide import RenderResult, Session
    from innerpace.importer.report import FileResult, ImportReport
    from innerpace.insights.wellbeing import SupportCard
    from innerpace.prompts import Prompt
    from innerpace.store.backups import BackupFile

__all__ = [
    "ON_FOOT",
    "CheckinContext",
    "Journal",
    "JournalLocked",
    "KeptItem",
    "RunDetail",
    "RunListing",
    "TrashItem",
    "UndoSummary",
    "WrongPassphrase",
]

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


class Journal:
    """One person's journal, opened from a data folder.

    A thin front over small use-case objects, each given what it needs: the open store (held
    in one place, so locking can reopen it), the change path, and its collaborators. Every
    write announces what changed on :attr:`changes` once it has committed; what must follow a
    change (pairing check-ins, re-joining kept rows, dropping caches) listens there.
    """

    def __init__(self, store: Store, *, demo: bool = False) -> None:
        self._holder = StoreHolder(store)
        self.demo = demo
        self.changes = Changes(self._holder)
        holder, changes = self._holder, self.changes
        self._pairing = Pairing(holder, changes)
        self._safety = SafetyUseCases(holder, changes)
        self._feelings = FeelingUseCases(holder, changes, self._pairing)
        self._imports = ImportUseCases(holder, changes, self._restore_or_back_up)
        self._insights = InsightUseCases(holder, changes)
        self._guide = GuideUseCases(holder, changes)
        self._settings = SettingsUseCases(holder, changes)
        self._trash = TrashUseCases(holder, changes)
        # Order matters: what a person kept joins a run before loose check-ins look for one.
        changes.subscribe(self._imports.on_change)
        changes.subscribe(self._pairing.on_change)

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
        journal._trash.empty_expired()
        return journal

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self) -> Store:
        """The open store (for tests and tools; the front ends use the methods below)."""
        return self._holder.store

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
        self.demo = True
        self.changes.announce(changed.JOURNAL)
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

    def run_detail(self, run_id: int, *, with_series: bool = True) -> RunDetail:
        """A run with everything around it; ``with_series=False`` leaves its samples unread
        (a quick look, as the daily commands need)."""
        run = self.store.get_run(run_id)
        if run is None:
            raise NotFound(text("services.journal.no_run", run=run_id))
        checkins = self.store.checkins_for_runs([run_id]).get(run_id, [])
        return RunDetail(
            listing=RunListing(run, *_pair(checkins)),
            checkins=tuple(checkins),
            moments=tuple(self.store.moments_for_run(run_id)),
            reflections=tuple(self.store.reflections_for_run(run_id)),
            series=self.store.get_series(run_id) if with_series else None,
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

    # -- runs logged by hand -----------------------------------------------------------------
    def log_run(
        self,
        *,
        at: datetime | None = None,
        minutes: float,
        km: float | None = None,
        setting: Setting = Setting.UNKNOWN,
        company: Company = Company.UNKNOWN,
        sport: Sport = Sport.RUNNING,
        name: str | None = None,
        ended: datetime | None = None,
    ) -> Run:
        """Record a run by hand (a treadmill run, a run without a watch).

        ``at`` is when it started; ``ended`` when it ended; with neither, it ended now. The
        before check-in made earlier joins it, and the after check-in made next will too.
        """
        if not 0 < minutes <= 24 * 60:
            raise UserError(text("services.journal.minutes_out_of_range", minutes=f"{minutes:g}"))
        if km is not None and not 0 <= km <= 1000:
            raise UserError(text("services.journal.km_out_of_range", km=f"{km:g}"))
        if at is not None and ended is not None:
            raise UserError(text("services.journal.start_or_end"))
        start = at if at is not None else (ended or utc_now()) - timedelta(minutes=minutes)
        run = Run(
            start=start,
            utc_offset_min=offset_minutes(ended or at or start),
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
        self.changes.announce(changed.RUN, (run_id,))
        return run.with_id(run_id)

    def edit_run(
        self,
        run_id: int,
        *,
        name: str | None = None,
        setting: Setting | str | None = None,
        company: Company | str | None = None,
    ) -> Run:
        """Change a run's title (an empty one clears it), setting or company. They become the
        person's own: an import never overwrites them, and they outlive an undo."""
        run = self.store.get_run(run_id)
        if run is None:
            raise NotFound(text("services.journal.no_run", run=run_id))
        edited = set(self.store.run_edited_fields(run_id))
        title = run.name
        if name is not None:
            title = " ".join(name.split()) or None
            if title is not None and len(title) > 200:
                raise UserError(text("services.journal.title_too_long", limit=200))
            edited.add("name")
        place, people = run.setting, run.company
        try:
            if setting is not None:
                place = Setting(setting)
                edited.add("setting")
            if company is not None:
                people = Company(company)
                edited.add("company")
        except ValueError:
            raise UserError(
                text("services.journal.unknown_detail", value=str(setting or company))
            ) from None
        self.store.update_run_details(
            run_id, name=title, setting=place.value, company=people.value, edited=tuple(edited)
        )
        self.changes.announce(changed.RUN, (run_id,))
        return replace(run, name=title, setting=place, company=people)

    # -- check-ins and pairing ---------------------------------------------------------------
    def check_in(
        self,
        kind: str,
        *,
        feeling: float,
        arousal: float | None = None,
        at: datetime | None = None,
        run_id: int | None = None,
        note: str | None = None,
        tags: list[str] | tuple[str, ...] = (),
    ) -> CheckIn:
        """Record how you feel (before, after or rest); ``CheckIn.run_id`` says which run it
        joined (a loose one joins the run that arrives within 3 h)."""
        return self._feelings.check_in(
            kind, feeling=feeling, arousal=arousal, at=at, run_id=run_id, note=note, tags=tags
        )

    def checkin(self, checkin_id: int) -> CheckIn:
        return self._feelings.checkin(checkin_id)

    def edit_checkin(
        self,
        checkin_id: int,
        *,
        feeling: float | None = None,
        arousal: float | None = None,
        note: str | None = None,
        run_id: int | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
    ) -> CheckIn:
        return self._feelings.edit_checkin(
            checkin_id, feeling=feeling, arousal=arousal, note=note, run_id=run_id, tags=tags
        )

    def edit_day_mood(
        self,
        checkin_id: int,
        *,
        mood: str | float | None = None,
        note: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
    ) -> CheckIn:
        """Change a day mood's level (number or word, on the scale it was answered on), note
        or tags; its day and the import that brought it stay."""
        return self._feelings.edit_day_mood(checkin_id, mood=mood, note=note, tags=tags)

    def day_mood(self, checkin_id: int) -> CheckIn:
        """One day mood by id; a check-in of another kind is not found."""
        return self._feelings.day_mood(checkin_id)

    def run_waiting_for_after(self, now: datetime | None = None) -> Run | None:
        """The most recent run (ended ≤ 3 h ago) without an after check-in, or None."""
        return self._pairing.run_waiting_for_after(now)

    def recalled_time(
        self, kind: CheckInKind, run: Run, now: datetime | None = None
    ) -> datetime | None:
        """When a check-in asked for from ``run``'s page is most likely about, if not now."""
        return self._pairing.recalled_time(kind, run, now or utc_now())

    def loose_checkins_near(self, run: Run, kind: CheckInKind) -> list[CheckIn]:
        """Before or after check-ins on no run, near ``run``, to attach by hand."""
        return self._pairing.loose_checkins_near(run, kind)

    def attach_checkin(self, checkin_id: int, run_id: int) -> CheckIn:
        """Tie a before or after check-in to the run the person chose."""
        return self._pairing.attach(checkin_id, run_id)

    def checkin_context(self, now: datetime | None = None) -> CheckinContext:
        """What Today needs: a WHO-5 due, a run waiting for its after check-in, the run a
        before check-in made now would join."""
        when = now or utc_now()
        return CheckinContext(
            wellbeing_due=self._feelings.wellbeing_due(when),
            waiting_for_after=self._pairing.run_waiting_for_after(when),
            before_would_join=self._pairing.run_near(CheckInKind.BEFORE, when),
        )

    def prompt_for(self, checkin: CheckIn) -> Prompt:
        return self._feelings.prompt_for(checkin)

    # -- moments -----------------------------------------------------------------------------
    def add_moment(
        self,
        run_id: int,
        at: str,
        *,
        tags: list[str] | tuple[str, ...] = (),
        note: str | None = None,
    ) -> Moment:
        return self._feelings.add_moment(run_id, at, tags=tags, note=note)

    def moment(self, moment_id: int) -> Moment:
        return self._feelings.moment(moment_id)

    def confirm_moment(
        self, moment_id: int, *, tags: list[str] | tuple[str, ...] = (), note: str | None = None
    ) -> Moment:
        return self._feelings.confirm_moment(moment_id, tags=tags, note=note)

    def dismiss_moment(self, moment_id: int) -> Moment:
        return self._feelings.dismiss_moment(moment_id)

    def edit_moment(
        self,
        moment_id: int,
        *,
        at: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
        note: str | None = None,
    ) -> Moment:
        return self._feelings.edit_moment(moment_id, at=at, tags=tags, note=note)

    # -- reflections and drafts --------------------------------------------------------------
    def reflect(
        self,
        text: str,
        *,
        run_id: int | None = None,
        day: date | None = None,
        prompt_id: str | None = None,
        private: bool = False,
        draft_key: str | None = None,
    ) -> Reflection:
        return self._feelings.reflect(
            text, run_id=run_id, day=day, prompt_id=prompt_id, private=private, draft_key=draft_key
        )

    def reflection(self, reflection_id: int) -> Reflection:
        found = self.store.get_reflection(reflection_id)
        if found is None:
            raise NotFound(text("services.feelings.no_reflection", reflection=reflection_id))
        return found

    def edit_reflection(
        self,
        reflection_id: int,
        *,
        text: str | None = None,
        private: bool | None = None,
        draft_key: str | None = None,
    ) -> Reflection:
        return self._feelings.edit_reflection(
            reflection_id, text=text, private=private, draft_key=draft_key
        )

    def reflections(self, *, newest_first: bool = True) -> list[Reflection]:
        return self._feelings.reflections(newest_first=newest_first)

    def day_moods(self) -> list[CheckIn]:
        """Day moods (e.g. a mood diary's entries), newest first."""
        return self.store.list_checkins([CheckInKind.DAY.value])[::-1]

    def search(self, words: str, limit: int = 50) -> list[tuple[Reflection, str]]:
        return self._feelings.search(words, limit)

    def save_draft(
        self, key: str, text: str, *, run_id: int | None = None, prompt_id: str | None = None
    ) -> None:
        self._feelings.save_draft(key, text, run_id=run_id, prompt_id=prompt_id)
        self.changes.announce(changed.DRAFT)

    def saved_draft(self, key: str) -> Draft | None:
        """The draft typed under ``key`` (text, run, prompt, when), if any."""
        return self._feelings.saved_draft(key)

    def saved_drafts(self) -> list[Draft]:
        return self._feelings.saved_drafts()

    def discard_draft(self, key: str) -> None:
        self._feelings.discard_draft(key)
        self.changes.announce(changed.DRAFT)

    # -- well-being --------------------------------------------------------------------------
    def record_wellbeing(
        self, answers: list[float], *, at: datetime | None = None
    ) -> WellbeingCheck:
        return self._feelings.record_wellbeing(answers, at=at)

    def edit_wellbeing(self, wellbeing_id: int, *, answers: list[float]) -> WellbeingCheck:
        return self._feelings.edit_wellbeing(wellbeing_id, answers=answers)

    def wellbeing_checks(self) -> list[WellbeingCheck]:
        return self._feelings.wellbeing_checks()

    def wellbeing_card(self) -> SupportCard:
        return self._feelings.wellbeing_card()

    def wellbeing_due(self, now: datetime | None = None) -> bool:
        return self._feelings.wellbeing_due(now)

    # -- the trash ---------------------------------------------------------------------------
    def delete(self, kind: str, item_id: int) -> TrashItem:
        """Move a check-in, moment, reflection, well-being answer or a run logged by hand to
        *Recently deleted* (kept 30 days, restorable)."""
        return self._trash.delete(kind, item_id)

    @overload
    def restore(self, kind: str, item_id: int) -> None: ...
    @overload
    def restore(self, kind: Path, item_id: None = None) -> Path: ...
    def restore(self, kind: str | Path, item_id: int | None = None) -> Path | None:
        """``restore(kind, id)`` brings something back from the trash, as it was;
        ``restore(path)`` is :meth:`restore_backup`."""
        if item_id is None:
            return self.restore_backup(Path(kind))
        self._trash.restore(str(kind), item_id)
        return None

    def restore_backup(
        self,
        source: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        key_file: Path | None = None,
    ) -> Path:
        """Replace the journal with the backup ``source`` (checked first); returns the safety
        backup of the journal as it was. A backup made under an earlier key needs the
        passphrase or recovery key of its time (and its key file, when it is not beside it)."""
        seen = self.changes.version
        kept = self._safety.restore(
            source, passphrase=passphrase, recovery_key=recovery_key, key_file=key_file
        )
        self._journal_replaced(seen)
        return kept

    def backup_made_under_other_key(self, source: Path) -> bool:
        """True when restoring ``source`` needs the passphrase or recovery key it was made
        with (it is encrypted, and not with this journal's key)."""
        return self._safety.made_under_other_key(source)

    def trash(self) -> list[TrashItem]:
        """What is in *Recently deleted*, most recent first."""
        return self._trash.trash()

    # -- imports -----------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        dry_run: bool = False,
        progress: Callable[[FileResult], None] | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        return self._imports.import_paths(
            paths, dry_run=dry_run, progress=progress, workers=workers
        )

    def imports(self) -> list[Batch]:
        return self._imports.imports()

    def daylio_levels(self) -> dict[str, int]:
        return self._imports.daylio_levels()

    def daylio_moods_to_place(self, paths: Iterable[Path]) -> list[str]:
        return self._imports.daylio_moods_to_place(paths)

    def place_daylio_moods(self, levels: dict[str, int]) -> None:
        self._imports.place_daylio_moods(levels)

    def undo_import(self, batch_id: int) -> UndoSummary:
        return self._imports.undo_import(batch_id)

    def undo_preview(self, batch_id: int) -> UndoSummary:
        return self._imports.undo_preview(batch_id)

    def kept_without_run(self) -> list[KeptItem]:
        return self._imports.kept_without_run()

    def _restore_or_back_up(self, paths: list[Path], dry_run: bool) -> ImportReport | None:
        return self._safety.before_import(paths, dry_run=dry_run)

    # -- insight -----------------------------------------------------------------------------
    def insights(self, today: date | None = None) -> Any:
        return self._insights.insights(today)

    def insight_page(self, today: date | None = None) -> Any:
        return self._insights.insight_page(today)

    def remember_hunches(self) -> None:
        self._insights.remember_hunches()

    # -- guided runs -------------------------------------------------------------------------
    def guide_sessions(self) -> list[Session]:
        return self._guide.guide_sessions()

    def recent_cadence(self, runs: int = 20) -> float | None:
        return self._guide.recent_cadence(runs)

    def render_guide(
        self, session_id: str, out: Path, *, cadence: float, minutes: float | None = None
    ) -> RenderResult:
        return self._guide.render_guide(session_id, out, cadence=cadence, minutes=minutes)

    # -- settings ----------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return self._settings.settings()

    def setting(self, key: str) -> str:
        return self._settings.setting(key)

    def change_setting(self, key: str, value: str) -> None:
        self._settings.change_setting(key, value)
        self.changes.announce(changed.SETTING)

    @property
    def quiet_numbers(self) -> bool:
        return self._settings.quiet_numbers

    # -- keeping it private and whole --------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return self._safety.encrypted

    def lock(self, passphrase: str, show: Callable[[Locked], object] | None = None) -> Locked:
        seen = self.changes.version
        locked = self._safety.lock(passphrase, show)
        self._journal_replaced(seen)
        return locked

    def unlock(self) -> None:
        seen = self.changes.version
        self._safety.unlock()
        self._journal_replaced(seen)

    def _journal_replaced(self, seen: int) -> None:
        self.store.move_version_past(seen)
        self.changes.announce(changed.JOURNAL)

    def change_passphrase(self, new_passphrase: str) -> Path:
        return self._safety.change_passphrase(new_passphrase)

    def backup(self, to: Path | None = None) -> Path:
        return self._safety.backup(to)

    def backups(self) -> list[BackupFile]:
        return self._safety.backups()

    def backup_if_due(self) -> list[Path]:
        return self._safety.backup_if_due()

    def export(self, out: Path, *, with_coordinates: bool = False) -> Path:
        return self._safety.export(out, with_coordinates=with_coordinates)

    def forget_coordinates(self, *, originals: bool = False) -> int:
        changed_series = self._safety.forget_coordinates(originals=originals)
        self.changes.announce(changed.RUN)
        return changed_series
