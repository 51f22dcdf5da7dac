"""``/runs/{id}``: one run, its feelings, moments and reflections first, then the numbers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from innerpace.domain import MomentStatus
from innerpace.web.views.render import journal_of, render


async def page(request: Request) -> Response:
    detail = journal_of(request).run_detail(request.path_params["run_id"])
    confirmed = [m for m in detail.moments if m.status is MomentStatus.CONFIRMED]
    return render(
        request,
        "run.html",
        {
            "detail": detail,
            "run": detail.run,
            "listing": detail.listing,
            "moments": confirmed,
            "suggested": detail.suggested_moments,
        },
    )
