"""Moments on the run page: add one afterwards, confirm or set aside a lap press."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import Run
from innerpace.domain.feelings import MOMENT_TAGS
from innerpace.errors import NotFound, UserError
from innerpace.presentation import format_distance, format_duration
from innerpace.web.views.render import journal_of, render
from innerpace.web.views.run import run_context


def tags_from(form: FormData) -> list[str]:
    """Ticked vocabulary tags plus the free tag field (commas allowed)."""
    tags = [str(t) for t in form.getlist("tag") if str(t) in MOMENT_TAGS]
    free = str(form.get("free_tag", "")).strip()
    return tags + ([free] if free else [])


def checked_place(run: Run, typed: str) -> None:
    """Refuse, in the form's own words, a place this run can't hold (the journal checks again)."""
    from innerpace.services.feelings import parse_place

    if not typed.strip():
        raise UserError(wording.text("web.moment.place_empty"))
    try:
        at_s, at_m = parse_place(typed)
    except UserError:
        raise UserError(wording.text("web.moment.place_unclear", place=typed[:20])) from None
    if at_s is not None and at_s > run.duration_s + 1:
        duration = format_duration(run.duration_s)
        raise UserError(wording.text("web.moment.after_end", duration=duration, place=typed))
    if at_m is not None:
        if run.distance_m is None:
            raise UserError(wording.text("web.moment.no_distance"))
        if at_m > run.distance_m + 50:
            distance = format_distance(run.distance_m)
            raise UserError(wording.text("web.moment.past_end", distance=distance, place=typed))


def _moment_id(request: Request) -> int:
    return int(request.path_params["moment_id"])


def _run_page(
    request: Request, run_id: int, message: str, typed: dict[str, Any] | None = None
) -> Response:
    """The run page again with the form as it was typed, and why it could not be kept."""
    context: dict[str, Any] = run_context(journal_of(request), run_id)
    context.update(message=message, typed=typed or {})
    return render(request, "run.html", context, status=400)


def _form_page(request: Request, fragment: str, context: dict[str, Any]) -> Response:
    """Just the form for htmx to put in place, or a whole page when there is no script."""
    values = {"vocabulary": MOMENT_TAGS, **context}
    if request.headers.get("hx-request") == "true":
        return render(request, fragment, values)
    return render(request, "moment_form.html", {**values, "fragment": False})


async def add_form(request: Request) -> Response:
    """``GET /runs/{id}/moments/new``: the form to mark a moment afterwards."""
    run = journal_of(request).run_detail(int(request.path_params["run_id"]), with_series=False).run
    return _form_page(request, "_moment_add_form.html", {"run": run, "moment": None})


async def confirm_form(request: Request) -> Response:
    """``GET /moments/{id}/confirm``: the form to keep a lap press, with tags and a note."""
    journal = journal_of(request)
    moment = journal.moment(_moment_id(request))
    run = journal.run_detail(moment.run_id, with_series=False).run
    return _form_page(request, "_moment_confirm_form.html", {"run": run, "moment": moment})


async def add(request: Request) -> Response:
    """``POST /runs/{id}/moments``: a moment at ``7km`` or ``42min``, with tags and a note."""
    journal = journal_of(request)
    run_id = int(request.path_params["run_id"])
    run = journal.run_detail(run_id, with_series=False).run  # a calm 404 for an unknown run
    form = await request.form()
    typed = {
        "at": str(form.get("at", "")).strip(),
        "tags": [str(t) for t in form.getlist("tag")],
        "free_tag": str(form.get("free_tag", "")),
        "note": str(form.get("note", "")),
    }
    try:
        checked_place(run, typed["at"])
        journal.add_moment(run_id, typed["at"], tags=tags_from(form), note=typed["note"])
    except NotFound:
        raise
    except UserError as exc:
        return _run_page(request, run_id, str(exc), typed)
    return RedirectResponse(f"/runs/{run_id}#moments", status_code=303)


async def confirm(request: Request) -> Response:
    """``POST /moments/{id}/confirm``: keep a lap press as a moment, with tags if you like."""
    journal = journal_of(request)
    form = await request.form()
    note = str(form.get("note", "")).strip() or None
    moment_id = _moment_id(request)
    try:
        moment = journal.confirm_moment(moment_id, tags=tags_from(form), note=note)
    except NotFound:
        raise
    except UserError as exc:
        return _run_page(request, journal.moment(moment_id).run_id or 0, str(exc))
    return RedirectResponse(f"/runs/{moment.run_id}#moments", status_code=303)


async def dismiss(request: Request) -> Response:
    """``POST /moments/{id}/dismiss``: set a lap press aside; it is no longer offered."""
    moment = journal_of(request).dismiss_moment(_moment_id(request))
    return RedirectResponse(f"/runs/{moment.run_id}#moments", status_code=303)
