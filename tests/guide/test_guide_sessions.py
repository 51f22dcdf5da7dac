from pathlib import Path

import pytest

import innerpace.guide as guide
from innerpace.guide import (
    SEGMENT_KINDS,
    SessionError,
    UnknownSession,
    get_session,
    list_sessions,
    load_session_file,
)

GOOD = """
id = "my-run"
title = "My run"
minutes = 10
description = "Mine."

[[segments]]
kind = "settle"
minutes = 4
cues = ["Easy now."]

[[segments]]
kind = "breath"
minutes = 6
pattern = "2:1"
cue_minutes = 1
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_built_in_sessions_are_the_ones_promised():
    sessions = {s.id: s for s in list_sessions()}
    expected = {
        "first-quiet-run": 20,
        "breathe-3-2": 30,
        "body-scan": 25,
        "noting": 30,
        "long-quiet": 60,
        "hard-day": 15,
    }
    for session_id, minutes in expected.items():
        assert sessions[session_id].minutes == minutes
        assert sessions[session_id].builtin
        assert sessions[session_id].description
    assert sessions["hard-day"].minutes < 20


def test_every_kind_of_segment_is_used_by_some_built_in_session():
    used = {seg.kind for s in list_sessions() for seg in s.segments}
    assert used == set(SEGMENT_KINDS)


def test_long_quiet_has_bells_only():
    session = get_session("long-quiet")
    assert all(not seg.cues and seg.pattern is None for seg in session.segments)


def test_breath_cues_cover_at_most_half_of_each_built_in_session():
    for session in list_sessions():
        cued = sum(seg.cue_minutes * seg.blocks for seg in session.segments if seg.pattern)
        assert cued <= 0.25 * session.minutes, session.id


def test_built_in_cues_stay_plain_and_gentle():
    words = ("must", "should", "fail", "therapy", "treat", "cure", "heal")
    for session in list_sessions():
        texts = [session.description] + [c for seg in session.segments for c in seg.cues]
        for text in texts:
            lowered = text.lower()
            assert not any(f" {w} " in f" {lowered} " for w in words), text


def test_user_sessions_come_after_the_built_in_ones(tmp_path):
    write(tmp_path / "sessions", "mine.toml", GOOD)
    sessions = list_sessions(tmp_path / "sessions")
    assert sessions[-1].id == "my-run"
    assert not sessions[-1].builtin
    mine = get_session("my-run", tmp_path / "sessions")
    assert str(mine.segments[1].pattern) == "2:1"


def test_a_missing_user_folder_holds_no_sessions(tmp_path):
    assert len(list_sessions(tmp_path / "nope")) == len(list_sessions())


def test_an_unknown_session_lists_the_known_ids():
    with pytest.raises(UnknownSession) as info:
        get_session("marathon-of-doom")
    assert isinstance(info.value, ValueError)
    assert "marathon-of-doom" in str(info.value)
    assert "breathe-3-2" in str(info.value)
    assert "long-quiet" in info.value.known


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('pattern = "2:1"', 'pattern = "2-1"'), "segments[1].pattern"),
        (('pattern = "2:1"', 'pattern = "9:1"'), "segments[1].pattern"),
        (('pattern = "2:1"\n', ""), "segments[1].pattern"),
        (('kind = "settle"', 'kind = "sprint"'), "segments[0].kind"),
        (("minutes = 10", "minutes = 11"), "minutes"),
        (("minutes = 10", 'minutes = "ten"'), "minutes"),
        (('title = "My run"\n', ""), "title"),
        (("cue_minutes = 1", "cue_minutes = 5"), "segments[1].cue_minutes"),
        (("cue_minutes = 1", "cue_minutes = 2\nblocks = 2"), "segments[1].cue_minutes"),
        (('cues = ["Easy now."]', 'cues = [""]'), "segments[0].cues[0]"),
        (('cues = ["Easy now."]', "ticks = true"), "segments[0].ticks"),
        (('cues = ["Easy now."]', 'colour = "blue"'), "segments[0].colour"),
        (('id = "my-run"', 'id = "My Run!"'), "id"),
    ],
)
def test_a_bad_session_file_names_the_file_and_the_field(tmp_path, change, field):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, "bad.toml", GOOD.replace(old, new, 1))
    with pytest.raises(SessionError) as info:
        load_session_file(path)
    assert info.value.field == field
    assert "bad.toml" in str(info.value)
    assert field in str(info.value)


def test_a_file_that_is_not_toml_names_the_file(tmp_path):
    path = write(tmp_path, "broken.toml", 'id = "x\nminutes = ')
    with pytest.raises(SessionError, match="broken.toml.*not valid TOML"):
        load_session_file(path)


def test_a_bad_user_file_is_reported_when_listing(tmp_path):
    write(tmp_path, "a.toml", GOOD)
    write(tmp_path, "b.toml", GOOD.replace('kind = "settle"', 'kind = "nap"'))
    with pytest.raises(SessionError, match="b.toml"):
        list_sessions(tmp_path)


def test_a_user_session_cannot_take_a_built_in_id(tmp_path):
    write(tmp_path, "copy.toml", GOOD.replace("my-run", "noting"))
    with pytest.raises(SessionError) as info:
        list_sessions(tmp_path)
    assert info.value.field == "id"
    assert "copy.toml" in str(info.value)


def test_the_public_api_is_what_all_names():
    for name in guide.__all__:
        assert hasattr(guide, name), name
    for name in (
        "list_sessions",
        "get_session",
        "plan_session",
        "render_session",
        "median_cadence",
        "UnknownSession",
        "RenderResult",
    ):
        assert name in guide.__all__


DOCS = Path(__file__).resolve().parents[2] / "docs" / "guided-runs.md"


def test_the_user_docs_name_every_built_in_session():
    text = DOCS.read_text(encoding="utf-8")
    for session in list_sessions():
        assert f"`{session.id}`" in text


def test_the_example_session_in_the_docs_is_valid(tmp_path):
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    session = load_session_file(write(tmp_path, "evening-loop.toml", example))
    assert session.id == "evening-loop"
    assert [s.kind for s in session.segments][1] == "breath"
