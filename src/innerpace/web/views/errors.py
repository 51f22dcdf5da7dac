"""Calm pages for a missing page or run and for a method the app does not take."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from innerpace.web.views.render import render
from innerpace.words import text


async def not_found(request: Request, exc: Exception) -> Response:
    return render(request, "not_found.html", status=404)


async def not_allowed(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", {"message": text("web.plain.not_allowed")}, status=405)
