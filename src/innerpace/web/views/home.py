"""``/``: a greeting and the latest runs, feelings first."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from innerpace.services import ON_FOOT
from innerpace.web.views.log_run import form_context
from innerpace.web.views.render import journal_of, render

LATEST = 30


def greeting(hour: int) -> str:
    if 5 <= hour < 12:
        return "Good morning."
    if 12 <= hour < 18:
        return "Good afternoon."
    return "Good evening."


async def page(request: Request) -> Response:
    journal = journal_of(request)
    every_sport = request.query_params.get("sport") == "all"
    listings = journal.runs(sports=None if every_sport else ON_FOOT, limit=LATEST)
    empty = not listings and journal.is_empty()
    return render(
        request,
        "home.html",
        {
            **(form_context() if empty else {}),
            "greeting": greeting(datetime.now().astimezone().hour),
            "listings": listings,
            "every_sport": every_sport,
            "journal_empty": empty,
            "demo": journal.demo,
        },
    )
