"""Use-cases for insight: reading the findings (cached by journal version), remembering
hunches and themes between visits, and keeping the newest version's findings ready.

Writes never wait for statistics: nothing here runs inside a write. Reading the insights brings
the remembered hunches and themes up to date, once per journal version, and keeps the result
until the journal changes. While ``innerpace serve`` runs, an :class:`InsightRefresher` thread
computes the findings of each new version in the background, so the first Insights page after a
write is usually ready; a page never shows findings for an older version than the journal's.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from innerpace.domain.activity import ON_FOOT
from innerpace.services import changes as changed
from innerpace.services.changes import Change, UseCase

if TYPE_CHECKING:
    from innerpace.insights import Insights
    from innerpace.insights.pictures import Pictures
    from innerpace.insights.predictors import HunchRecord
    from innerpace.store import Store

THEMES_SETTING = "insight_themes"
_LOG = logging.getLogger("innerpace")


def journal_version(owner: Any) -> tuple[Any, ...]:
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
    remembered: bool = False  # hunches and themes written back (only ever by a read)


_CACHE: dict[tuple[Any, ...], _Entry] = {}
_LOCK = threading.Lock()


def _newer(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """True when version key ``a`` is known to be later than ``b``."""
    return bool(a[0] == b[0] == "version" and a[1] > b[1])


def _cached(where: str, version: tuple[Any, ...], day: date) -> _Entry | None:
    with _LOCK:
        return _CACHE.get((where, version, day))


def _keep(where: str, version: tuple[Any, ...], day: date, entry: _Entry) -> bool:
    """Keep ``entry`` as the findings of ``version`` (dropping this journal's older ones),
    unless findings of a later version are already kept."""
    with _LOCK:
        mine = [k for k in _CACHE if k[0] == where]
        if any(_newer(k[1], version) for k in mine):
            return False
        for old in mine:
            del _CACHE[old]
        _CACHE[(where, version, day)] = entry
        return True


def _remembered(store: Store) -> list[HunchRecord]:
    from innerpace.insights.predictors import HunchRecord

    return [
        HunchRecord(
            predictor=row.predictor,
            first_seen_run_count=row.first_seen_runs,
            first_seen=datetime.fromtimestamp(row.first_seen_ts, UTC).date(),
            direction=row.direction,
            status=row.status if row.status in ("new", "confirmed", "faded") else "new",
        )
        for row in store.remembered_hunches()
    ]


def _themes_before(store: Store) -> list[list[str]]:
    raw = store.get_setting(THEMES_SETTING)
    try:
        found = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [list(map(str, t)) for t in found if isinstance(t, list)]


def _compute(store: Store, day: date) -> _Entry:
    """The findings of what ``store`` holds now (reads only)."""
    from innerpace.insights import build_insights

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
        hunches=_remembered(store),
        themes_before=_themes_before(store),
    )
    return _Entry(found, (runs, checkins, moments, wellbeing))


def _draw(entry: _Entry) -> Pictures:
    if entry.pictures is None:
        from innerpace.insights.pictures import pictures

        runs, checkins, moments, wellbeing = entry.rows
        entry.pictures = pictures(runs, checkins, moments, wellbeing, entry.insights)
    return entry.pictures


class InsightUseCases(UseCase):
    def insights(self, today: date | None = None) -> Insights:
        """Every finding about this journal's runs on foot, with numbers and plain sentences.

        Computed once per journal version and day; the first read after a change also brings
        the remembered hunches and themes up to date.
        """
        return self._entry(today).insights

    def insight_page(self, today: date | None = None) -> InsightPage:
        """The findings with their pictures (the pictures are drawn on first asking)."""
        entry = self._entry(today)
        return InsightPage(entry.insights, _draw(entry))

    def _entry(self, today: date | None) -> _Entry:
        """The findings of the journal's current version: kept ones (from an earlier read or
        the background refresh) only when their version is the journal's, else computed now."""
        from innerpace.domain import utc_now

        day = today or utc_now().date()
        where = str(self.store.path)
        version = journal_version(self)
        entry = _cached(where, version, day)
        if entry is None:
            entry = _compute(self.store, day)
            if journal_version(self) == version:  # nothing landed while reading: keep it
                _keep(where, version, day, entry)
        if not entry.remembered:
            entry.remembered = True
            after = self._remember(entry.insights, version)
            if after is not None:  # only the themes moved the version on: same findings
                _keep(where, after, day, entry)
        return entry

    def _remember(self, found: Insights, version: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """Keep the hunches (with the run count and day each was first seen) and the themes'
        key words, so the next visit continues from here. Never passes a problem on.

        Keeping the themes is a setting, which moves the journal's version on; when the
        version was ``version`` just before (checked inside the same write), returns the new
        one, whose findings are these."""
        store = self.store
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
                (r.predictor, r.first_seen_ts, r.first_seen_runs, r.direction, r.status)
                for r in store.remembered_hunches()
            ]
            if rows != remembered:
                store.replace_hunches(rows)
            themes = found.themes.numbers.themes if found.themes.numbers else ()
            words = json.dumps([list(t.key_words) for t in themes])
            if themes and store.get_setting(THEMES_SETTING) != words:
                with store.transaction():
                    before = ("version", store.version())
                    store.set_setting(THEMES_SETTING, words)
                if before == version:
                    return ("version", store.version())
        except Exception:  # noqa: BLE001 - reading insight must never fail on remembering
            _LOG.warning("could not remember hunches", exc_info=True)
        return None

    def after_new_data(self) -> None:
        """Kept for writers that still call it: nothing to do, insight refreshes on read."""

    def remember_hunches(self) -> None:
        """Bring the remembered hunches up to date now (any read does the same)."""
        self.insights()


class InsightRefresher:
    """Keeps the findings of the journal's newest version ready, computed in a thread of its own.

    A change announced on ``journal.changes`` marks the findings stale; ``debounce_s`` after the
    last one, the thread opens a connection of its own to the journal's file (never sharing the
    journal's, which stays with the requests), reads, keeps the findings and pictures under the
    version it read, and closes it again, so nothing of it stays open between refreshes.
    Changes no one announces here (an import finishing in its own process) are caught by a
    look at the file every ``poll_s`` (no query: its size and time), and so is a new day.
    Writes never wait: announcing only sets a flag.

    The thread only reads. Remembering hunches and themes is left to the first read of the
    page, on the journal's own connection, as it always was: that keeps one writer per
    journal in this program, and the findings it computes are the same (they use the hunches
    remembered so far, as a read would).
    """

    def __init__(
        self,
        journal: Any,
        *,
        debounce_s: float = 2.0,
        poll_s: float = 5.0,
        today: Callable[[], date] | None = None,
    ) -> None:
        self._journal = journal
        self.debounce_s = debounce_s
        self.poll_s = poll_s
        self._today = today
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._ready = threading.Condition()
        self._last_change = 0.0
        self._stamp: tuple[Any, ...] | None = (
            None  # the journal's files as the last refresh found them
        )
        self._seen: tuple[Any, ...] | None = None  # the files at the last poll
        self._done: tuple[int, date] | None = None
        self._page: InsightPage | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.thread: threading.Thread | None = None

    # -- the journal's side -------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread (once); it computes the current version's findings straight away."""
        if self.thread is not None:
            return
        self._unsubscribe = self._journal.changes.subscribe(self._on_change)
        self.thread = threading.Thread(target=self._run, name="insight-refresh", daemon=True)
        self._wake.set()
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop listening and let the thread finish (a computation under way ends first)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stop.set()
        self._wake.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def _on_change(self, change: Change) -> None:
        if change.kind == changed.DRAFT:
            return  # words being typed are not yet the journal's content
        self._last_change = time.monotonic()
        self._wake.set()

    def wait_for(self, version: int, timeout: float) -> InsightPage | None:
        """The findings computed here for ``version`` (or a later one), waiting up to
        ``timeout`` seconds; None if they are not ready by then."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while self._done is None or self._done[0] < version:
                left = deadline - time.monotonic()
                if left <= 0 or not self._ready.wait(left):
                    return None
            return self._page

    # -- the thread's side --------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.wait(self.poll_s)
            if self._stop.is_set():
                break
            self._wake.clear()
            if not woken:
                now_seen = _stamp(self._journal.store.path)
                if self._stamp == now_seen and self._same_day():
                    continue
                if now_seen != self._seen:
                    # Written elsewhere (an import in a worker process, say) and still being
                    # written: wait until the files stay the same for a whole poll, so a long
                    # import does not have the pages' process recomputing every few seconds.
                    self._seen = now_seen
                    continue
            if not self._quiet():
                break
            try:
                self._refresh()
            except Exception:  # noqa: BLE001 - the page still computes on read
                _LOG.warning("could not refresh insight in the background", exc_info=True)

    def _day(self) -> date:
        from innerpace.domain import utc_now

        return self._today() if self._today else utc_now().date()

    def _same_day(self) -> bool:
        return self._done is None or self._done[1] == self._day()

    def _quiet(self) -> bool:
        """Wait until ``debounce_s`` has passed since the last change; False when stopped."""
        while True:
            left = self._last_change + self.debounce_s - time.monotonic()
            if left <= 0:
                return True
            if self._stop.wait(left):
                return False

    def _refresh(self) -> None:
        from innerpace.store import Store
        from innerpace.store.connection import connect

        main = self._journal.store
        path, key = main.path, main.data_key  # read afresh: locking changes both
        self._stamp = _stamp(path)
        if self._stamp[0] is None:
            return  # being replaced right now; the change that follows wakes this again
        day = self._day()
        reader = Store(connect(path, key), main.data_dir)
        try:
            number = reader.version()
            if self._done == (number, day):
                return
            where, version = str(path), ("version", number)
            entry = _cached(where, version, day)
            if entry is None:
                entry = _compute(reader, day)
                _draw(entry)
                if reader.version() != number:  # something landed while reading: again
                    self._last_change = time.monotonic()
                    self._wake.set()
                    return
                _keep(where, version, day, entry)
            page = InsightPage(entry.insights, _draw(entry))
        finally:
            reader.close()
        with self._ready:
            self._done, self._page = (number, day), page
            self._ready.notify_all()


def _stamp(path: Any) -> tuple[Any, ...]:
    """The journal file and its write-ahead log as the file system sees them (no query)."""
    found: list[tuple[int, int, int] | None] = []
    for name in (str(path), f"{path}-wal"):
        try:
            info = os.stat(name)
        except OSError:
            found.append(None)
        else:
            found.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(found)
