"""What a phone sends is kept once, at the time it was made; bad input keeps nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innerpace.domain import CheckInKind
from innerpace.errors import UserError
from innerpace.phone.inbox import join_waiting_moments, receive, waiting_count

NOW = datetime.now(UTC).replace(microsecond=0)


def stamp(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def counts(journal) -> dict[str, int]:
    return journal.store.counts()


def test_a_check_in_is_kept_once_at_the_time_it_was_made(journal):
    made = NOW - timedelta(hours=2)
    entry = {
        "client_id": "c-0001-abcdef",
        "kind": "checkin",
        "when": "before",
        "feeling": 3,
        "arousal": 4,
        "made_at": stamp(made),
    }
    first = receive(journal, entry, device_id=None)
    second = receive(journal, entry, device_id=None)
    assert not first.again and second.again and second.entry_id == first.entry_id
    kept = journal.store.list_checkins()
    assert len(kept) == 1
    assert kept[0].at == made and kept[0].kind is CheckInKind.BEFORE
    assert journal.store.phone.receipt_count() == 1


def test_an_after_check_in_goes_on_the_chosen_run(journal):
    run = journal.log_run(at=NOW - timedelta(hours=5), minutes=40, name="River")
    out = receive(
        journal,
        {
            "client_id": "after-on-river",
            "kind": "checkin",
            "when": "after",
            "feeling": 4,
            "run_id": run.id,
            "made_at": stamp(NOW),
        },
        device_id=None,
    )
    assert out.run_id == run.id


def test_a_moment_waits_for_its_run_then_joins_it(journal):
    made = NOW - timedelta(hours=3, minutes=-20)  # 20 min into a run that starts 3 h ago
    receive(
        journal,
        {
            "client_id": "moment-waits-1",
            "kind": "moment",
            "tags": ["release"],
            "note": "hill",
            "made_at": stamp(made),
        },
        device_id=None,
    )
    assert waiting_count(journal) == 1 and counts(journal)["moments"] == 0
    run = journal.log_run(at=NOW - timedelta(hours=3), minutes=45)
    assert join_waiting_moments(journal) == 1
    (moment,) = journal.store.moments_for_run(run.id)
    assert moment.tags == ("release",) and moment.note == "hill"
    assert moment.at_s == pytest.approx(20 * 60)
    assert waiting_count(journal) == 0
    assert join_waiting_moments(journal) == 0


def test_a_moment_outside_every_run_keeps_waiting(journal):
    journal.log_run(at=NOW - timedelta(hours=6), minutes=30)
    receive(
        journal,
        {"client_id": "moment-alone-1", "kind": "moment", "note": "x", "made_at": stamp(NOW)},
        device_id=None,
    )
    assert join_waiting_moments(journal) == 0 and waiting_count(journal) == 1


def test_reflection_and_wellbeing(journal):
    receive(
        journal,
        {
            "client_id": "words-00001",
            "kind": "reflection",
            "text": "Slow and good.",
            "made_at": stamp(NOW),
        },
        device_id=None,
    )
    out = receive(
        journal,
        {
            "client_id": "who5-000001",
            "kind": "wellbeing",
            "answers": [1, 1, 0, 1, 1],
            "made_at": stamp(NOW - timedelta(minutes=3)),
        },
        device_id=None,
    )
    assert journal.reflections()[0].text == "Slow and good."
    assert out.extra["support"] in ("calm", "prominent")
    assert journal.wellbeing_checks()[0].at == NOW - timedelta(minutes=3)


BAD = [
    ("not a dict", "not an entry"),
    ({"client_id": "short", "kind": "checkin"}, "no usable id"),
    ({"client_id": "ok-id-12345", "kind": "search"}, "only these entries"),
    ({"client_id": "ok-id-12345", "kind": "checkin", "when": "before", "feeling": 3}, "no time"),
    (
        {
            "client_id": "ok-id-12345",
            "kind": "checkin",
            "when": "before",
            "feeling": 3,
            "made_at": "yesterday",
        },
        "not a time",
    ),
    (
        {
            "client_id": "ok-id-12345",
            "kind": "checkin",
            "when": "before",
            "feeling": 3,
            "made_at": stamp(NOW + timedelta(hours=1)),
        },
        "ahead",
    ),
    (
        {
            "client_id": "ok-id-12345",
            "kind": "checkin",
            "when": "during",
            "feeling": 3,
            "made_at": stamp(NOW),
        },
        "before, after or a rest day",
    ),
    (
        {
            "client_id": "ok-id-12345",
            "kind": "checkin",
            "when": "before",
            "feeling": 9,
            "made_at": stamp(NOW),
        },
        "",
    ),
    (
        {
            "client_id": "ok-id-12345",
            "kind": "checkin",
            "when": "before",
            "feeling": True,
            "made_at": stamp(NOW),
        },
        "number",
    ),
    ({"client_id": "ok-id-12345", "kind": "moment", "made_at": stamp(NOW)}, "tag or a few"),
    ({"client_id": "ok-id-12345", "kind": "reflection", "text": " ", "made_at": stamp(NOW)}, ""),
    (
        {"client_id": "ok-id-12345", "kind": "wellbeing", "answers": [1, 2], "made_at": stamp(NOW)},
        "",
    ),
]


@pytest.mark.parametrize(("entry", "says"), BAD)
def test_bad_entries_are_refused_and_change_nothing(journal, entry, says):
    before = counts(journal)
    with pytest.raises(UserError) as refused:
        receive(journal, entry, device_id=None)
    assert says in str(refused.value)
    assert counts(journal) == before
    assert journal.store.phone.receipt_count() == 0


def test_an_id_reused_for_another_kind_is_refused(journal):
    receive(
        journal,
        {"client_id": "same-id-0001", "kind": "reflection", "text": "a", "made_at": stamp(NOW)},
        device_id=None,
    )
    with pytest.raises(UserError, match="already used"):
        receive(
            journal,
            {"client_id": "same-id-0001", "kind": "moment", "note": "b", "made_at": stamp(NOW)},
            device_id=None,
        )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sends=st.lists(st.sampled_from(["a-entry-001", "b-entry-002", "c-entry-003"]), max_size=12))
def test_any_order_of_repeated_sends_keeps_each_entry_once(journal, sends):
    run = uuid.uuid4().hex[:8]
    for client_id in sends:
        receive(
            journal,
            {
                "client_id": f"{client_id}-{run}",
                "kind": "reflection",
                "text": f"{client_id} {run}",
                "made_at": stamp(NOW),
            },
            device_id=None,
        )
    texts = [r.text for r in journal.reflections() if r.text.endswith(run)]
    assert sorted(texts) == sorted({f"{c} {run}" for c in sends})


def test_devices_are_kept_by_key_hash_and_removed_at_once(journal):
    records = journal.store.phone
    device_id = records.add_device("Ada's phone", "ab" * 32, NOW)
    assert records.device_by_key_hash("ab" * 32).name == "Ada's phone"
    assert records.remove_device(device_id)
    assert records.device_by_key_hash("ab" * 32) is None
    assert not records.remove_device(device_id)
