"""What a paired phone may send, and the receipt rules that make sending twice harmless.

Each entry carries the id the phone gave it (``client_id``) and the time it was made
(``made_at``). The entry and its receipt are written in one transaction: when the phone sends
again (its answer was lost, the server was killed), the receipt is found and nothing new is
written; when the server died before the commit, neither exists and the next send writes both.

A moment marked "now" on the phone waits in ``phone_moments`` until a run holding its time
arrives, then joins that run as an ordinary moment (:func:`join_waiting_moments`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from innerpace import words as wording
from innerpace.domain import Moment, utc_now
from innerpace.domain.times import parse_instant
from innerpace.errors import UserError
from innerpace.services import Journal

KINDS = ("checkin", "moment", "reflection", "wellbeing")
CHECKIN_WHEN = ("before", "after", "rest")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
FUTURE_SLACK = timedelta(minutes=10)
MOMENT_GRACE = timedelta(minutes=10)
MAX_TAGS = 8
MAX_PHONE_REFLECTION = 20_000


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one entry: its kind, the journal id, whether it had arrived before."""

    client_id: str
    kind: str
    entry_id: int | None
    again: bool = False
    run_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "kind": self.kind,
            "id": self.entry_id,
            "again": self.again,
            "run_id": self.run_id,
            **self.extra,
        }


def _refuse(key: str, **fields: object) -> UserError:
    return UserError(wording.text(f"phone.{key}", **fields))


def _made_at(entry: dict[str, Any], now: datetime) -> datetime:
    raw = entry.get("made_at")
    if not isinstance(raw, str):
        raise _refuse("no_time")
    try:
        when = parse_instant(raw)
    except ValueError:
        raise _refuse("bad_time") from None
    if when - now > FUTURE_SLACK:
        raise _refuse("future_time")
    return when


def _number(value: Any, what: str, *, required: bool) -> float | None:
    if value is None or value == "":
        if required:
            raise _refuse("missing", what=what)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _refuse("not_a_number", what=what)
    try:
        return float(value)
    except ValueError:
        raise _refuse("not_a_number", what=what) from None


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse("not_text", what=what)
    return value


def _run_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _refuse("not_a_number", what="run")
    try:
        return int(value)
    except ValueError:
        raise _refuse("not_a_number", what="run") from None


def check_entry(entry: Any) -> tuple[str, str]:
    """The entry's client id and kind, or a clear refusal."""
    if not isinstance(entry, dict):
        raise _refuse("not_an_entry")
    client_id = entry.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise _refuse("bad_client_id")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise _refuse("unknown_kind", kinds=", ".join(KINDS))
    return client_id, str(kind)


def receive(
    journal: Journal, entry: Any, *, device_id: int | None, now: datetime | None = None
) -> Outcome:
    """Keep one entry from a phone, exactly once. Bad input changes nothing."""
    now = now or utc_now()
    client_id, kind = check_entry(entry)
    records = journal.store.phone
    with journal.store.transaction():
        kept = records.receipt(client_id)
        if kept is not None:
            if kept.kind != kind:
                raise _refuse("id_reused")
            return Outcome(client_id, kind, kept.entry_id, again=True)
        made_at = _made_at(entry, now)
        outcome = _keep(journal, kind, entry, made_at, client_id, now)
        records.add_receipt(client_id, kind, outcome.entry_id or 0, device_id, now)
    if kind == "moment":
        join_waiting_moments(journal)
    return outcome


def _keep(
    journal: Journal,
    kind: str,
    entry: dict[str, Any],
    made_at: datetime,
    client_id: str,
    now: datetime,
) -> Outcome:
    if kind == "checkin":
        when = entry.get("when")
        if when not in CHECKIN_WHEN:
            raise _refuse("checkin_when")
        run_id = _run_id(entry.get("run_id")) if when != "rest" else None
        checkin = journal.check_in(
            str(when),
            feeling=_number(entry.get("feeling"), "feeling", required=True) or 0.0,
            arousal=_number(entry.get("arousal"), "arousal", required=False),
            at=made_at,
            run_id=run_id,
            note=_text(entry.get("note"), "note"),
        )
        return Outcome(client_id, kind, checkin.id, run_id=checkin.run_id)
    if kind == "moment":
        from innerpace.services.feelings import _note, clean_tags

        raw_tags = entry.get("tags") or []
        if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
            raise _refuse("not_text", what="tags")
        tags = clean_tags(raw_tags[:MAX_TAGS])
        note = _note(_text(entry.get("note"), "note"))
        if not tags and not note:
            raise _refuse("moment_empty")
        waiting = journal.store.phone.add_waiting_moment(made_at, tags, note, now)
        return Outcome(client_id, kind, waiting)
    if kind == "reflection":
        text = _text(entry.get("text"), "text") or ""
        if len(text) > MAX_PHONE_REFLECTION:
            raise _refuse("reflection_long", limit=MAX_PHONE_REFLECTION)
        run_id = _run_id(entry.get("run_id"))
        reflection = journal.reflect(text, run_id=run_id, day=None if run_id else made_at.date())
        return Outcome(client_id, kind, reflection.id, run_id=run_id)
    answers = entry.get("answers")
    if not isinstance(answers, list):
        raise _refuse("wellbeing_answers")
    values = [_number(a, "answer", required=True) or 0.0 for a in answers]
    check = journal.record_wellbeing(values, at=made_at)
    level = str(journal.wellbeing_card().level.value)
    return Outcome(client_id, kind, check.id, extra={"support": level})


def join_waiting_moments(journal: Journal) -> int:
    """Moments marked on the phone join the run that holds their time, once it has arrived.

    A moment belongs to a run when it was marked between the run's start and ten minutes after
    its end (the phone may be slower out of the pocket than the watch). Returns how many joined.
    """
    records = journal.store.phone
    waiting = records.waiting_moments()
    if not waiting:
        return 0
    joined = 0
    with journal.store.transaction():
        for item in waiting:
            stamp = item.at.timestamp()
            grace = MOMENT_GRACE.total_seconds()
            runs = [
                r
                for r in journal.store.runs_overlapping(stamp - grace, stamp)
                if r.start <= item.at <= r.end + MOMENT_GRACE and r.id is not None
            ]
            if not runs:
                continue
            run = max(runs, key=lambda r: r.start)
            at_s = min((item.at - run.start).total_seconds(), run.duration_s)
            moment = Moment(run_id=run.id or 0, at_s=at_s, tags=item.tags, note=item.note)
            records.joined(item.id, journal.store.add_moment(moment))
            joined += 1
    return joined


def waiting_count(journal: Journal) -> int:
    return len(journal.store.phone.waiting_moments())
