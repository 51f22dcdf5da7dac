"""``/today``: a ten-second check-in, then a question to write about if you like."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from innerpace.instruments import get_instrument
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render

RECENT_RUN = timedelta(hours=3)
WELLBEING_EVERY = timedelta(days=7)
KINDS = (("before", "Before a run"), ("after", "After a run"), ("rest", "A rest day"))
SAVED = {
    "before": "Saved. Whatever you are carrying, it can come along.",
    "after": "Saved. Thank you for checking in after your run.",
    "rest": "Saved. Rest days belong in the journal too.",
}


def _words(key: str, fallback: str) -> str:
    try:
        from innerpace.words import text

        return text(key)
    except (ImportError, LookupError, ValueError):
        return fallback


def feeling_choices() -> list[tuple[int, str]]:
    """Feeling Scale values −5…+5 with their anchor words (even numbers have none)."""
    item = get_instrument("fs").item("feeling")
    return [(v, item.anchor(v) or "") for v in range(int(item.min), int(item.max) + 1)]


def arousal_choices() -> list[tuple[int, str]]:
    """Felt Arousal Scale values 1…6, the ends named."""
    item = get_instrument("fas").item("arousal")
    names = {1: "low", int(item.max): "high"}
    return [(v, names.get(v, "")) for v in range(int(item.min), int(item.max) + 1)]


def default_kind(journal: Journal, now: datetime | None = None) -> str:
    """``after`` when a run ended in the last 3 h, else ``before``."""
    now = now or datetime.now().astimezone()
    for listing in journal.runs(limit=5):
        run = listing.run
        if timedelta(0) <= now - run.end <= RECENT_RUN:
            return "after"
    return "before"


def wellbeing_state(journal: Journal, now: datetime | None = None) -> str:
    """``never`` (no WHO-5 yet), ``due`` (the last is a week old or more) or ``""``."""
    checks = journal.wellbeing_checks()
    if not checks:
        return "never"
    due = (now or datetime.now().astimezone()) - checks[-1].at >= WELLBEING_EVERY
    return "due" if due else ""


def today_context(journal: Journal, **extra: Any) -> dict[str, Any]:
    """What the Today page shows; ``extra`` may carry a message or a saved check-in."""
    values: dict[str, Any] = {
        "kinds": KINDS,
        "kind": default_kind(journal),
        "feelings": feeling_choices(),
        "arousals": arousal_choices(),
        "chosen_feeling": "",
        "chosen_arousal": "",
        "note": "",
        "message": None,
        "saved": None,
        "prompt": None,
        "write_url": None,
        "wellbeing": wellbeing_state(journal),
    }
    values.update(extra)
    return values


def _saved_prompt(request: Request) -> dict[str, Any]:
    """After a check-in: the thank-you line and the chosen prompt, from the query string."""
    params = request.query_params
    kind = params.get("saved")
    if kind not in SAVED:
        return {}
    from innerpace.web.views.reflections import prompt_text

    prompt_id, words = prompt_text(params.get("prompt"))
    run = params.get("run", "")
    query = [f"prompt={prompt_id}"] if prompt_id else []
    if run.isdigit():
        query.insert(0, f"run={run}")
    write_url = "/reflections/new" + ("?" + "&".join(query) if query else "")
    return {
        "saved": _words(f"checkin.saved_{kind}", SAVED[kind]),
        "prompt": words,
        "write_url": write_url,
    }


async def page(request: Request) -> Response:
    journal = journal_of(request)
    return render(request, "today.html", today_context(journal, **_saved_prompt(request)))
