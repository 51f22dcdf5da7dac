"""The one path for changes: every write announces what changed once it has committed.

Whatever must follow a change (tying loose check-ins to a run that arrived, re-joining what a
person kept, dropping a cache) subscribes here instead of being called by each writer. The
``version`` counts changes to the journal's content and lives in the journal itself (setting
``journal_version``), so a cache in another program can key on it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from innerpace.store import Store

log = logging.getLogger("innerpace")

# The kinds of change announced.
RUN = "run"  # runs arrived or changed (logged, imported, edited, restored)
CHECKIN = "checkin"
MOMENT = "moment"
REFLECTION = "reflection"
WELLBEING = "wellbeing"
IMPORT = "import"  # an import batch landed: ids = (batch,)
UNDO = "undo"  # an import batch was taken back: ids = (batch,)
TRASH = "trash"  # something moved to or from the trash, or was removed for good
SETTING = "setting"
DRAFT = "draft"  # words being typed were kept or let go (not yet the journal's content)
JOURNAL = "journal"  # the whole journal changed (restored, locked, unlocked, seeded)


@dataclass(frozen=True, slots=True)
class Change:
    """What changed: a kind (one of the names above) and the ids of the rows concerned."""

    kind: str
    ids: tuple[int, ...] = ()


Listener = Callable[[Change], None]


class StoreHolder:
    """The journal's open store, shared by every use-case (locking reopens it in place)."""

    def __init__(self, store: Store) -> None:
        self.store = store


class Changes:
    """Announces changes to whoever subscribed, in the order they subscribed."""

    def __init__(self, holder: StoreHolder) -> None:
        self._holder = holder
        self._listeners: list[Listener] = []

    @property
    def version(self) -> int:
        """A number that grows with every committed change to the journal's content."""
        return self._holder.store.version()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def announce(self, kind: str, ids: tuple[int, ...] | list[int] = ()) -> Change:
        """Tell every listener what changed. Call it only once the write has committed.

        What was written is already safe: a listener that fails is logged, never passed on.
        """
        change = Change(kind, tuple(ids))
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a listener must never undo or block a write
                log.warning("a listener failed after %s", change, exc_info=True)
        return change


class UseCase:
    """A group of use-cases, given the collaborators it needs."""

    def __init__(self, holder: StoreHolder, changes: Changes) -> None:
        self._holder = holder
        self._changes = changes

    @property
    def store(self) -> Store:
        return self._holder.store

    @store.setter
    def store(self, store: Store) -> None:
        self._holder.store = store
