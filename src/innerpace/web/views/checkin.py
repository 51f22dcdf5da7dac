"""``POST /checkins``: keep a before, after or rest-day check-in from the Today page."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.domain import CheckIn
from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render
from innerpace.web.views.today import KINDS, today_context

KIND_NAMES = {kind for kind, _ in KINDS}


def _number(value: object, what: str, required: bool) -> float | None:
    text = str(value or "").strip().replace("\u2212", "-")
    if not text:
        if required:
            raise UserError(f"please choose {what}")
        return None
    try:
        return float(text)
    except ValueError:
        raise UserError(f"{what} should be a number, not {text[:20]!r}") from None


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
            raise UserError("please choose before, after or a rest day")
        feeling = _number(feeling_raw, "how you feel", required=True)
        arousal = _number(arousal_raw, "how worked-up you feel", required=False)
        checkin = journal.check_in(kind, feeling=feeling or 0.0, arousal=arousal, note=note)
    except UserError as exc:
        context = today_context(
            journal,
            message=str(exc),
            kind=kind if kind in KIND_NAMES else "before",
            chosen_feeling=str(feeling_raw or ""),
            chosen_arousal=str(arousal_raw or ""),
            note=note,
        )
        return render(request, "today.html", context, status=400)
    query = {"saved": kind}
    prompt_id = chosen_prompt(journal, checkin)
    if prompt_id:
        query["prompt"] = prompt_id
    if checkin.run_id is not None:
        query["run"] = str(checkin.run_id)
    return RedirectResponse(f"/today?{urlencode(query)}#saved", status_code=303)
