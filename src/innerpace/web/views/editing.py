"""Change or delete what a person made: check-ins, moments, well-being answers, a run's details;
and Recently deleted, where a deleted thing waits 30 days and comes back in one click.

(Reflections are changed in the editor itself, see ``reflections.py``.)
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import CheckIn, CheckInKind, Company, Setting
from innerpace.errors import NotFound, UserError
from innerpace.instruments import score
from innerpace.presentation import format_day, format_short_day
from innerpace.services import Journal
from innerpace.services.trash import KEPT_FOR
from innerpace.services.trash import KINDS as TRASH_KINDS
from innerpace.web.views.log_run import COMPANIES, MAX_TITLE, SETTINGS, choice
from innerpace.web.views.moments import tags_from
from innerpace.web.views.render import journal_of, render
from innerpace.web.views.today import arousal_choices, feeling_choices


def _id(request: Request, name: str = "item_id") -> int:
    return int(request.path_params[name])


def _back(target: str, fallback: str = "/") -> str:
    """Only a path on this app (never another site) is followed after a change."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in target:
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _with_done(path: str, **query: str) -> str:
    joiner = "&" if "?" in path else "?"
    base, _, anchor = path.partition("#")
    return f"{base}{joiner}{urlencode(query)}" + (f"#{anchor}" if anchor else "")


def _value(checkin: CheckIn, instrument: str, item: str) -> str:
    response = checkin.response(instrument)
    value = response.value(item) if response else None
    return "" if value is None else f"{value:g}"


# -- check-ins ----------------------------------------------------------------------------
def _checkin_context(journal: Journal, checkin: CheckIn, **extra: Any) -> dict[str, Any]:
    run = (
        journal.run_detail(checkin.run_id, with_series=False).run
        if checkin.run_id is not None
        else None
    )
    values: dict[str, Any] = {
        "checkin": checkin,
        "run": run,
        "when": format_short_day(checkin.at.astimezone()),
        "feelings": feeling_choices(),
        "arousals": arousal_choices(),
        "chosen_feeling": _value(checkin, "fs", "feeling"),
        "chosen_arousal": _value(checkin, "fas", "arousal"),
        "note": checkin.note or "",
        "tags": ", ".join(checkin.tags),
        "message": None,
        "back": f"/runs/{run.id}#feel-heading" if run is not None else "/today",
    }
    values.update(extra)
    return values


async def checkin_form(request: Request) -> Response:
    journal = journal_of(request)
    checkin = journal.checkin(_id(request))
    if checkin.kind is CheckInKind.DAY:  # a day mood is changed on its own scale
        return RedirectResponse(f"/day-moods/{checkin.id}/edit", status_code=303)
    return render(request, "checkin_edit.html", _checkin_context(journal, checkin))


async def checkin_save(request: Request) -> Response:
    journal = journal_of(request)
    checkin = journal.checkin(_id(request))
    form = await request.form()
    feeling_raw, arousal_raw = str(form.get("feeling", "")), str(form.get("arousal", ""))
    note = str(form.get("note", ""))
    given_tags = form.get("tags")  # absent: the tags stay; empty: cleared
    tags = ", ".join(checkin.tags) if given_tags is None else str(given_tags)
    try:
        from innerpace.web.views.checkin import _number

        feeling = _number(feeling_raw, "how you feel", required=True)
        arousal = _number(arousal_raw, "how worked-up you feel", required=False)
        journal.edit_checkin(
            checkin.id or 0,
            feeling=feeling,
            arousal=arousal,
            note=note,
            tags=None if given_tags is None else [tags],
        )
    except UserError as exc:
        context = _checkin_context(
            journal,
            checkin,
            chosen_feeling=feeling_raw,
            chosen_arousal=arousal_raw,
            note=note,
            tags=tags,
            message=str(exc),
        )
        return render(request, "checkin_edit.html", context, status=400)
    back = _checkin_context(journal, checkin)["back"]
    return RedirectResponse(_with_done(back, done="saved"), status_code=303)


async def checkin_attach(request: Request) -> Response:
    """``POST /checkins/{id}/attach``: tie a check-in that joined no run to the run chosen."""
    journal = journal_of(request)
    form = await request.form()
    run = str(form.get("run", ""))
    if not run.isdigit():
        raise NotFound(wording.text("web.edit.no_run"))
    journal.attach_checkin(_id(request), int(run))
    return RedirectResponse(f"/runs/{run}?done=attached#feel-heading", status_code=303)


# -- moments ------------------------------------------------------------------------------
def place_typed(at_s: float | None, at_m: float | None) -> str:
    """A moment's place as the form types it (``7.2km``, ``21min``, ``5:30``), read back exactly."""
    if at_s is None:
        return f"{(at_m or 0) / 1000:g}km"
    minutes, seconds = divmod(round(at_s), 60)
    return f"{minutes}min" if not seconds else f"{minutes}:{seconds:02d}"


def _moment_context(journal: Journal, moment_id: int, **extra: Any) -> dict[str, Any]:
    from innerpace.domain.feelings import MOMENT_TAGS

    moment = journal.moment(moment_id)
    if moment.run_id is None:
        raise NotFound(wording.text("web.edit.no_run"))
    run = journal.run_detail(moment.run_id, with_series=False).run
    place = place_typed(moment.at_s, moment.at_m)
    values: dict[str, Any] = {
        "moment": moment,
        "run": run,
        "vocabulary": MOMENT_TAGS,
        "typed_at": place,
        "typed_tags": list(moment.tags),
        "typed_free": ", ".join(t for t in moment.tags if t not in MOMENT_TAGS),
        "typed_note": moment.note or "",
        "message": None,
    }
    values.update(extra)
    return values


async def moment_form(request: Request) -> Response:
    context = _moment_context(journal_of(request), _id(request))
    return render(request, "moment_edit.html", context)


async def moment_save(request: Request) -> Response:
    from innerpace.web.views.moments import checked_place

    journal = journal_of(request)
    moment_id = _id(request)
    moment = journal.moment(moment_id)
    form = await request.form()
    typed_at = str(form.get("at", "")).strip()
    tags = tags_from(form)
    note = str(form.get("note", ""))
    try:
        run = journal.run_detail(moment.run_id or 0, with_series=False).run
        moved = typed_at != place_typed(moment.at_s, moment.at_m)
        if moved:
            checked_place(run, typed_at)
        journal.edit_moment(moment_id, at=typed_at if moved else None, tags=tags, note=note)
    except UserError as exc:
        context = _moment_context(
            journal,
            moment_id,
            typed_at=typed_at,
            typed_tags=tags,
            typed_free=str(form.get("free_tag", "")),
            typed_note=note,
            message=str(exc),
        )
        return render(request, "moment_edit.html", context, status=400)
    return RedirectResponse(f"/runs/{moment.run_id}?done=saved#moments", status_code=303)


# -- well-being answers -------------------------------------------------------------------
def _wellbeing_context(journal: Journal, wellbeing_id: int, **extra: Any) -> dict[str, Any]:
    from innerpace.web.views.wellbeing import questions

    check = next((c for c in journal.wellbeing_checks() if c.id == wellbeing_id), None)
    if check is None:
        raise NotFound(wording.text("web.edit.nothing_to_restore"))
    chosen = {}
    for item in questions()["items"]:
        value = check.response.value(item["id"])
        chosen[item["id"]] = "" if value is None else f"{value:g}"
    values: dict[str, Any] = {
        "check": check,
        "day": format_day(check.at.astimezone()),
        "score": round(float(score(check.response))),
        "questions": questions(),
        "chosen": chosen,
        "message": None,
    }
    values.update(extra)
    return values


async def wellbeing_form(request: Request) -> Response:
    context = _wellbeing_context(journal_of(request), _id(request))
    return render(request, "wellbeing_edit.html", context)


async def wellbeing_save(request: Request) -> Response:
    from innerpace.web.views.wellbeing import read_answers

    journal = journal_of(request)
    wellbeing_id = _id(request)
    _wellbeing_context(journal, wellbeing_id)  # a calm 404 first
    form = await request.form()
    try:
        chosen, answers = read_answers(form)
        journal.edit_wellbeing(wellbeing_id, answers=answers)
    except UserError as exc:
        context = _wellbeing_context(journal, wellbeing_id, message=str(exc))
        context["chosen"] = {k: str(form.get(k, "")) for k in context["chosen"]}
        return render(request, "wellbeing_edit.html", context, status=400)
    return RedirectResponse("/wellbeing?done=saved#history", status_code=303)


# -- a run's details ----------------------------------------------------------------------
def _run_context(journal: Journal, run_id: int, **extra: Any) -> dict[str, Any]:
    run = journal.run_detail(run_id, with_series=False).run
    values: dict[str, Any] = {
        "run": run,
        "typed": {
            "name": run.name or "",
            "setting": "" if run.setting is Setting.UNKNOWN else run.setting.value,
            "company": "" if run.company is Company.UNKNOWN else run.company.value,
        },
        "settings_choices": SETTINGS,
        "company_choices": COMPANIES,
        "message": None,
    }
    values.update(extra)
    return values


async def run_form(request: Request) -> Response:
    context = _run_context(journal_of(request), _id(request, "run_id"))
    return render(request, "run_edit.html", context)


async def run_save(request: Request) -> Response:
    journal = journal_of(request)
    run_id = _id(request, "run_id")
    _run_context(journal, run_id)  # a calm 404 first
    form = await request.form()
    typed = {key: str(form.get(key, "")) for key in ("name", "setting", "company")}
    try:
        name = " ".join(typed["name"].split())
        if len(name) > MAX_TITLE:
            raise UserError(wording.text("web.log_run.title_too_long", limit=MAX_TITLE))
        setting = choice(Setting, typed["setting"], Setting.UNKNOWN)
        company = choice(Company, typed["company"], Company.UNKNOWN)
        journal.edit_run(run_id, name=name, setting=setting, company=company)
    except UserError as exc:
        context = _run_context(journal, run_id, typed=typed, message=str(exc))
        return render(request, "run_edit.html", context, status=400)
    return RedirectResponse(f"/runs/{run_id}?done=saved", status_code=303)


# -- delete, Recently deleted, restore ----------------------------------------------------
async def delete(request: Request) -> Response:
    """``POST /delete/{kind}/{id}``: move it to Recently deleted, then back where you were."""
    kind = request.path_params["kind"]
    if kind not in TRASH_KINDS:
        raise NotFound(wording.text("web.edit.nothing_to_restore"))
    item_id = _id(request)
    form = await request.form()
    try:
        journal_of(request).delete(kind, item_id)
    except NotFound:  # already gone (a second tap): it waits in Recently deleted
        return RedirectResponse("/deleted", status_code=303)
    back = _back(str(form.get("next", "")), "/deleted")
    return RedirectResponse(
        _with_done(back, done="deleted", kind=kind, id=str(item_id)), status_code=303
    )


def _trash_rows(journal: Journal) -> list[dict[str, Any]]:
    rows = []
    now = datetime.now(UTC)
    for item in journal.trash():
        deleted_at = item.deleted_at
        left = item.expires_at - now
        rows.append(
            {
                "kind": item.kind,
                "id": item.id,
                "title": item.title,
                "deleted": format_short_day(deleted_at.astimezone()),
                "days_left": max(0, math.ceil(left / timedelta(days=1))),
            }
        )
    return rows


async def trash_page(request: Request) -> Response:
    journal = journal_of(request)
    return render(
        request,
        "deleted.html",
        {"rows": _trash_rows(journal), "keep_days": KEPT_FOR.days},
    )


async def restore(request: Request) -> Response:
    """``POST /deleted/{kind}/{id}/restore``: bring it back, and go to where it lives."""
    journal = journal_of(request)
    kind = request.path_params["kind"]
    if kind not in TRASH_KINDS:
        raise NotFound(wording.text("web.edit.nothing_to_restore"))
    item_id = _id(request)
    form = await request.form()
    back = _back(str(form.get("next", "")), "/deleted")
    try:
        journal.restore(kind, item_id)
    except NotFound:  # already back (a second tap), or kept no longer
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(_with_done(back, done="restored"), status_code=303)
