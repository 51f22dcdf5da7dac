"""Every write reaches the one path for changes; reading never does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from tests.services.conftest import as_gpx, outdoor_runs

from innerpace.domain import CheckInKind
from innerpace.services import Journal
from innerpace.services.changes import Change

# Public names that are not use-cases of their own.
PLUMBING = {"open", "close", "store", "changes", "data_dir", "demo", "encrypted", "quiet_numbers"}
# Reading, or writing only files beside the journal (backups, exports, audio).
READERS = {
    "daylio_levels",
    "daylio_moods_to_place",
    "backup",
    "backup_if_due",
    "backups",
    "backup_made_under_other_key",
    "change_passphrase",  # rewraps the key file; the journal's content is untouched
    "checkin",
    "checkin_context",
    "day_mood",
    "day_moods",
    "export",
    "guide_sessions",
    "imports",
    "info",
    "insight_page",
    "insights",
    "is_empty",
    "kept_without_run",
    "loose_checkins_near",
    "moment",
    "prompt_for",
    "recent_cadence",
    "reflection",
    "reflections",
    "remember_hunches",  # insight's own memory, not the journal's content
    "render_guide",
    "run_detail",
    "run_waiting_for_after",
    "recalled_time",
    "runs",
    "saved_draft",
    "saved_drafts",
    "search",
    "setting",
    "settings",
    "trash",
    "undo_preview",
    "wellbeing_card",
    "wellbeing_checks",
    "wellbeing_due",
}


def _ready(journal: Journal, tmp_path) -> dict[str, int]:
    """A journal with one of everything, and the ids the writers work on."""
    run = journal.log_run(minutes=30, km=5.0)
    checkin = journal.check_in("after", feeling=1)
    loose = journal.check_in("before", feeling=0, at=run.start - timedelta(days=3))
    moment = journal.add_moment(run.id, "1km")
    words = journal.reflect("words", run_id=run.id)
    who5 = journal.record_wellbeing([3, 3, 3, 3, 3])
    (activity,) = outdoor_runs(1)
    (tmp_path / "a.gpx").write_bytes(as_gpx(activity))
    batch = journal.import_paths([tmp_path / "a.gpx"], workers=1).batch
    (tmp_path / "daylio_export.csv").write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        '2017-12-09,December 9,Saturday,01:25,rad,"shopping","","Choir concert"\n'
    )
    journal.import_paths([tmp_path / "daylio_export.csv"], workers=1)
    (day,) = journal.day_moods()
    gone = journal.reflect("to restore")
    journal.delete("reflection", gone.id)
    return {
        "run": run.id, "checkin": checkin.id, "loose": loose.id, "moment": moment.id,
        "words": words.id, "who5": who5.id, "batch": batch, "gone": gone.id, "day": day.id,
    }  # fmt: skip


WRITERS: dict[str, Callable[[Journal, dict, object], object]] = {
    "add_moment": lambda j, i, t: j.add_moment(i["run"], "2km"),
    "attach_checkin": lambda j, i, t: j.attach_checkin(i["loose"], i["run"]),
    "change_setting": lambda j, i, t: j.change_setting("quiet_numbers", "1"),
    "place_daylio_moods": lambda j, i, t: j.place_daylio_moods({"happy": 5}),
    "check_in": lambda j, i, t: j.check_in("rest", feeling=2),
    "confirm_moment": lambda j, i, t: j.confirm_moment(i["moment"], tags=["calm"]),
    "delete": lambda j, i, t: j.delete("checkin", i["checkin"]),
    "dismiss_moment": lambda j, i, t: j.dismiss_moment(i["moment"]),
    "edit_checkin": lambda j, i, t: j.edit_checkin(i["checkin"], feeling=4),
    "edit_day_mood": lambda j, i, t: j.edit_day_mood(i["day"], mood="meh", tags=["rain"]),
    "edit_moment": lambda j, i, t: j.edit_moment(i["moment"], note="here"),
    "edit_reflection": lambda j, i, t: j.edit_reflection(i["words"], text="other words"),
    "edit_run": lambda j, i, t: j.edit_run(i["run"], name="Mine"),
    "edit_wellbeing": lambda j, i, t: j.edit_wellbeing(i["who5"], answers=[4, 4, 4, 4, 4]),
    "forget_coordinates": lambda j, i, t: j.forget_coordinates(),
    "import_paths": lambda j, i, t: j.import_paths([t / "a.gpx", t / "b.gpx"], workers=1),
    "lock": lambda j, i, t: j.lock("a long and quiet passphrase"),
    "log_run": lambda j, i, t: j.log_run(minutes=20),
    "record_wellbeing": lambda j, i, t: j.record_wellbeing([2, 2, 2, 2, 2]),
    "reflect": lambda j, i, t: j.reflect("more words"),
    "restore": lambda j, i, t: j.restore("reflection", i["gone"]),
    "restore_backup": lambda j, i, t: j.restore_backup(j.backup(t / "copy.db")),
    "seed_demo": None,  # only into an empty journal: its own test below
    "undo_import": lambda j, i, t: j.undo_import(i["batch"]),
    "unlock": None,  # only on a locked journal: its own test below
}
QUIET_WRITERS: dict[str, Callable[[Journal, dict, object], object]] = {
    "save_draft": lambda j, i, t: j.save_draft("k", "typing"),
    "discard_draft": lambda j, i, t: j.discard_draft("k"),
}


def test_every_public_name_is_a_writer_or_a_reader():
    public = {n for n in dir(Journal) if not n.startswith("_")} | {"changes", "demo"}
    assert public == PLUMBING | READERS | set(WRITERS) | set(QUIET_WRITERS)


def _heard(journal: Journal) -> list[Change]:
    heard: list[Change] = []
    journal.changes.subscribe(heard.append)
    return heard


@pytest.mark.parametrize("name", sorted(n for n, w in WRITERS.items() if w is not None))
def test_every_writer_announces_after_it_commits(journal, tmp_path, name):
    ids = _ready(journal, tmp_path)
    (b_run,) = outdoor_runs(2)[1:]
    (tmp_path / "b.gpx").write_bytes(as_gpx(b_run))
    before = journal.changes.version
    heard = _heard(journal)
    WRITERS[name](journal, ids, tmp_path)
    assert heard, f"{name} announced nothing"
    assert journal.changes.version > before, f"{name} did not move the journal's version on"


@pytest.mark.parametrize("name", sorted(QUIET_WRITERS))
def test_drafts_are_announced_without_counting_as_content(journal, tmp_path, name):
    journal.save_draft("k", "typing")
    before = journal.changes.version
    heard = _heard(journal)
    QUIET_WRITERS[name](journal, {}, tmp_path)
    assert heard and journal.changes.version == before


def test_seeding_and_unlocking_announce_too(tmp_path):
    with Journal(Journal.open(tmp_path / "demo").store) as journal:
        heard = _heard(journal)
        journal.seed_demo()
        assert [c.kind for c in heard] == ["journal"]
        journal.lock("a long and quiet passphrase")
        heard.clear()
        journal.unlock()
        assert [c.kind for c in heard] == ["journal"]


@pytest.mark.parametrize("name", sorted(READERS - {"render_guide", "export", "backup"}))
def test_reading_announces_nothing(journal, tmp_path, name):
    ids = _ready(journal, tmp_path)
    heard = _heard(journal)
    before = journal.changes.version
    calls = {
        "checkin": lambda: journal.checkin(ids["checkin"]),
        "day_mood": lambda: journal.day_mood(ids["day"]),
        "moment": lambda: journal.moment(ids["moment"]),
        "reflection": lambda: journal.reflection(ids["words"]),
        "run_detail": lambda: journal.run_detail(ids["run"]),
        "loose_checkins_near": lambda: journal.loose_checkins_near(
            journal.run_detail(ids["run"]).run, CheckInKind.BEFORE
        ),
        "recalled_time": lambda: journal.recalled_time(
            CheckInKind.AFTER, journal.run_detail(ids["run"]).run
        ),
        "setting": lambda: journal.setting("country"),
        "saved_draft": lambda: journal.saved_draft("k"),
        "search": lambda: journal.search("words"),
        "undo_preview": lambda: journal.undo_preview(ids["batch"]),
        "prompt_for": lambda: journal.prompt_for(journal.checkin(ids["checkin"])),
        "change_passphrase": lambda: None,
        "daylio_moods_to_place": lambda: journal.daylio_moods_to_place([tmp_path]),
        "backup_made_under_other_key": lambda: journal.backup_made_under_other_key(
            journal.backup(tmp_path / "copy.db")
        ),
    }
    calls.get(name, getattr(journal, name))()
    assert heard == [] and journal.changes.version == before


def test_a_listener_that_fails_never_undoes_the_write(journal):
    def broken(change: Change) -> None:
        raise RuntimeError("listener trouble")

    journal.changes.subscribe(broken)
    run = journal.log_run(minutes=25)
    assert journal.run_detail(run.id).run.duration_s == 1500


def test_pairing_listens_on_the_change_path(journal):
    run = journal.log_run(minutes=30)
    before = journal.check_in("before", feeling=-1, at=run.start - timedelta(hours=5))
    assert before.run_id is None  # too early for this run
    later = journal.log_run(minutes=30, at=before.at + timedelta(minutes=20))
    assert journal.checkin(before.id).run_id == later.id
