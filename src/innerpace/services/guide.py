"""Use-cases for guided runs: which sessions exist, the runner's cadence, rendering."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from innerpace.domain import Sport
from innerpace.errors import UserError
from innerpace.services.changes import UseCase

if TYPE_CHECKING:
    from innerpace.guide import RenderResult, Session


class GuideUseCases(UseCase):
    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    # -- guided runs -------------------------------------------------------------------------
    def guide_sessions(self) -> list[Session]:
        from innerpace.guide import SessionError, list_sessions

        try:
            return list_sessions(self.data_dir / "sessions")
        except SessionError as exc:
            raise UserError(str(exc)) from None

    def recent_cadence(self, runs: int = 20) -> float | None:
        """The median cadence (steps/min) of the latest runs that recorded one."""
        from innerpace.guide import median_cadence

        recent = self.store.list_runs(sports=[Sport.RUNNING.value], limit=runs * 3)
        cadences: list[float | None] = [r.avg_cadence_spm for r in recent if r.avg_cadence_spm]
        cadences = cadences[:runs]
        return median_cadence(cadences)

    def render_guide(
        self, session_id: str, out: Path, *, cadence: float, minutes: float | None = None
    ) -> RenderResult:
        """Render a guided run to ``out``; bad input becomes one clear :class:`UserError`."""
        from innerpace.guide import (
            RenderError,
            SessionError,
            get_session,
            plan_session,
            render_session,
        )

        try:
            session = get_session(session_id, self.data_dir / "sessions")
            plan = plan_session(session, cadence, minutes)
            return render_session(plan, out)
        except (SessionError, RenderError, ValueError) as exc:
            raise UserError(str(exc)) from None
