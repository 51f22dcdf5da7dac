"""The whole picture: build_insights over domain objects, its sentences and its JSON."""

import json
import re
from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from innerpace.domain import CheckInKind, Company, Moment, Reflection, Setting
from innerpace.insights import HunchRecord, build_insights
from innerpace.insights.findings import SCHEMA, schema
from innerpace.insights.gates import Level
from innerpace.insights.phrasing import CAVEAT, FORBIDDEN, SUPPORT_TEXT, num, signed

DOCS = Path(__file__).resolve().parents[2] / "docs" / "insights.md"
TODAY = date(2026, 12, 1)
TOP_KEYS = {
    "schema",
    "today",
    "runs_with_both",
    "gate",
    "caveat",
    "support_sentence",
    "lift",
    "missing",
    "rest",
    "during",
    "bad_days",
    "categories",
    "hunches",
    "resilience",
    "release",
    "themes",
    "wellbeing",
}
TOPICS = (
    "grief hospital mother ward nurse visit loss",
    "work deadline boss meeting email office report",
)


def journal(
    sim, n: int, seed: int = 1, *, rest: int = 20, low_who5: bool = False, duration: float = 0.0
):
    """A simulated journal with ``n`` runs, rest days, moments, reflections and WHO-5 answers."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(0.5, 1.5, n)
    pre = np.clip(np.round(mood + rng.normal(0, 0.8, n)), -5, 5)
    minutes = rng.uniform(25, 80, n)
    lift = 1.3 + duration * np.log2(minutes / 45)
    post = np.clip(np.round(mood + lift + rng.normal(0, 1.0, n)), -5, 5)
    company = [Company.WITH_OTHERS if i % 3 == 0 else Company.ALONE for i in range(n)]
    setting = [Setting.TREADMILL if i % 4 == 0 else Setting.TRAIL for i in range(n)]
    runs, checkins = sim.journal(pre, post, minutes=minutes, company=company, setting=setting)
    for i in range(rest):
        day = sim.start + timedelta(days=2 * i + 1)
        a = int(np.clip(round(rng.normal(0.5, 1.5)), -5, 5))
        b = int(np.clip(a + round(rng.normal(0, 1)), -5, 5))
        checkins.append(sim.checkin(day, CheckInKind.REST_FIRST, a))
        checkins.append(sim.checkin(day + timedelta(hours=1), CheckInKind.REST_SECOND, b))
    moments = [
        Moment(run_id=r.id, at_s=r.duration_s * 0.7, at_m=6000 + 100 * (i % 9), tags=("release",))
        for i, r in enumerate(runs)
        if i % 4 == 1
    ] + [Moment(run_id=r.id, at_s=300, tags=("struggle",)) for r in runs[::5]]
    reflections = []
    for i, r in enumerate(runs):
        if i % 2:
            words = rng.choice(TOPICS[i % 4 == 1].split(), 5)
            reflections.append(
                Reflection(text=" ".join(words), created=r.end + timedelta(hours=1), run_id=r.id)
            )
    items = (2, 2, 2, 2, 1) if low_who5 else (4, 3, 4, 3, 4)
    wellbeing = [sim.who5(sim.start + timedelta(days=7 * w), *items) for w in range(n // 3 + 2)]
    return runs, checkins, moments, reflections, wellbeing


def all_text(ins) -> str:
    return " ".join(ins.sentences())


@pytest.mark.parametrize(
    ("n", "level", "lift_status", "categories", "hunches"),
    [
        (5, Level.DIARY, "not-yet", "not-yet", "not-yet"),
        (9, Level.DIARY, "not-yet", "not-yet", "not-yet"),
        (10, Level.EARLY, "early", "not-yet", "not-yet"),
        (19, Level.EARLY, "early", "not-yet", "not-yet"),
        (20, Level.HEADLINE, "ready", "not-yet", "not-yet"),
        (39, Level.HEADLINE, "ready", "not-yet", "not-yet"),
        (40, Level.CATEGORIES, "ready", "ready", "not-yet"),
        (59, Level.CATEGORIES, "ready", "ready", "not-yet"),
        (60, Level.HUNCHES, "ready", "ready", "ready"),
    ],
)
def test_each_finding_opens_at_its_gate(sim, n, level, lift_status, categories, hunches):
    ins = build_insights(*journal(sim, n), today=TODAY)
    assert ins.gate.level == level
    assert ins.lift.status == lift_status
    assert ins.categories.status == categories
    assert ins.hunches.status == hunches
    if level == Level.DIARY:
        assert ins.lift.sentences == (ins.gate.message,)
        assert f"{10 - n} more run" in ins.gate.message
    if level == Level.EARLY:
        assert ins.lift.sentences[0].startswith(f"An early read from your {n} runs")
        assert "a range that narrows as runs come in" in ins.lift.sentences[0]
    if level >= Level.HEADLINE:
        assert ins.lift.sentences[0].startswith(f"In your last {n} runs you felt on average")


@pytest.mark.parametrize("n", [0, 3, 12, 25, 45, 70])
@pytest.mark.parametrize("low", [False, True])
def test_no_sentence_uses_a_forbidden_word(sim, n, low):
    ins = build_insights(*journal(sim, n, seed=n, low_who5=low), today=TODAY)
    text = all_text(ins).lower()
    everything = json.dumps(ins.as_json(), ensure_ascii=False).lower()
    for word in FORBIDDEN:
        assert word not in text
        assert word not in everything
    assert ins.sentences()[-1] == CAVEAT


def test_the_lift_sentence_carries_the_numbers_of_the_json(sim):
    out = build_insights(*journal(sim, 45, seed=4), today=TODAY).as_json()
    lift = out["lift"]["numbers"]
    first = out["lift"]["sentences"][0]
    expected = (
        f"In your last {lift['n']} runs you felt on average {num(abs(lift['mean']))} points "
        f"better afterwards (on −5…+5), likely between {num(lift['interval']['low'])} and "
        f"{num(lift['interval']['high'])}; {lift['n_better']} of {lift['n']} ended better than "
        f"they began, {lift['n_same']} the same and {lift['n_worse']} lower."
    )
    assert first == expected
    assert lift["n_better"] + lift["n_same"] + lift["n_worse"] == lift["n"]
    assert f"({num(lift['mid'])} point" in " ".join(out["lift"]["sentences"]) or lift[
        "position"
    ] in ("unclear", "lower")
    details = " ".join(out["lift"]["details"])
    assert "half-cosine" in details and f"{num(lift['n_eff'], 0)} independent runs" in details


def test_every_number_in_a_sentence_is_in_the_json(sim):
    out = build_insights(*journal(sim, 70, seed=9, duration=1.5), today=TODAY).as_json()
    assert out["hunches"]["numbers"]["records"]
    rest = out["rest"]["numbers"]
    sentence = out["rest"]["sentences"][0]
    assert signed(rest["mean_rest"]) in sentence
    assert signed(rest["difference"]) in sentence
    assert f"between {num(rest['interval']['low'])} and {num(rest['interval']['high'])}" in sentence
    comparisons = out["categories"]["numbers"]["comparisons"]
    for comparison, sentence, detail in zip(
        comparisons, out["categories"]["sentences"], out["categories"]["details"], strict=True
    ):
        assert f"between {num(comparison['low'], 2)} and {num(comparison['high'], 2)}" in detail
        assert f"{comparison['n_level']} and {comparison['n_reference']} runs" in sentence
        assert "clear" not in sentence
    rows = {r["name"]: r for r in out["hunches"]["numbers"]["fit"]["rows"]}
    details = " ".join(out["hunches"]["details"])
    for record in out["hunches"]["numbers"]["records"]:
        row = rows[record["predictor"]]
        assert signed(row["effect"], 2) in details
        assert f"between {num(row['low'], 2)} and {num(row['high'], 2)}" in details
    res = out["resilience"]["numbers"]
    assert f"{res['n_low']} times" in out["resilience"]["sentences"][0]
    assert f"{res['n_better']} of those runs" in out["resilience"]["sentences"][0]


def _keys(shape, into: set[str]) -> set[str]:
    if isinstance(shape, dict):
        for key, value in shape.items():
            into.add(key)
            _keys(value, into)
    elif isinstance(shape, list):
        for value in shape:
            _keys(value, into)
    return into


def _fits(value, shape) -> bool:
    """Every key of ``value`` is one the schema describes."""
    if isinstance(value, dict):
        return isinstance(shape, dict) and all(
            k in shape and _fits(v, shape[k]) for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_fits(v, shape[0] if isinstance(shape, list) else shape) for v in value)
    return True


def test_the_json_is_stable_and_follows_its_documented_schema(sim):
    args = journal(sim, 65, seed=2)
    first = build_insights(*args, today=TODAY).as_json()
    assert first == build_insights(*args, today=TODAY).as_json()
    assert set(first) == TOP_KEYS
    assert first["schema"] == SCHEMA == 2
    text = json.dumps(first, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == first
    shape = schema()
    assert set(shape) == TOP_KEYS
    assert _fits(first, shape)
    docs = DOCS.read_text("utf-8")
    missing = sorted(k for k in _keys(shape, set()) if f"`{k}`" not in docs)
    assert missing == []


def test_the_tree_is_frozen(sim):
    ins = build_insights(*journal(sim, 25), today=TODAY)
    with pytest.raises(FrozenInstanceError):
        ins.lift = None  # type: ignore[misc]


def test_hunches_remember_when_they_were_first_seen(sim):
    args = journal(sim, 70, seed=9, duration=1.5)
    stored = (
        HunchRecord("duration", 50, date(2026, 6, 1), 1, "new"),
        HunchRecord("morning", 40, date(2026, 5, 1), 1, "faded"),
    )
    ins = build_insights(*args, today=TODAY, hunches=stored)
    records = {r.predictor: r for r in ins.hunches.numbers.records}
    assert records["duration"].status in ("confirmed", "faded")
    assert records["duration"].first_seen == date(2026, 6, 1)
    assert "morning" not in records or records["morning"].status == "new"
    text = " ".join(ins.hunches.sentences)
    if records["duration"].status == "confirmed":
        assert "It held when checked on the runs after you first saw it on 2026-06-01." in text
    again = build_insights(*args, today=TODAY, hunches=ins.hunches.numbers.records)
    assert again.hunches.numbers.records == tuple(
        r for r in ins.hunches.numbers.records if r.status != "faded"
    ) or all(r.status != "faded" for r in ins.hunches.numbers.records)


def test_the_support_card_comes_with_low_well_being_and_speaks_of_help_not_running(sim):
    low = build_insights(*journal(sim, 30, low_who5=True), today=TODAY)
    assert low.wellbeing.numbers.support.level == "prominent"
    assert low.support_sentence == SUPPORT_TEXT
    assert "run" not in SUPPORT_TEXT.lower()
    fine = build_insights(*journal(sim, 30), today=TODAY)
    assert fine.support_sentence is None
    assert fine.as_json()["wellbeing"]["numbers"]["support"]["level"] == "none"


def test_an_empty_journal_is_a_calm_diary(sim):
    ins = build_insights([], [], [], [], [], today=TODAY)
    assert ins.gate.level == Level.DIARY
    assert "10 more runs" in ins.gate.message
    assert ins.as_json()["lift"]["numbers"] is None
    assert ins.as_json()["wellbeing"]["numbers"]["latest"] is None


def test_the_demo_year_reads_as_honest_plain_language():
    demo = pytest.importorskip("innerpace.demo")
    year = demo.generate(7, end=date(2026, 11, 1), runs=150)
    runs = [r.with_id(i) for i, r in enumerate(year.runs)]
    checkins = [replace(c.item, run_id=c.run_index) for c in year.checkins]
    checkins += list(year.rest_checkins)
    moments = [replace(m.item, run_id=m.run_index) for m in year.moments]
    reflections = [replace(r.item, run_id=r.run_index) for r in year.run_reflections]
    reflections += list(year.day_reflections)
    ins = build_insights(runs, checkins, moments, reflections, year.wellbeing, today=year.last)
    assert ins.gate.level == Level.HUNCHES
    assert ins.lift.status == "ready" and ins.lift.numbers.mean > 0
    assert ins.rest.numbers is not None and ins.rest.numbers.interval is not None
    assert ins.release.status == "ready" and ins.themes.status == "ready"
    text = all_text(ins)
    assert re.search(r"In your last \d+ runs you felt on average \d\.\d points? better", text)
    for word in FORBIDDEN:
        assert word not in text.lower()
    for sentence in ins.sentences():
        assert sentence[0].isupper() or sentence[0].isdigit()
        assert sentence.endswith(".")
        assert "nan" not in sentence.split() and "None" not in sentence


@pytest.mark.parametrize(("dropped", "worrying"), [(3, False), (9, True)])
def test_runs_without_an_after_check_in_are_said_and_above_one_in_five_the_risk(
    sim, dropped, worrying
):
    runs, checkins, *rest = journal(sim, 30, seed=6)
    gone = {r.id for r in runs[:dropped]}
    kept = [c for c in checkins if not (c.run_id in gone and c.kind == CheckInKind.AFTER)]
    found = build_insights(runs, kept, *rest, today=TODAY)
    first = found.missing.sentences[0]
    assert first.startswith(f"{dropped} of 30 runs with a check-in before have no check-in after")
    assert found.missing.numbers.worrying is worrying
    assert (len(found.missing.sentences) == 2) is worrying
    assert found.lift.numbers.n == 30 - dropped


def test_identical_changes_are_said_plainly_without_a_range(sim):
    runs, checkins = sim.journal([1] * 12, [2] * 12)
    found = build_insights(runs, checkins, [], [], [], today=TODAY)
    assert found.lift.sentences == (
        "All 12 runs changed by exactly +1 point from before to after, so there is no range to "
        "give yet; it appears once your runs differ.",
    )
    assert found.as_json()["lift"]["numbers"]["interval"] is None


def test_a_p_value_too_small_to_print_is_said_as_below_the_last_digit():
    from innerpace.insights.phrasing import p_words

    assert p_words(0.02134) == f"p = {num(0.02134, 4)}"
    assert p_words(0.00003) == "p < 0.0001"
    assert p_words(0.0) == "p < 0.0001"


def test_what_is_not_there_yet_says_what_will_appear_and_when(sim):
    ins = build_insights(*journal(sim, 14, seed=4), today=TODAY)
    assert ins.hunches.sentences == (
        "Hunches about what goes with a bigger lift (longer runs, the time of day, …) appear "
        "after 46 more runs with a check-in before and after.",
    )
    assert ins.categories.sentences[0].startswith("Comparisons such as alone or with others")
    assert "after 26 more runs" in ins.categories.sentences[0]
    assert ins.bad_days.sentences[0].startswith("Runs that begin low can be set beside rest")
    assert "after 6 more runs" in ins.bad_days.sentences[0]


def test_the_rest_day_comparison_keeps_its_figures_under_how_sure(sim):
    ins = build_insights(*journal(sim, 40, seed=5, rest=12), today=TODAY)
    numbers = ins.rest.numbers
    assert numbers.interval is not None and numbers.df >= 1
    (line,) = ins.rest.details
    assert f"Student's t with {numbers.df} degrees of freedom" in line
    assert f"over {numbers.n_rest} rest days" in line
