"""Use-cases for insight: reading the findings, and remembering when a hunch was first seen."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from innerpace.domain.activity import ON_FOOT
from innerpace.services.changes import UseCase


class InsightUseCases(UseCase):
    def _remembered(self):
        from innerpace.insights.predictors import HunchRecord

        return [
            HunchRecord(
                predictor=row["predictor"],
                first_seen_run_count=row["first_seen_runs"],
                first_seen=datetime.fromtimestamp(row["first_seen_ts"], UTC).date(),
                direction=row["direction"],
                status=row["status"],
            )
            for row in self.store.hunches()
        ]

    def insights(self, today: date | None = None):
        """Every finding about this journal's runs on foot, with numbers and plain sentences.

        Reading changes nothing: hunches are remembered by :meth:`remember_hunches`, which the
        writing use-cases call.
        """
        from innerpace.insights import build_insights

        store = self.store
        return build_insights(
            store.list_runs(sports=ON_FOOT),
            store.list_checkins(),
            store.list_moments(),
            store.list_reflections(),
            store.list_wellbeing(),
            today=today,
            hunches=self._remembered(),
        )

    def after_new_data(self) -> None:
        """Called once new runs or feelings have landed: bring the remembered hunches up to date.

        What was written is already safe; a problem here is logged, never passed on.
        """
        try:
            self.remember_hunches()
        except Exception:  # noqa: BLE001 - insight must never undo or block a write
            logging.getLogger("innerpace").warning("could not update hunches", exc_info=True)

    def remember_hunches(self) -> None:
        """Keep the current hunches with the day each was first seen (after new data lands)."""
        found = self.insights()
        rows = [
            (
                h.predictor,
                datetime(
                    h.first_seen.year, h.first_seen.month, h.first_seen.day, tzinfo=UTC
                ).timestamp(),
                h.first_seen_run_count,
                h.direction,
                h.status,
            )
            for h in found.hunches.records
        ]
        remembered = [
            (r["predictor"], r["first_seen_ts"], r["first_seen_runs"], r["direction"], r["status"])
            for r in self.store.hunches()
        ]
        if rows != remembered:
            self.store.replace_hunches(rows)
