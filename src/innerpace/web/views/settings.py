"""``/settings``: the few choices innerpace offers — support country, quiet numbers, coordinates."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.web.views.render import journal_of, render


async def page(request: Request) -> Response:
    from innerpace.support import countries

    journal = journal_of(request)
    return render(
        request,
        "settings.html",
        {
            "nav": "settings",
            "settings": journal.settings(),
            "countries": countries(),
            "saved": request.query_params.get("saved") == "1",
        },
    )


async def save(request: Request) -> Response:
    journal = journal_of(request)
    form = await request.form()
    journal.change_setting("country", str(form.get("country", "")))
    journal.change_setting("quiet_numbers", "1" if form.get("quiet_numbers") else "0")
    journal.change_setting("keep_coordinates", "0" if form.get("no_coordinates") else "1")
    return RedirectResponse("/settings?saved=1", status_code=303)
