"""WHO-5 over months and the support card: calm, never blocking."""

from datetime import timedelta

import pytest

from innerpace.domain import Run
from innerpace.insights.wellbeing import Support, support_card, wellbeing, who5_scores


def card(sim, *answers):
    checks = [sim.who5(sim.start + timedelta(days=7 * i), *a) for i, a in enumerate(answers)]
    return support_card(who5_scores(checks))


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ([(4, 4, 4, 4, 4)], Support.NONE),  # 80
        ([(3, 3, 3, 3, 3)], Support.NONE),  # 60
        ([(3, 3, 2, 2, 2)], Support.CALM),  # 48 ≤ 50
        ([(3, 3, 3, 3, 1)], Support.CALM),  # 52 but one item at 1
        ([(4, 4, 4, 4, 0)], Support.CALM),  # 64 but one item at 0
        ([(2, 1, 1, 1, 2)], Support.PROMINENT),  # 28
        ([(3, 3, 2, 2, 2), (3, 2, 2, 2, 3)], Support.PROMINENT),  # two lows in a row
        ([(4, 4, 4, 4, 4), (3, 3, 3, 3, 4)], Support.PROMINENT),  # 80 → 64: a drop of 16
        ([(3, 3, 3, 3, 3), (3, 3, 3, 3, 2)], Support.NONE),  # 60 → 56: a small change
        ([(3, 3, 2, 2, 2), (4, 4, 4, 4, 4)], Support.NONE),  # recovered
    ],
)
def test_the_support_card_rule(sim, answers, level):
    assert card(sim, *answers).level == level


def test_no_answers_no_card():
    assert support_card(()).level == Support.NONE


def test_the_reasons_are_named(sim):
    assert set(card(sim, (3, 3, 2, 2, 2), (1, 1, 1, 1, 1)).reasons) == {
        "very-low",
        "two-lows",
        "drop",
    }


def test_months_carry_the_mean_score_the_marked_changes_and_the_runs(sim):
    weeks = [(4, 4, 4, 4, 4)] * 4 + [(3, 3, 3, 2, 2)] * 4 + [(3, 3, 3, 3, 3)] * 4
    first = sim.start.replace(day=1)
    days = [first.replace(month=1 + i // 4, day=1 + 7 * (i % 4)) for i in range(12)]
    checks = [sim.who5(day, *a) for day, a in zip(days, weeks, strict=True)]
    runs = [Run(start=first + timedelta(days=3 * i), duration_s=1800) for i in range(30)]
    result = wellbeing(checks, runs)
    months = {m.month: m for m in result.months}
    assert [m.month for m in result.months] == ["2026-01", "2026-02", "2026-03"]
    assert sum(m.runs for m in result.months) == 30
    assert months["2026-01"].who5 == 80 and months["2026-01"].change is None
    assert months["2026-02"].marked and months["2026-02"].change < -10
    assert result.latest.score == 60


def test_only_the_last_twelve_months_of_changes_are_told():
    from innerpace.insights.phrasing import wellbeing_sentences
    from innerpace.insights.wellbeing import Month

    months = tuple(
        Month(f"{2020 + i // 12}-{i % 12 + 1:02d}", 40.0 + 12 * (i % 2), 4, 10, 12.0, True)
        for i in range(30)
    )
    told = [s for s in wellbeing_sentences(months) if "worth noticing" in s]
    assert len(told) == 12
    assert "July 2021" in told[0] and "June 2022" in told[-1]
    assert "June 2021" not in " ".join(told)
