"""The page templates and static assets of the web app, shared by the 127.0.0.1 app and the
phone listener's own small app."""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.templating import Jinja2Templates

from innerpace.web import formatting
from innerpace.web.views import insights, reflections

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
    env.filters.update(markdown=reflections.markdown_html, marked=reflections.marked_snippet)
    env.filters.update(insights.FILTERS)
    return Jinja2Templates(env=env)


__all__ = ["STATIC", "TEMPLATES", "make_templates"]
