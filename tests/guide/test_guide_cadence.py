import math

from innerpace.guide import median_cadence


def test_median_of_recent_runs():
    assert median_cadence([170.0, 164.0, 176.0]) == 170.0
    assert median_cadence([160, 170]) == 165.0


def test_missing_and_implausible_values_are_ignored():
    values = [None, math.nan, math.inf, 0.0, 85.0, 400.0, True, 172.0, 168.0]
    assert median_cadence(values) == 170.0


def test_nothing_usable_gives_none():
    assert median_cadence([]) is None
    assert median_cadence([None, 80.0, -5.0]) is None
