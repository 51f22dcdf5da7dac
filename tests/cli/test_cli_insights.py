import json

from innerpace.cli import main
from innerpace.services import Journal

FORBIDDEN = ("significant", "proven", "cured", "therapy", "treats")


def test_insights_on_the_demo_read_as_plain_honest_sentences(capsys, tmp_path):
    folder = tmp_path / "demo"
    Journal.open(folder, demo=True).close()
    assert main(["--data-dir", str(folder), "insights"]) == 0
    text = capsys.readouterr().out
    assert "felt on average" in text
    assert "doesn't prove" in text
    assert not any(word in text.lower() for word in FORBIDDEN)
    assert main(["--data-dir", str(folder), "insights", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["schema"] == 2
    assert found["runs_with_both"] >= 100
    assert found["lift"]["status"] == "ready"


def test_a_new_journal_hears_not_enough_yet(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "insights", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["runs_with_both"] == 0
    assert found["lift"]["status"] == "not-yet"


def test_hunches_are_remembered_when_insight_is_read_never_by_a_write(tmp_path):
    folder = tmp_path / "demo"
    with Journal.open(folder, demo=True) as journal:
        assert journal.store.remembered_hunches() == []  # seeding a year of runs computed nothing
        journal.log_run(minutes=30)
        assert journal.store.remembered_hunches() == []
    assert main(["--data-dir", str(folder), "insights", "--json"]) == 0
    with Journal.open(folder) as journal:
        remembered = journal.store.remembered_hunches()
        current = journal.insights().hunches.numbers.records
    assert [h.predictor for h in remembered] == [h.predictor for h in current]
    assert remembered
