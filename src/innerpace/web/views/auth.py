"""``/auth``: trade the one-time sign-in key for a session cookie.

The private sign-in file posts the key (a form, so it never sits in a URL or the browser's
history). The answer is a page of our own origin that sets the cookie and then moves on to ``/``:
that last step starts on our own page, so the browser sends the ``SameSite=Strict`` cookie with
it. A redirect straight from ``/auth`` would not: the chain began on a ``file://`` page and counts
as cross-site.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.web.security import SIGNIN_FIELD, STATE_KEY, session_cookie_header
from innerpace.web.views.render import render


async def page(request: Request) -> Response:
    """A GET never signs in (a key in a URL would stay in history); signed in, go home."""
    signed_in = request.scope.get("state", {}).get(STATE_KEY) is not None
    if signed_in and not request.query_params:
        return RedirectResponse("/", status_code=303)
    return render(request, "forbidden.html", status=403)


async def sign_in(request: Request) -> Response:
    guard = request.app.state.guard
    form = await request.form()
    try:
        key = form.get(SIGNIN_FIELD)
    finally:
        await form.close()
    if not guard.use_signin_key(key if isinstance(key, str) else None):
        return render(request, "forbidden.html", {"used_key": True}, status=403)
    response = request.app.state.templates.TemplateResponse(
        request, "signing_in.html", {"csrf": ""}, status_code=200
    )
    response.headers.append(
        "set-cookie", session_cookie_header(guard.cookie_name, guard.new_session())
    )
    return response
