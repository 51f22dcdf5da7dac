"""The app factory: routes, templates, static files and the guard stack."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from innerpace.errors import NotFound, UserError
from innerpace.services import Journal
from innerpace.services.insight_cases import InsightRefresher
from innerpace.web.phone import desktop as phone_desktop
from innerpace.web.security import Guard, middleware
from innerpace.web.templating import STATIC, make_templates
from innerpace.web.views import (
    auth,
    checkin,
    editing,
    errors,
    guide,
    health,
    home,
    importing,
    insights,
    log_run,
    moments,
    reflections,
    run,
    settings,
    today,
    undo,
    wellbeing,
)
from innerpace.web.views.render import render


async def calm_error(request: Request, exc: Exception) -> Response:
    """A request the journal cannot do: its message, calmly, and nothing written."""
    return render(request, "error.html", {"message": str(exc)}, status=400)


BACKUP_CHECK_S = 3600.0


def _daily_backups(journal: Journal, every_s: float = BACKUP_CHECK_S):
    """While the app runs (for days, perhaps), take the daily backup when one is due: checked
    every ``every_s`` seconds (``innerpace serve`` runs this lifespan; uvicorn starts it)."""

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                await asyncio.sleep(every_s)
                try:
                    journal.backup_if_due()
                except Exception:  # noqa: BLE001 - a failed backup must not stop the app
                    logging.getLogger("innerpace").warning("daily backup failed", exc_info=True)

        task = asyncio.create_task(loop())
        refresher = InsightRefresher(journal)  # the Insights page is ready after a write
        refresher.start()
        _app.state.insight_refresh = refresher
        try:
            yield
        finally:
            task.cancel()
            await asyncio.to_thread(refresher.stop)

    return lifespan


def create_app(
    journal: Journal,
    *,
    token: str,
    port: int,
    allowed_hosts: Iterable[str] = ("127.0.0.1", "localhost"),
    backup_check_s: float | None = None,
) -> Starlette:
    """The web app over ``journal``, answering only on ``allowed_hosts`` at ``port``.

    ``token`` is the launch secret scripts may send as ``Authorization: token …``; people sign in
    by posting the one-time key of ``app.state.guard.signin_key`` to ``/auth``.
    """
    guard = Guard(token=token, port=port, allowed_hosts=tuple(h.lower() for h in allowed_hosts))
    templates = make_templates()
    forbidden = templates.get_template("forbidden.html").render(csrf="").encode()
    error = templates.get_template("error.html").render(csrf="").encode()
    routes = [
        Route("/", home.page, name="home"),
        Route("/runs/{run_id:int}", run.page, name="run"),
        Route("/runs/new", log_run.page, name="log_run"),
        Route("/runs", log_run.save, methods=["POST"]),
        Route("/runs/{run_id:int}/edit", editing.run_form),
        Route("/runs/{run_id:int}", editing.run_save, methods=["POST"]),
        Route("/checkins/{item_id:int}/edit", editing.checkin_form),
        Route("/checkins/{item_id:int}", editing.checkin_save, methods=["POST"]),
        Route("/checkins/{item_id:int}/attach", editing.checkin_attach, methods=["POST"]),
        Route("/day-moods/{item_id:int}/edit", reflections.day_mood_form),
        Route("/day-moods/{item_id:int}", reflections.day_mood_save, methods=["POST"]),
        Route("/moments/{item_id:int}/edit", editing.moment_form),
        Route("/moments/{item_id:int}", editing.moment_save, methods=["POST"]),
        Route("/wellbeing/{item_id:int}/edit", editing.wellbeing_form),
        Route("/wellbeing/{item_id:int}", editing.wellbeing_save, methods=["POST"]),
        Route("/reflections/{reflection_id:int}/edit", reflections.edit),
        Route("/delete/{kind}/{item_id:int}", editing.delete, methods=["POST"]),
        Route("/deleted", editing.trash_page, name="deleted"),
        Route("/deleted/{kind}/{item_id:int}/restore", editing.restore, methods=["POST"]),
        Route("/runs/{run_id:int}/moments", moments.add, methods=["POST"], name="add_moment"),
        Route("/runs/{run_id:int}/moments/new", moments.add_form),
        Route("/moments/{moment_id:int}/confirm", moments.confirm_form),
        Route("/moments/{moment_id:int}/confirm", moments.confirm, methods=["POST"]),
        Route("/moments/{moment_id:int}/dismiss", moments.dismiss, methods=["POST"]),
        Route("/today", today.page, name="today"),
        Route("/checkins", checkin.save, methods=["POST"], name="checkin"),
        Route("/reflections/new", reflections.new, name="reflection_new"),
        Route("/reflections", reflections.save, methods=["POST"], name="reflection_save"),
        Route("/drafts/{key}", reflections.save_draft, methods=["POST"], name="draft"),
        Route("/drafts/{key}/discard", reflections.discard_draft, methods=["POST"]),
        Route("/journal", reflections.page, name="journal"),
        Route("/wellbeing", wellbeing.page, name="wellbeing"),
        Route("/wellbeing", wellbeing.save, methods=["POST"]),
        Route("/insights", insights.page, name="insights"),
        Route("/settings", settings.page, name="settings"),
        Route("/settings", settings.save, methods=["POST"]),
        *phone_desktop.routes(),
        Route("/import", importing.page, name="import"),
        Route("/import", importing.upload, methods=["POST"]),
        Route("/imports/{batch:int}/undo", undo.confirm),
        Route("/imports/{batch:int}/undo", importing.undo, methods=["POST"]),
        Route("/import/daylio-moods", importing.daylio_moods, methods=["POST"]),
        Route("/guide", guide.page, name="guide"),
        Route("/guide/{session}.{fmt}", guide.audio, name="guide_audio"),
        Route("/auth", auth.page, name="auth"),
        Route("/auth", auth.sign_in, methods=["POST"]),
        Route("/healthz", health.page, name="healthz"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        lifespan=_daily_backups(journal, backup_check_s or BACKUP_CHECK_S),
        routes=routes,
        middleware=middleware(guard, forbidden_page=forbidden, error_page=error),
        exception_handlers={
            404: errors.not_found,
            405: errors.not_allowed,
            NotFound: errors.not_found,
            # An id past SQLite's 64-bit integers (``/runs/99999999999999999999999``) names
            # nothing: SQLite raises OverflowError before it can say so.
            OverflowError: errors.not_found,
            UserError: calm_error,
        },
    )
    app.state.journal = journal
    app.state.templates = templates
    app.state.guard = guard
    return app
