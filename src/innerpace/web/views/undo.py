"""``GET /imports/{batch}/undo``: before an import is taken back, what goes and what stays.

The taking back itself is the import page's ``POST`` to the same address; this page only asks,
with the journal's own preview of the undo (nothing changes until the person confirms).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from innerpace.presentation import run_label
from innerpace.web.views.render import journal_of, render

KEPT_KINDS = {
    "checkin": "Your check-in",
    "moment": "Your moment",
    "reflection": "Your reflection",
    "title": "The title you gave",
}


def stays(preview: Any) -> list[str]:
    """What the person made on those runs: kept, and named by run date and title."""
    rows = []
    for item in preview.kept:
        run = run_label(item.run_start.astimezone(), item.run_name, item.run_sport)
        what = KEPT_KINDS.get(item.kind, "Something you made")
        words = " ".join((item.words or "").split())
        if len(words) > 80:
            words = words[:79].rstrip() + "…"
        rows.append({"what": what, "run": run, "words": words})
    return rows


async def confirm(request: Request) -> Response:
    journal = journal_of(request)
    batch = int(request.path_params["batch"])
    preview = journal.undo_preview(batch)
    context = {
        "nav": "import",
        "batch": batch,
        "preview": preview,
        "stays": stays(preview),
    }
    return render(request, "undo_confirm.html", context)
