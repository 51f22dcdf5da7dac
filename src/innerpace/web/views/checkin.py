"""``POST /checkins``: keep a before, after or rest-day check-in from the Today page."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import CheckIn
from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.web.views.log_run import typed_time
from innerpace.web.views.render import journal_of, render
from innerpace.web.views.today import KINDS, for_run, run_zone, today_context

KIND_NAMES = {kind for kind, _ in KINDS}


def _number(value: object, what: str, required: bool) -> float | None:
    typed = str(value or "").strip().replace("\u2212", "-")
    if not typed:
        if required:
            raise UserError(wording.text("web.checkin.choose_feeling"))
        return None
    try:
        return float(typed)
    except ValueError:
        raise UserError(
            wording.text("web.checkin.not_a_number", what=what, value=typed[:20])
        ) from None


def named_run(form: FormData, kind: str) -> int | None:
    """The run a check-in was asked for (from Today's offer or a run's page), for that kind."""
    run = str(form.get("run", ""))
    if run.isdigit() and str(form.get("run_kind", "")) == kind:
        return int(run)
    return None


def felt_at(form: FormData, journal: Journal, run_id: int) -> datetime | None:
    """When a remembered feeling was felt (the run page's form for a past run), on the run's
    own clock as the form showed it, or None: now."""
    day, clock = str(form.get("felt_day", "")), str(form.get("felt_time", ""))
    if not day.strip() and not clock.strip():
        return None
    zone = run_zone(journal.run_detail(run_id, with_series=False).run)
    return typed_time(day, clock, "web.checkin.felt_unclear", zone)


def chosen_prompt(journal: Journal, checkin: CheckIn) -> str | None:
    """The id of a prompt that fits this check-in, if the prompt library can offer one."""
    try:
        prompt_for = getattr(journal, "prompt_for", None)
        if prompt_for is not None:
            return prompt_for(checkin).id
        from innerpace.prompts import choose_prompt

        kind = "rest-day" if checkin.kind.value.startswith("rest") else checkin.kind.value
        response = checkin.response("fs")
        feeling = response.value("feeling") if response else None
        return choose_prompt(
            kind=kind,
            pre_feeling=feeling if kind == "before" else None,
            post_feeling=feeling if kind == "after" else None,
            seed=checkin.id,
        ).id
    except (ImportError, LookupError, ValueError):
        return None


async def save(request: Request) -> Response:
    journal = journal_of(request)
    form = await request.form()
    kind = str(form.get("kind", ""))
    note = str(form.get("note", ""))
    feeling_raw, arousal_raw = form.get("feeling"), form.get("arousal")
    try:
        if kind not in KIND_NAMES:
            raise UserError(wording.text("web.checkin.choose_kind"))
        feeling = _number(feeling_raw, "how you feel", required=True)
        arousal = _number(arousal_raw, "how worked-up you feel", required=False)
        run_id = named_run(form, kind)
        checkin = journal.check_in(
            kind,
            feeling=feeling or 0.0,
            arousal=arousal,
            note=note,
            run_id=run_id,
            at=felt_at(form, journal, run_id) if run_id is not None else None,
        )
    except UserError as exc:
        context = today_context(
            journal,
            message=str(exc),
            kind=kind if kind in KIND_NAMES else "before",
            chosen_feeling=str(feeling_raw or ""),
            chosen_arousal=str(arousal_raw or ""),
            note=note,
        )
        asked_for = {"for": str(form.get("run", "")), "kind": str(form.get("run_kind", ""))}
        context.update(for_run(journal, asked_for))
        if "felt_day" in form:  # keep what was typed
            context.update(felt_day=str(form["felt_day"]), felt_time=str(form.get("felt_time", "")))
        context["kind"] = kind if kind in KIND_NAMES else context["kind"]
        return render(request, "today.html", context, status=400)
    query = {"saved": kind, "checkin": str(checkin.id)}
    prompt_id = chosen_prompt(journal, checkin)
    if prompt_id:
        query["prompt"] = prompt_id
    if checkin.run_id is not None:
        query["run"] = str(checkin.run_id)
    return RedirectResponse(f"/today?{urlencode(query)}#saved", status_code=303)
