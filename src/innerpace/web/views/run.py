"""``/runs/{id}``: one run, its feelings, moments and reflections first, then the numbers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from innerpace.domain import CheckInKind, MomentStatus
from innerpace.domain.feelings import MOMENT_TAGS
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render
from innerpace.web.views.timeline import timeline


def run_context(journal: Journal, run_id: int) -> dict[str, Any]:
    """Everything the run page shows (also used to show it again with a message)."""
    detail = journal.run_detail(run_id)
    confirmed = [m for m in detail.moments if m.status is MomentStatus.CONFIRMED]
    loose = {
        kind.value: journal.loose_checkins_near(detail.run, kind)
        for kind, present in (
            (CheckInKind.BEFORE, detail.listing.before),
            (CheckInKind.AFTER, detail.listing.after),
        )
        if present is None
    }
    return {
        "detail": detail,
        "run": detail.run,
        "listing": detail.listing,
        "moments": confirmed,
        "suggested": detail.suggested_moments,
        "marks": timeline(detail.moments, detail.run),
        "vocabulary": MOMENT_TAGS,
        "loose": loose,
        "message": None,
        "typed": {},
        "logged": False,
    }


async def page(request: Request) -> Response:
    context = run_context(journal_of(request), request.path_params["run_id"])
    context["logged"] = request.query_params.get("logged") == "1"
    return render(request, "run.html", context)
