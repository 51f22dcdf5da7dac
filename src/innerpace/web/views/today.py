"""``/today``: a ten-second check-in, then a question to write about if you like."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from innerpace import words as wording
from innerpace.domain import CheckInKind, Run
from innerpace.errors import NotFound
from innerpace.instruments import get_instrument
from innerpace.presentation import format_short_day
from innerpace.services import Journal
from innerpace.web.formatting import label
from innerpace.web.views.render import journal_of, render

KINDS = (("before", "Before a run"), ("after", "After a run"), ("rest", "A rest day"))
SAVED_KINDS = {"before", "after", "rest"}


def feeling_choices() -> list[tuple[int, str]]:
    """Feeling Scale values −5…+5 with their anchor words (even numbers have none)."""
    item = get_instrument("fs").item("feeling")
    return [(v, item.anchor(v) or "") for v in range(int(item.min), int(item.max) + 1)]


def arousal_choices() -> list[tuple[int, str]]:
    """Felt Arousal Scale values 1…6, the ends named."""
    item = get_instrument("fas").item("arousal")
    names = {1: "low", int(item.max): "high"}
    return [(v, names.get(v, "")) for v in range(int(item.min), int(item.max) + 1)]


def run_clock(run: Run) -> str:
    """``07:10`` for a run today, else ``Tue 24 Nov, 07:10``: how a person names a recent run."""
    from datetime import datetime

    local = run.local_start
    if local.date() == datetime.now(local.tzinfo).date():
        return f"{local:%H:%M}"
    return format_short_day(local)


def _wellbeing_state(journal: Journal) -> str:
    """``never`` (no WHO-5 yet), ``due`` (the journal's weekly rule says so) or ``""``."""
    if not journal.wellbeing_checks():
        return "never"
    return "due" if journal.wellbeing_due() else ""


def today_context(journal: Journal, **extra: Any) -> dict[str, Any]:
    """What the Today page shows; ``extra`` may carry a message, a saved check-in, a run."""
    waiting = journal.run_waiting_for_after()
    values: dict[str, Any] = {
        "kinds": KINDS,
        "kind": "after" if waiting is not None else "before",
        "feelings": feeling_choices(),
        "arousals": arousal_choices(),
        "chosen_feeling": "",
        "chosen_arousal": "",
        "note": "",
        "message": None,
        "saved": None,
        "joined": None,
        "joined_run": None,
        "change_url": None,
        "prompt": None,
        "write_url": None,
        "waiting": waiting,
        "waiting_clock": run_clock(waiting) if waiting is not None else "",
        "for_run": None,
        "wellbeing": _wellbeing_state(journal),
    }
    values.update(extra)
    return values


def for_run(journal: Journal, params: Any) -> dict[str, Any]:
    """``/today?run=ID&kind=after``: a check-in asked for from a run's page, for that run."""
    run_id, kind = params.get("for", ""), params.get("kind", "")
    if not run_id.isdigit() or kind not in ("before", "after"):
        return {}
    try:
        run = journal.run_detail(int(run_id), with_series=False).run
    except NotFound:
        return {}
    found: dict[str, Any] = {"for_run": run, "kind": kind, "waiting": None}
    recalled = journal.recalled_time(CheckInKind(kind), run)
    if recalled is not None:  # a past run: ask when the feeling was, starting from the run
        local = recalled.astimezone(run_zone(run))
        found.update(felt_day=local.date().isoformat(), felt_time=f"{local:%H:%M}")
    return found


def run_zone(run: Run) -> tzinfo | None:
    """The clock a run's times are shown on (its own, as its label), else this computer's."""
    return run.local_start.tzinfo if run.utc_offset_min is not None else None


def joined_words(journal: Journal, kind: str, run_id: str) -> tuple[str | None, Run | None]:
    """Which run a saved check-in joined, by date and title; or when it will join one."""
    if kind == "rest":
        return wording.text("web.checkin.rest_day"), None
    if run_id.isdigit():
        try:
            run = journal.run_detail(int(run_id), with_series=False).run
        except NotFound:
            run = None
        if run is not None:
            return wording.text("web.checkin.joined_run", run=label(run)), run
    return wording.text(f"web.checkin.waiting_{kind}"), None


def _saved_prompt(journal: Journal, request: Request) -> dict[str, Any]:
    """After a check-in: the thank-you line, the run it joined, and the chosen prompt."""
    params = request.query_params
    kind = params.get("saved")
    if kind not in SAVED_KINDS:
        return {}
    from innerpace.web.views.reflections import prompt_text

    prompt_id, words = prompt_text(params.get("prompt"))
    run = params.get("run", "")
    query = [f"prompt={prompt_id}"] if prompt_id else []
    if run.isdigit():
        query.insert(0, f"run={run}")
    write_url = "/reflections/new" + ("?" + "&".join(query) if query else "")
    joined, joined_run = joined_words(journal, kind, run)
    checkin = params.get("checkin", "")
    return {
        "change_url": f"/checkins/{checkin}/edit" if checkin.isdigit() else None,
        "saved": wording.text(f"checkin.saved_{kind}"),
        "joined": joined,
        "joined_run": joined_run,
        "prompt": words,
        "write_url": write_url,
    }


async def page(request: Request) -> Response:
    journal = journal_of(request)
    extra = {**for_run(journal, request.query_params), **_saved_prompt(journal, request)}
    return render(request, "today.html", today_context(journal, **extra))
