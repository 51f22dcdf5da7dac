"""Rendering a page with what every page needs (the CSRF token for forms and htmx)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from innerpace.services import Journal
from innerpace.web.security import STATE_KEY
from innerpace.web.views.done import done_words


def journal_of(request: Request) -> Journal:
    return request.app.state.journal


def csrf_of(request: Request) -> str:
    identity = request.scope.get("state", {}).get(STATE_KEY) or {}
    return identity.get("csrf", "")


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    values = {
        "csrf": csrf_of(request),
        "quiet": journal_of(request).quiet_numbers,
        "done": done_words(request),
        **(context or {}),
    }
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status)
