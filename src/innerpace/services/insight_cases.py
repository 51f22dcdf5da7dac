"""Use-cases for insight: reading the findings (cached by journal version), and remembering
hunches and themes between visits.

Writes never wait for statistics: nothing here runs when something is written. Reading the
insights brings the remembered hunches and themes up to date, once per journal version, and
keeps the result until the journal changes.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from innerpace.domain.activity import ON_FOOT
from innerpace.services.changes import UseCase

if TYPE_CHECKING:
    from innerpace.insights import Insights
    from innerpace.insights.pictures import Pictures
    from innerpace.insights.predictors import HunchRecord
    from innerpace.store import Store

THEMES_SETTING = "insight_themes"
_LOG = logging.getLogger("innerpace")


def journal_version(owner: Any) -> tuple:
    """What any insight cache keys on: ``changes.version`` once the journal has one, else a
    small fingerprint (row counts and the connection's change counter). Rewire here only."""
    changes = getattr(owner, "changes", None) or getattr(owner, "_changes", None)
    version = getattr(changes, "version", None)
    if isinstance(version, int):
        return ("version", version)
    store: Store = owner.store
    conn = getattr(store, "_conn", None)
    return (
        "fingerprint",
        tuple(sorted(store.counts().items())),
        int(getattr(conn, "total_changes", 0)),
    )


@dataclass(frozen=True, slots=True)
class InsightPage:
    """The findings and their pictures, computed together from one read of the journal."""

    insights: Insights
    pictures: Pictures


@dataclass(slots=True)
class _Entry:
    insights: Insights
    rows: tuple[Any, ...]
    pictures: Pictures | None = None


_CACHE: dict[tuple, _Entry] = {}
_LOCK = threading.Lock()


class InsightUseCases(UseCase):
    def _remembered(self) -> list[HunchRecord]:
        from innerpace.insights.predictors import HunchRecord

        return [
            HunchRecord(
                predictor=row["predictor"],
                first_seen_run_count=row["first_seen_runs"],
                first_seen=datetime.fromtimestamp(row["first_seen_ts"], UTC).date(),
                direction=row["direction"],
                status=row["status"] if row["status"] in ("new", "confirmed", "faded") else "new",
            )
            for row in self.store.hunches()
        ]

    def _themes_before(self) -> list[list[str]]:
        raw = self.store.get_setting(THEMES_SETTING)
        try:
            found = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [list(map(str, t)) for t in found if isinstance(t, list)]

    def insights(self, today: date | None = None) -> Insights:
        """Every finding about this journal's runs on foot, with numbers and plain sentences.

        Computed once per journal version and day; the first read after a change also brings
        the remembered hunches and themes up to date.
        """
        return self._entry(today).insights

    def insight_page(self, today: date | None = None) -> InsightPage:
        """The findings with their pictures (the pictures are drawn on first asking)."""
        entry = self._entry(today)
        if entry.pictures is None:
            from innerpace.insights.pictures import pictures

            runs, checkins, moments, wellbeing = entry.rows
            entry.pictures = pictures(runs, checkins, moments, wellbeing, entry.insights)
        return InsightPage(entry.insights, entry.pictures)

    def _entry(self, today: date | None) -> _Entry:
        from innerpace.domain import utc_now

        day = today or utc_now().date()
        where = str(self.store.path)
        with _LOCK:
            cached = _CACHE.get((where, journal_version(self), day))
        if cached is not None:
            return cached
        entry = self._compute(day)
        self._remember(entry.insights)
        with _LOCK:
            for old in [k for k in _CACHE if k[0] == where]:
                del _CACHE[old]
            _CACHE[(where, journal_version(self), day)] = entry
        return entry

    def _compute(self, day: date) -> _Entry:
        from innerpace.insights import build_insights

        store = self.store
        runs = store.list_runs(sports=ON_FOOT)
        checkins = store.list_checkins()
        moments = store.list_moments()
        wellbeing = store.list_wellbeing()
        found = build_insights(
            runs,
            checkins,
            moments,
            store.list_reflections(),
            wellbeing,
            today=day,
            hunches=self._remembered(),
            themes_before=self._themes_before(),
        )
        return _Entry(found, (runs, checkins, moments, wellbeing))

    def _remember(self, found: Insights) -> None:
        """Keep the hunches (with the run count and day each was first seen) and the themes'
        key words, so the next visit continues from here. Never passes a problem on."""
        try:
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
                for h in found.hunches.numbers.records
            ]
            remembered = [
                (
                    r["predictor"],
                    r["first_seen_ts"],
                    r["first_seen_runs"],
                    r["direction"],
                    r["status"],
                )
                for r in self.store.hunches()
            ]
            if rows != remembered:
                self.store.replace_hunches(rows)
            themes = found.themes.numbers.themes if found.themes.numbers else ()
            words = json.dumps([list(t.key_words) for t in themes])
            if themes and self.store.get_setting(THEMES_SETTING) != words:
                self.store.set_setting(THEMES_SETTING, words)
        except Exception:  # noqa: BLE001 - reading insight must never fail on remembering
            _LOG.warning("could not remember hunches", exc_info=True)

    def after_new_data(self) -> None:
        """Kept for writers that still call it: nothing to do, insight refreshes on read."""

    def remember_hunches(self) -> None:
        """Bring the remembered hunches up to date now (any read does the same)."""
        self.insights()
