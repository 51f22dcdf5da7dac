"""The app factory: routes, templates, static files and the guard stack."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from innerpace.errors import NotFound
from innerpace.services import Journal
from innerpace.web import formatting
from innerpace.web.security import Guard, middleware
from innerpace.web.views import auth, errors, health, home, run

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def make_templates() -> Jinja2Templates:
    """Templates from the package, every one autoescaped (they are all ``.html``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(formatting.FILTERS)
    return Jinja2Templates(env=env)


def create_app(
    journal: Journal,
    *,
    token: str,
    port: int,
    allowed_hosts: Iterable[str] = ("127.0.0.1", "localhost"),
) -> Starlette:
    """The web app over ``journal``, answering only on ``allowed_hosts`` at ``port``.

    ``token`` is the launch secret: ``/auth?token=…`` exchanges it for a session cookie, and
    scripts may send ``Authorization: token …``.
    """
    guard = Guard(token=token, port=port, allowed_hosts=tuple(h.lower() for h in allowed_hosts))
    templates = make_templates()
    forbidden = templates.get_template("forbidden.html").render(csrf="").encode()
    error = templates.get_template("error.html").render(csrf="").encode()
    routes = [
        Route("/", home.page, name="home"),
        Route("/runs/{run_id:int}", run.page, name="run"),
        Route("/auth", auth.page, name="auth"),
        Route("/healthz", health.page, name="healthz"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware(guard, forbidden_page=forbidden, error_page=error),
        exception_handlers={
            404: errors.not_found,
            405: errors.not_allowed,
            NotFound: errors.not_found,
        },
    )
    app.state.journal = journal
    app.state.templates = templates
    app.state.guard = guard
    return app
