import pytest

from innerpace.domain import Response
from innerpace.instruments import InvalidAnswer, all_instruments, get_instrument, score


def test_the_three_foundation_instruments_ship_as_data():
    ids = {i.id for i in all_instruments()}
    assert {"fs", "fas", "who5"} <= ids


def test_feeling_scale_matches_its_published_anchors():
    fs = get_instrument("fs")
    item = fs.items[0]
    assert (item.min, item.max) == (-5, 5)
    assert item.anchor(-5) == "very bad"
    assert item.anchor(0) == "neutral"
    assert item.anchor(3) == "good"
    assert item.anchor(2) is None  # even numbers are unlabelled
    assert fs.direction == "higher-is-better"


def test_felt_arousal_runs_from_one_to_six():
    item = get_instrument("fas").items[0]
    assert (item.min, item.max) == (1, 6)
    assert item.anchor(1) == "low arousal"


def test_who5_scores_zero_to_one_hundred():
    who5 = get_instrument("who5")
    assert len(who5.items) == 5
    full = who5.response({i.id: 5 for i in who5.items})
    none = who5.response({i.id: 0 for i in who5.items})
    assert score(full) == 100
    assert score(none) == 0
    assert who5.items[0].anchor(5) == "all of the time"


def test_a_response_always_names_instrument_and_version():
    response = get_instrument("fs").response({"feeling": 3})
    assert response == Response("fs", "1", (("feeling", 3.0),))


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("fs", {"feeling": 6}, "from -5 to 5"),
        ("fs", {"feeling": 1.5}, "whole number"),
        ("fas", {"arousal": 0}, "from 1 to 6"),
        ("fs", {"mood": 1}, "no item"),
        ("who5", {"cheerful": 3}, "no answer for calm"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_the_reason(instrument, answers, message):
    with pytest.raises(InvalidAnswer, match=message):
        get_instrument(instrument).response(answers)


def test_a_response_is_scored_only_by_its_own_instrument():
    with pytest.raises(InvalidAnswer, match="not who5"):
        get_instrument("who5").score(Response("fs", "1", (("feeling", 1.0),)))


def test_the_efi_scores_four_subscales():
    efi = get_instrument("efi")
    assert len(efi.items) == 12
    answers = {item.id: 0 for item in efi.items}
    answers.update({"calm": 4, "relaxed": 3, "peaceful": 2, "tired": 1})
    scores = efi.subscales(efi.response(answers))
    assert scores == {
        "revitalization": 0,
        "tranquility": 3,
        "positive-engagement": 0,
        "physical-exhaustion": pytest.approx(1 / 3),
    }
    assert efi.items[0].anchor(4) == "feel very strongly"
    with pytest.raises(InvalidAnswer, match="per subscale"):
        efi.score(efi.response(answers))
