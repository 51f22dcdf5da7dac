"""Random sequences of imports, the person's own writing, edits, deletes, restores and undos.

Whatever happens: no person-made row is ever lost, no batch ever owns a run another batch
brought, "import, then undo that import" leaves the journal as it was, the person's rows
included, and undoing one batch never removes an activity another batch brought. Each activity
comes as three copies, poorest first: a GPX of every fifth point, a GPX of every fourth, a FIT;
a richer copy upgrades the run, a poorer one is a duplicate.
"""

from __future__ import annotations

import hashlib
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
COPIES = ("gpx5", "gpx4", "fit")  # poorest first
FILES = {
    (i, copy): as_fit(a) if copy == "fit" else as_gpx(a, every=int(copy[3:]))
    for i, a in enumerate(ACTIVITIES)
    for copy in COPIES
}
SHA = {hashlib.sha256(data).hexdigest(): key for key, data in FILES.items()}
WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=20).map(str.strip).filter(bool)


class JournalSequences(RuleBasedStateMachine):
    person = Bundle("person")  # (kind, id) of rows the person made

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="innerpace-seq-"))
        for (i, copy), data in FILES.items():
            (self.folder / f"{i}-{copy}.{copy[:3]}").write_bytes(data)
        self.journal = Journal.open(self.folder / "journal")
        self.expected: dict[tuple[str, int], object] = {}  # the person's rows, as written
        self.trashed: set[tuple[str, int]] = set()
        # activity -> (batch, copy) of the copy that brought its run, then of each richer one
        self.line: dict[int, list[tuple[int, str]]] = {i: [] for i in range(len(ACTIVITIES))}
        self.held: dict[tuple[int, str], int] = {}  # file -> the batch whose original it is
        self.looks: dict[tuple[int, str], tuple] = {}  # file -> its run's data, once it landed
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
        owners = dict(store._conn.execute("SELECT id, batch_id FROM runs").fetchall())
        runs = sorted(
            (r.id, r.start, r.source, r.name, r.duration_s, store.series_samples(r.id or 0))
            + (owners[r.id],)
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

    def _activity_runs(self) -> dict[int, tuple]:
        """Activity -> (its run's batch, source, samples), for each activity in the journal."""
        starts = {a.start: i for i, a in enumerate(ACTIVITIES)}
        owners = dict(self.journal.store._conn.execute("SELECT id, batch_id FROM runs").fetchall())
        found = {}
        for run in self._runs():
            samples = self.journal.store.series_samples(run.id)
            found[starts[run.start]] = (owners[run.id], run.source, samples)
        return found

    def _present_originals(self) -> dict[str, int]:
        """sha256 -> batch, of each kept original whose activity is in the journal."""
        present = self._activity_runs()
        rows = self.journal.store._conn.execute("SELECT sha256, batch_id FROM originals")
        return {sha: batch for sha, batch in rows if SHA[sha][0] in present}

    def _import(self, i: int, copy: str) -> int:
        """Import one file, and follow in the model what it must do."""
        key = (i, copy)
        report = self.journal.import_paths([self.folder / f"{i}-{copy}.{copy[:3]}"], workers=1)
        assert report.batch is not None
        if key in self.held:  # the same bytes: already imported
            return report.batch
        line = self.line[i]
        if not line or COPIES.index(copy) > COPIES.index(line[-1][1]):  # new, or richer
            line.append((report.batch, copy))
            self.held[key] = report.batch  # a poorer copy brings nothing and is not kept
            owner, source, samples = self._activity_runs()[i]
            self.looks.setdefault(key, (source, samples))
        return report.batch

    def _forget(self, batch: int) -> None:
        """Undoing ``batch``: the journal is as if it never came."""
        for i, line in self.line.items():
            self.line[i] = [entry for entry in line if entry[0] != batch]
        self.held = {key: b for key, b in self.held.items() if b != batch}

    # -- imports and undo ---------------------------------------------------------------------
    @rule(i=st.integers(0, len(ACTIVITIES) - 1), copy=st.sampled_from(COPIES))
    def import_a_file(self, i: int, copy: str) -> None:
        self._import(i, copy)

    def _can_be_richer(self) -> list[int]:
        return [i for i, line in self.line.items() if line and line[-1][1] != COPIES[-1]]

    @precondition(lambda self: self._can_be_richer())
    @rule(data=st.data())
    def import_a_richer_copy(self, data: st.DataObject) -> None:
        i = data.draw(st.sampled_from(self._can_be_richer()))
        copy = data.draw(st.sampled_from(COPIES[COPIES.index(self.line[i][-1][1]) + 1 :]))
        self._import(i, copy)

    @rule(i=st.integers(0, len(ACTIVITIES) - 1), copy=st.sampled_from(COPIES))
    def import_then_undo_changes_nothing(self, i: int, copy: str) -> None:
        before = self._snapshot()
        batch = self._import(i, copy)
        self.journal.undo_import(batch)
        self._forget(batch)
        assert self._snapshot() == before

    @precondition(lambda self: self._batches())
    @rule(data=st.data())
    def undo_a_batch(self, data: st.DataObject) -> None:
        batch = data.draw(st.sampled_from(self._batches()))
        others = {sha for sha, b in self._present_originals().items() if b != batch}
        summary = self.journal.undo_import(batch)
        assert summary.batch_id == batch
        self._forget(batch)
        # undoing one batch never removes an activity another batch brought
        assert others <= set(self._present_originals())

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
        kept = {
            k.run_start.timestamp(): k.words
            for k in self.journal.kept_without_run()
            if k.kind == "title"
        }
        for start, title in self.titles.items():
            if start in live:
                assert live[start] == title  # an import never overwrote it
            else:
                assert kept.get(start) == title  # kept without its run, waiting for it

    @invariant()
    def no_batch_owns_a_run_another_batch_brought(self):
        found = self._activity_runs()
        assert set(found) == {i for i, line in self.line.items() if line}
        for i, (owner, source, samples) in found.items():
            line = self.line[i]
            assert owner == line[0][0]  # the batch that brought the run, or the next copy's
            assert (source, samples) == self.looks[(i, line[-1][1])]  # the richest copy left

    @invariant()
    def every_kept_original_is_its_batch_s(self):
        rows = self.journal.store._conn.execute("SELECT sha256, batch_id FROM originals")
        assert {SHA[sha]: batch for sha, batch in rows} == self.held


JournalSequences.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestJournalSequences = JournalSequences.TestCase
