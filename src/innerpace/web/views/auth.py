"""``/auth?token=…``: trade the launch token for a session cookie, then drop it from the URL."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.web.security import STATE_KEY, session_cookie_header
from innerpace.web.views.render import render


async def page(request: Request) -> Response:
    guard = request.app.state.guard
    token = request.query_params.get("token")
    if guard.token_ok(token):
        response = RedirectResponse("/", status_code=303)
        response.headers.append(
            "set-cookie", session_cookie_header(guard.cookie_name, guard.new_session())
        )
        return response
    signed_in = request.scope.get("state", {}).get(STATE_KEY) is not None
    if token is None and signed_in:
        return RedirectResponse("/", status_code=303)
    return render(request, "forbidden.html", status=403)
