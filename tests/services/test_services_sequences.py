"""Random sequences of imports, the person's own writing, edits, deletes, restores and undos.

Whatever happens: no person-made row is ever lost, no batch ever owns a run another batch
brought, and "import, then undo that import" leaves the journal as it was, the person's rows
included.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)
from tests.services.conftest import as_fit, as_gpx, outdoor_runs

from innerpace.errors import NotFound
from innerpace.services import Journal

ACTIVITIES = outdoor_runs(3)
WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=20).map(str.strip).filter(bool)


class JournalSequences(RuleBasedStateMachine):
    person = Bundle("person")  # (kind, id) of rows the person made

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="innerpace-seq-"))
        for i, activity in enumerate(ACTIVITIES):
            (self.folder / f"{i}.gpx").write_bytes(as_gpx(activity))
            (self.folder / f"{i}.fit").write_bytes(as_fit(activity))
        self.journal = Journal.open(self.folder / "journal")
        self.expected: dict[tuple[str, int], object] = {}  # the person's rows, as written
        self.trashed: set[tuple[str, int]] = set()
        self.owner: dict[int, int | None] = {}  # run id -> the batch that brought it
        self.titles: dict[float, str] = {}  # run start -> the title the person gave

    def teardown(self) -> None:
        self.journal.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- what the journal holds ---------------------------------------------------------------
    def _runs(self) -> list:
        return [listing.run for listing in self.journal.runs()]

    def _batches(self) -> list[int]:
        return [b.id for b in self.journal.imports()]

    def _content(self, kind: str, row_id: int) -> object:
        store = self.journal.store
        if kind == "checkin":
            c = store.get_checkin(row_id)
            return None if c is None else (c.kind.value, c.response("fs").value("feeling"), c.note)
        if kind == "moment":
            m = store.get_moment(row_id)
            return None if m is None else (m.tags, m.note)
        r = store.get_reflection(row_id)
        return None if r is None else r.text

    def _snapshot(self) -> tuple:
        store = self.journal.store
        runs = sorted(
            (r.id, r.start, r.source, r.name, r.duration_s, store.series_samples(r.id or 0))
            for r in self._runs()
        )
        rows = sorted(
            (kind, row_id, repr(self._content(kind, row_id)), self._run_of(kind, row_id))
            for kind, row_id in self.expected
        )
        trash = sorted((i.kind, i.id) for i in self.journal.trash())
        return runs, rows, trash, len(store.list_checkins()), len(store.list_reflections())

    def _run_of(self, kind: str, row_id: int) -> int | None:
        store = self.journal.store
        found = {
            "checkin": store.get_checkin,
            "moment": store.get_moment,
            "reflection": store.get_reflection,
        }[kind](row_id)
        return None if found is None else found.run_id

    def _record_owners(self) -> None:
        rows = dict(self.journal.store._conn.execute("SELECT id, batch_id FROM runs").fetchall())
        for gone in set(self.owner) - set(rows):  # its batch was undone; the id may come again
            del self.owner[gone]
        for run_id, batch in rows.items():
            self.owner.setdefault(run_id, batch)

    # -- imports and undo ---------------------------------------------------------------------
    @rule(i=st.integers(0, len(ACTIVITIES) - 1), fmt=st.sampled_from(["gpx", "fit"]))
    def import_a_file(self, i: int, fmt: str) -> None:
        self.journal.import_paths([self.folder / f"{i}.{fmt}"], workers=1)
        self._record_owners()

    @rule(i=st.integers(0, len(ACTIVITIES) - 1), fmt=st.sampled_from(["gpx", "fit"]))
    def import_then_undo_changes_nothing(self, i: int, fmt: str) -> None:
        before = self._snapshot()
        report = self.journal.import_paths([self.folder / f"{i}.{fmt}"], workers=1)
        self._record_owners()
        self.journal.undo_import(report.batch)
        assert self._snapshot() == before
        self._record_owners()

    @precondition(lambda self: self._batches())
    @rule(data=st.data())
    def undo_a_batch(self, data: st.DataObject) -> None:
        batch = data.draw(st.sampled_from(self._batches()))
        summary = self.journal.undo_import(batch)
        assert summary.batch_id == batch
        self._record_owners()

    # -- the person's own rows ----------------------------------------------------------------
    @precondition(lambda self: self._runs())
    @rule(target=person, data=st.data(), feeling=st.integers(-5, 5), note=WORDS | st.none())
    def check_in_before_a_run(self, data, feeling, note):
        run = data.draw(st.sampled_from(self._runs()))
        saved = self.journal.check_in(
            "before", feeling=feeling, at=run.start - timedelta(minutes=10), note=note
        )
        key = ("checkin", saved.id)
        self.expected[key] = ("before", float(feeling), note)
        return key

    @rule(target=person, feeling=st.integers(-5, 5))
    def check_in_on_a_rest_day(self, feeling):
        saved = self.journal.check_in("rest", feeling=feeling)
        key = ("checkin", saved.id)
        self.expected[key] = (saved.kind.value, float(feeling), None)
        return key

    @precondition(lambda self: self._runs())
    @rule(target=person, data=st.data(), note=WORDS)
    def mark_a_moment(self, data, note):
        run = data.draw(st.sampled_from(self._runs()))
        saved = self.journal.add_moment(run.id, "1min", tags=["calm"], note=note)
        key = ("moment", saved.id)
        self.expected[key] = (("calm",), note)
        return key

    @rule(target=person, data=st.data(), text=WORDS)
    def write_a_reflection(self, data, text):
        runs = self._runs()
        run = data.draw(st.sampled_from([None, *runs])) if runs else None
        saved = self.journal.reflect(text, run_id=None if run is None else run.id)
        key = ("reflection", saved.id)
        self.expected[key] = text
        return key

    @precondition(lambda self: self._runs())
    @rule(data=st.data(), title=WORDS)
    def give_a_run_a_title(self, data, title):
        run = data.draw(st.sampled_from(self._runs()))
        self.journal.edit_run(run.id, name=title)
        self.titles[run.start.timestamp()] = " ".join(title.split())

    @rule(key=person, note=WORDS)
    def edit_a_row(self, key, note):
        kind, row_id = key
        if key in self.trashed:
            return
        if kind == "checkin":
            self.journal.edit_checkin(row_id, note=note)
            k, feeling, _ = self.expected[key]
            self.expected[key] = (k, feeling, note)
        elif kind == "moment":
            self.journal.edit_moment(row_id, note=note)
            self.expected[key] = (self.expected[key][0], note)
        else:
            self.journal.edit_reflection(row_id, text=note)
            self.expected[key] = note

    @rule(key=person)
    def delete_a_row(self, key):
        if key in self.trashed:
            try:
                self.journal.delete(*key)
            except NotFound:
                return
            raise AssertionError("a row in the trash was deleted again")
        self.journal.delete(*key)
        self.trashed.add(key)

    @rule(key=person)
    def restore_a_row(self, key):
        if key not in self.trashed:
            try:
                self.journal.restore(*key)
            except NotFound:
                return
            raise AssertionError("a row outside the trash was restored")
        self.journal.restore(*key)
        self.trashed.discard(key)

    # -- what must always hold ----------------------------------------------------------------
    @invariant()
    def no_person_made_row_is_ever_lost(self):
        in_trash = {(i.kind, i.id) for i in self.journal.trash()}
        for key, written in self.expected.items():
            if key in self.trashed:
                assert key in in_trash, key
                assert self._content(*key) is None  # out of every reading
            else:
                assert self._content(*key) == written, key

    @invariant()
    def titles_given_stay(self):
        live = {r.start.timestamp(): r.name for r in self._runs()}
        kept = {k.run_start.timestamp(): k.words for k in self.journal.kept_without_run()}
        kept = {start: title for start, title in kept.items() if start in self.titles}
        for start, title in self.titles.items():
            if start in live and live[start] is not None:
                assert live[start] == title or start not in kept

    @invariant()
    def no_batch_owns_a_run_another_batch_brought(self):
        for run_id, batch in self.journal.store._conn.execute("SELECT id, batch_id FROM runs"):
            assert self.owner[run_id] == batch


JournalSequences.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestJournalSequences = JournalSequences.TestCase
