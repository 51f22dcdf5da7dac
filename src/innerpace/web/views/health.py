"""``/healthz``: a liveness answer with no journal data and no login."""

from starlette.requests import Request
from starlette.responses import PlainTextResponse


async def page(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok\n")
