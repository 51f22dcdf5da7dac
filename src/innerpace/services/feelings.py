"""Use-cases for feelings: check-ins around runs, moments along them, words after, well-being."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from innerpace import words as wording
from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Moment,
    MomentStatus,
    Reflection,
    Response,
    Run,
    WellbeingCheck,
    utc_now,
)
from innerpace.domain.feelings import tag_words
from innerpace.errors import NotFound, UserError
from innerpace.instruments import Instrument, InvalidAnswer, get_instrument
from innerpace.services import changes as changed
from innerpace.services.changes import Changes, StoreHolder, UseCase
from innerpace.services.pairing import Pairing
from innerpace.store import Draft

if TYPE_CHECKING:
    from innerpace.insights.wellbeing import SupportCard
    from innerpace.prompts import Prompt

REST_PAIR_WINDOW = timedelta(hours=4)
MAX_NOTE = 2_000
MAX_REFLECTION = 200_000

_DISTANCE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km|k|m)\s*$", re.IGNORECASE)
_MINUTES = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(min|mins|minutes|')\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$")


def parse_place(text: str) -> tuple[float | None, float | None]:
    """``"7km"``, ``"700m"``, ``"42min"`` or ``"1:05:00"`` → (seconds, metres) into the run."""
    if match := _DISTANCE.match(text):
        value = float(match.group(1).replace(",", "."))
        return None, value * (1.0 if match.group(2).lower() == "m" else 1000.0)
    if match := _MINUTES.match(text):
        return float(match.group(1).replace(",", ".")) * 60.0, None
    if match := _CLOCK.match(text):
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        if minutes >= 60 and hours or seconds >= 60:
            raise UserError(wording.text("services.feelings.place_not_in_run", place=repr(text)))
        return hours * 3600.0 + minutes * 60.0 + seconds, None
    raise UserError(wording.text("services.feelings.place_unclear", place=repr(text)))


def clean_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Lower-case, trimmed, unique tags; the shared vocabulary first, free tags kept."""
    found, too_long = tag_words(tags)
    if too_long:
        tag = too_long[0].lower()
        raise UserError(wording.text("services.feelings.tag_too_long", tag=repr(tag[:20])))
    return found


def _note(text: str | None, what: str = "note") -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise UserError(wording.text("services.feelings.note_too_long", what=what, limit=MAX_NOTE))
    return text or None


def _responses(feeling: float, arousal: float | None) -> tuple[Response, ...]:
    try:
        responses = [get_instrument("fs").response({"feeling": feeling})]
        if arousal is not None:
            responses.append(get_instrument("fas").response({"arousal": arousal}))
    except InvalidAnswer as exc:
        raise UserError(str(exc)) from None
    return tuple(responses)


def _level(mood: str | float, instrument: Instrument) -> float:
    """A level typed as a number (``4``) or as the scale's own word for it (``good``)."""
    if not isinstance(mood, str):
        return float(mood)
    typed = " ".join(mood.split())
    try:
        return float(typed)
    except ValueError:
        pass
    for value, word in instrument.items[0].anchors:
        if word.casefold() == typed.casefold():
            return value
    raise UserError(
        wording.text(
            "services.day_mood.unknown_word",
            mood=typed,
            title=instrument.title,
            levels=_levels(instrument),
        )
    )


def _scale_of(checkin: CheckIn) -> Instrument:
    """The scale a day mood was answered on: the instrument and version its answer names."""
    answered = checkin.responses[0]
    try:
        return get_instrument(answered.instrument_id, answered.instrument_version)
    except InvalidAnswer as exc:
        raise UserError(str(exc)) from None


def _levels(instrument: Instrument) -> str:
    """``1 awful, 2 bad, 3 meh, 4 good, 5 rad``: a single-item scale's levels with its words."""
    return ", ".join(f"{value:g} {word}" for value, word in instrument.items[0].anchors)


def _check_reflection(text: str) -> None:
    if not text.strip():
        raise UserError(wording.text("services.feelings.reflection_empty"))
    if len(text) > MAX_REFLECTION:
        raise UserError(wording.text("services.feelings.reflection_too_long", limit=MAX_REFLECTION))


def _who5_response(answers: list[float]) -> Response:
    who5 = get_instrument("who5")
    if len(answers) != len(who5.items):
        given = len(answers)
        raise UserError(
            wording.text("services.feelings.wellbeing_count", items=len(who5.items), given=given)
        )
    try:
        return who5.response({i.id: v for i, v in zip(who5.items, answers, strict=True)})
    except InvalidAnswer as exc:
        raise UserError(str(exc)) from None


class FeelingUseCases(UseCase):
    """Check-ins, moments, reflections, drafts, search and well-being."""

    def __init__(self, holder: StoreHolder, changes: Changes, pairing: Pairing) -> None:
        super().__init__(holder, changes)
        self._pairing = pairing

    # -- check-ins ---------------------------------------------------------------------------
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
        """Record how you feel: ``kind`` is before, after or rest; ``tags`` are free words,
        cleaned as a moment's.

        A before/after check-in attaches itself to the run starting within 3 h after it
        (before) or ending within 3 h before it (after), now or when that run is imported.
        With ``run_id`` and ``at`` (a feeling remembered for a past run), ``at`` must fit the
        run: before it began, or after it ended.
        """
        now = utc_now()
        when = at or now
        responses = _responses(feeling, arousal)
        if kind == "rest":
            if run_id is not None:
                raise UserError(wording.text("services.feelings.rest_with_run"))
            checkin_kind, run, delay = self._rest_kind(when), None, None
        elif kind in ("before", "after"):
            checkin_kind = CheckInKind(kind)
            run = (
                self._named_run(run_id)
                if run_id is not None
                else self._pairing.run_near(checkin_kind, when)
            )
            if run is not None and at is not None:
                self._pairing.check_time(checkin_kind, run, when, now)
            delay = self._pairing.delay(checkin_kind, run, when)
        else:
            raise UserError(wording.text("services.feelings.unknown_kind", kind=repr(kind)))
        checkin = CheckIn(
            at=when,
            kind=checkin_kind,
            responses=tuple(responses),
            run_id=None if run is None else run.id,
            delay_s=delay,
            note=_note(note),
            tags=clean_tags(tags),
        )
        saved = checkin.with_id(self.store.add_checkin(checkin))
        self._changes.announce(changed.CHECKIN, (saved.id or 0,))
        return saved

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
        """Change a check-in's answers, note (an empty note clears it), tags (an empty list
        clears them) or run. What is not given stays.

        A check-in an import brought is the person's own once they change it, as a kept moment
        is: taking that import back leaves it (on no run, if its run goes)."""
        checkin = self.store.get_checkin(checkin_id)
        if checkin is None:
            raise NotFound(wording.text("services.feelings.no_checkin", checkin=checkin_id))
        if checkin.kind is CheckInKind.DAY and (feeling is not None or arousal is not None):
            scale = _scale_of(checkin)
            raise UserError(
                wording.text(
                    "services.day_mood.not_feeling_scale",
                    id=checkin_id,
                    title=scale.title,
                    levels=_levels(scale),
                )
            )
        responses = list(checkin.responses)
        for instrument, item, value in (("fs", "feeling", feeling), ("fas", "arousal", arousal)):
            if value is None:
                continue
            try:
                fresh = get_instrument(instrument).response({item: value})
            except InvalidAnswer as exc:
                raise UserError(str(exc)) from None
            responses = [r for r in responses if r.instrument_id != instrument] + [fresh]
        run_of = checkin.run_id
        delay = checkin.delay_s
        if run_id is not None:
            if checkin.kind not in (CheckInKind.BEFORE, CheckInKind.AFTER):
                raise UserError(
                    wording.text("services.feelings.attach_kind", kind=checkin.kind.value)
                )
            run = self._named_run(run_id)
            run_of, delay = run_id, self._pairing.delay(checkin.kind, run, checkin.at)
        updated = replace(
            checkin,
            responses=tuple(responses),
            note=_note(note) if note is not None else checkin.note,
            tags=clean_tags(tags) if tags is not None else checkin.tags,
            run_id=run_of,
            delay_s=delay,
            batch_id=None,  # changed by the person: theirs now, an undo of its import leaves it
        )
        self.store.update_checkin(updated)
        self._changes.announce(changed.CHECKIN, (checkin_id,))
        return updated

    def edit_day_mood(
        self,
        checkin_id: int,
        *,
        mood: str | float | None = None,
        note: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
    ) -> CheckIn:
        """Change a day mood's level (a number or the level's word on the scale it was answered
        on), its note (an empty note clears it) or its tags (an empty list clears them). Its day,
        its scale and the import that brought it stay. What is not given stays."""
        checkin = self.day_mood(checkin_id)
        responses = checkin.responses
        if mood is not None:
            instrument = _scale_of(checkin)
            try:
                fresh = instrument.response({instrument.items[0].id: _level(mood, instrument)})
            except InvalidAnswer as exc:
                raise UserError(str(exc)) from None
            responses = (fresh, *checkin.responses[1:])
        updated = replace(
            checkin,
            responses=responses,
            note=_note(note) if note is not None else checkin.note,
            tags=clean_tags(tags) if tags is not None else checkin.tags,
            batch_id=None,  # changed by the person: theirs now, an undo of its import leaves it
        )
        self.store.update_checkin(updated)
        self._changes.announce(changed.CHECKIN, (checkin_id,))
        return updated

    def day_mood(self, checkin_id: int) -> CheckIn:
        """One day mood by id (a check-in of another kind is not one)."""
        checkin = self.store.get_checkin(checkin_id)
        if checkin is None or checkin.kind is not CheckInKind.DAY:
            raise NotFound(wording.text("services.day_mood.no_day_mood", id=checkin_id))
        return checkin

    def checkin(self, checkin_id: int) -> CheckIn:
        """One check-in by id."""
        checkin = self.store.get_checkin(checkin_id)
        if checkin is None:
            raise NotFound(wording.text("services.feelings.no_checkin", checkin=checkin_id))
        return checkin

    def _named_run(self, run_id: int) -> Run:
        run = self.store.get_run(run_id)
        if run is None:
            raise NotFound(wording.text("services.journal.no_run", run=run_id))
        return run

    def _rest_kind(self, when: datetime) -> CheckInKind:
        rests = self.store.list_checkins(kinds=["rest-first", "rest-second"])
        earlier = [c for c in rests if c.at <= when]
        if earlier:
            last = earlier[-1]
            if last.kind is CheckInKind.REST_FIRST and when - last.at <= REST_PAIR_WINDOW:
                return CheckInKind.REST_SECOND
        return CheckInKind.REST_FIRST

    # -- moments -----------------------------------------------------------------------------
    def add_moment(
        self,
        run_id: int,
        at: str,
        *,
        tags: list[str] | tuple[str, ...] = (),
        note: str | None = None,
    ) -> Moment:
        """Mark a moment in a run at a distance (``7km``) or a time (``42min``) into it."""
        at_s, at_m = self._place_in(self._named_run(run_id), at)
        moment = Moment(
            run_id=run_id, at_s=at_s, at_m=at_m, tags=clean_tags(tags), note=_note(note)
        )
        saved = replace(moment, id=self.store.add_moment(moment))
        self._changes.announce(changed.MOMENT, (saved.id or 0,))
        return saved

    @staticmethod
    def _place_in(run: Run, at: str) -> tuple[float | None, float | None]:
        at_s, at_m = parse_place(at)
        run_id = run.id
        if at_s is not None and at_s > run.duration_s + 1:
            minutes = f"{run.duration_s / 60:.0f}"
            raise UserError(
                wording.text(
                    "services.feelings.after_run_end", run=run_id, minutes=minutes, place=at
                )
            )
        if at_m is not None:
            if run.distance_m is None:
                raise UserError(wording.text("services.feelings.no_distance", run=run_id))
            if at_m > run.distance_m + 50:
                km = f"{run.distance_m / 1000:.1f}"
                raise UserError(
                    wording.text("services.feelings.past_run_end", run=run_id, km=km, place=at)
                )
        return at_s, at_m

    def moment(self, moment_id: int) -> Moment:
        """One moment by id."""
        return self._moment(moment_id)

    def reflections(self, *, newest_first: bool = True) -> list[Reflection]:
        found = self.store.list_reflections()
        return list(reversed(found)) if newest_first else found

    def wellbeing_checks(self) -> list[WellbeingCheck]:
        """Every well-being answer, oldest first."""
        return self.store.list_wellbeing()

    def _moment(self, moment_id: int) -> Moment:
        moment = self.store.get_moment(moment_id)
        if moment is None:
            raise NotFound(wording.text("services.feelings.no_moment", moment=moment_id))
        return moment

    def confirm_moment(
        self, moment_id: int, *, tags: list[str] | tuple[str, ...] = (), note: str | None = None
    ) -> Moment:
        """Keep a suggested moment (a lap press), with tags and a note if you like.

        A kept moment is the person's own from then on: taking its import back leaves it.
        """
        moment = self._moment(moment_id)
        updated = replace(
            moment,
            status=MomentStatus.CONFIRMED,
            tags=clean_tags(list(moment.tags) + list(tags)),
            note=_note(note) if note is not None else moment.note,
            batch_id=None,
        )
        self.store.update_moment(updated)
        self._changes.announce(changed.MOMENT, (moment_id,))
        return updated

    def edit_moment(
        self,
        moment_id: int,
        *,
        at: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
        note: str | None = None,
    ) -> Moment:
        """Change where a moment sits (``7km``, ``42min``), its tags (replaced) or its note
        (an empty note clears it). What is not given stays."""
        moment = self._moment(moment_id)
        at_s, at_m = moment.at_s, moment.at_m
        if at is not None:
            if moment.run_id is None:
                raise UserError(wording.text("services.feelings.moment_without_run"))
            at_s, at_m = self._place_in(self._named_run(moment.run_id), at)
        updated = replace(
            moment,
            at_s=at_s,
            at_m=at_m,
            tags=clean_tags(tags) if tags is not None else moment.tags,
            note=_note(note) if note is not None else moment.note,
            status=MomentStatus.CONFIRMED,
            batch_id=None,
        )
        self.store.update_moment(updated)
        self._changes.announce(changed.MOMENT, (moment_id,))
        return updated

    def dismiss_moment(self, moment_id: int) -> Moment:
        """Set a suggested moment aside; it stays recorded but is no longer offered."""
        updated = replace(self._moment(moment_id), status=MomentStatus.DISMISSED)
        self.store.update_moment(updated)
        self._changes.announce(changed.MOMENT, (moment_id,))
        return updated

    # -- reflections -------------------------------------------------------------------------
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
        """Keep words written after a run (or on a day). Empty text keeps nothing."""
        _check_reflection(text)
        if run_id is not None:
            self._named_run(run_id)
        now = utc_now()
        reflection = Reflection(
            text=text,
            created=now,
            run_id=run_id,
            day=day if day is not None or run_id is not None else now.date(),
            prompt_id=prompt_id,
            private=private,
        )
        with self.store.transaction():
            reflection_id = self.store.add_reflection(reflection)
            if draft_key is not None:
                self.store.delete_draft(draft_key)
        self._changes.announce(changed.REFLECTION, (reflection_id,))
        return replace(reflection, id=reflection_id)

    def edit_reflection(
        self,
        reflection_id: int,
        *,
        text: str | None = None,
        private: bool | None = None,
        draft_key: str | None = None,
    ) -> Reflection:
        """Change a reflection's words or whether it is private. What is not given stays."""
        reflection = self.store.get_reflection(reflection_id)
        if reflection is None:
            raise NotFound(
                wording.text("services.feelings.no_reflection", reflection=reflection_id)
            )
        if text is not None:
            _check_reflection(text)
        updated = replace(
            reflection,
            text=text if text is not None else reflection.text,
            private=private if private is not None else reflection.private,
            updated=utc_now(),
            batch_id=None,  # changed by the person: theirs now, an undo of its import leaves it
        )
        with self.store.transaction():
            self.store.update_reflection(updated)
            if draft_key is not None:
                self.store.delete_draft(draft_key)
        self._changes.announce(changed.REFLECTION, (reflection_id,))
        return updated

    def save_draft(
        self, key: str, text: str, *, run_id: int | None = None, prompt_id: str | None = None
    ) -> None:
        """Keep what is being typed, as it is typed: nothing written is ever lost."""
        if len(text) > MAX_REFLECTION:
            raise UserError(wording.text("services.feelings.draft_too_long", limit=MAX_REFLECTION))
        self.store.save_draft(key, text, run_id=run_id, prompt_id=prompt_id)

    def saved_draft(self, key: str) -> Draft | None:
        """The saved draft under ``key``, if any."""
        return self.store.draft(key)

    def saved_drafts(self) -> list[Draft]:
        """Every saved draft, most recently typed first."""
        return self.store.drafts()

    def discard_draft(self, key: str) -> None:
        self.store.delete_draft(key)

    def search(self, words: str, limit: int = 50) -> list[tuple[Reflection, str]]:
        """Reflections matching every word (prefixes too), best first."""
        found = self.store.search_words(words, limit)
        if found is None:
            raise UserError(wording.text("services.feelings.search_empty"))
        return found

    # -- well-being --------------------------------------------------------------------------
    def record_wellbeing(
        self, answers: list[float], *, at: datetime | None = None
    ) -> WellbeingCheck:
        """Keep a WHO-5 answer (five items, 0–5, about the last two weeks)."""
        response = _who5_response(answers)
        check = WellbeingCheck(at=at or utc_now(), response=response)
        saved = replace(check, id=self.store.add_wellbeing(check))
        self._changes.announce(changed.WELLBEING, (saved.id or 0,))
        return saved

    def edit_wellbeing(self, wellbeing_id: int, *, answers: list[float]) -> WellbeingCheck:
        """Replace the five answers of a well-being check (its day stays)."""
        check = self.store.get_wellbeing(wellbeing_id)
        if check is None:
            raise NotFound(wording.text("services.feelings.no_wellbeing", wellbeing=wellbeing_id))
        updated = replace(check, response=_who5_response(answers), batch_id=None)
        self.store.update_wellbeing(updated)
        self._changes.announce(changed.WELLBEING, (wellbeing_id,))
        return updated

    def wellbeing_card(self) -> SupportCard:
        """The support card for the latest WHO-5 answers (level none, calm or prominent)."""
        from innerpace.insights.wellbeing import support_card, who5_scores

        return support_card(who5_scores(self.store.list_wellbeing()))

    def wellbeing_due(self, now: datetime | None = None) -> bool:
        """A weekly WHO-5 is due when the last one is a week old (or there is none)."""
        checks = self.store.list_wellbeing()
        if not checks:
            return True
        return (now or utc_now()) - checks[-1].at >= timedelta(days=7)

    # -- prompts -----------------------------------------------------------------------------
    def prompt_for(self, checkin: CheckIn) -> Prompt:
        """A question that fits this check-in (a hard-day one after a low start, …)."""
        from innerpace.prompts import choose_prompt

        run = self.store.get_run(checkin.run_id) if checkin.run_id else None
        pre = post = None
        if run is not None and run.id is not None:
            for other in self.store.checkins_for_runs([run.id]).get(run.id, []):
                value = other.response("fs")
                if value is not None and other.kind is CheckInKind.BEFORE:
                    pre = value.value("feeling")
                if value is not None and other.kind is CheckInKind.AFTER:
                    post = value.value("feeling")
        own = checkin.response("fs")
        feeling = own.value("feeling") if own else None
        if checkin.kind is CheckInKind.BEFORE:
            pre = feeling
        elif checkin.kind is CheckInKind.AFTER:
            post = feeling
        tags: tuple[str, ...] = ()
        if run is not None and run.id is not None:
            tags = tuple(t for m in self.store.moments_for_run(run.id) for t in m.tags)
        kind = "rest-day" if checkin.kind.value.startswith("rest") else checkin.kind.value
        return choose_prompt(
            kind=kind,
            pre_feeling=pre,
            post_feeling=post,
            duration_s=run.duration_s if run else None,
            moment_tags=tags,
            company=run.company.value if run else None,
            seed=checkin.id,
        )
