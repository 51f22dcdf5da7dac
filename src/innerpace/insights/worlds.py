"""Simulated journals with a known truth: the worlds every insight method is checked in.

Feelings on whole points, clipped to −5…+5, unless said; a lift of +1.2 on average:

- ``iid``: continuous changes, independent (the textbook case).
- ``clipped``: whole points, independent lift.
- ``ar03`` / ``ar06``: the run's own lift drifts as AR(1) with correlation 0.3 / 0.6.
- ``drift``: a slow drift (AR(1) 0.9) in the lift plus check-in noise.
- ``t3``: check-in noise with t(3) tails.
- ``ceiling``: moods around +2.5, so the top of the scale bites.
- ``mar``: ``ar03`` with 25% of after check-ins missing at random.
- ``mnar``: ``ar03`` with after check-ins missing more often after bad runs.

The truth is the mean change over the whole population of runs (missing ones included), worked
out from a million draws of the same world. Used by ``simulate.py`` (the lift's range) and
``simulate_hunches.py`` (hunches and low days); nothing here is used by the app itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from innerpace.insights.noise import ar1, fs

WORLDS = ("iid", "clipped", "ar03", "ar06", "drift", "t3", "ceiling", "mar", "mnar")
LIFT = 1.2


@dataclass(frozen=True)
class Journals:
    """``d`` per simulated person and run; ``observed`` says which after check-ins exist."""

    pre: np.ndarray
    d: np.ndarray
    observed: np.ndarray
    expected: np.ndarray  # each run's expected change given its mood and lift (noise averaged)


def _noise(world: str, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    if world == "t3":
        return rng.standard_t(3, shape) * 0.6
    return rng.normal(0, 0.8, shape)


def _change(world: str, mood: np.ndarray, lift: np.ndarray, rng: np.random.Generator):
    pre_c = mood + _noise(world, rng, mood.shape)
    post_c = mood + lift + _noise(world, rng, mood.shape)
    if world == "iid":
        return pre_c, post_c - pre_c
    pre = fs(pre_c)
    return pre, fs(post_c) - pre


def journals(
    world: str, rng: np.random.Generator, sims: int, n: int, *, expected: bool = False
) -> Journals:
    """``sims`` people with ``n`` runs each in ``world`` (see the module notes)."""
    mood_mean = 2.5 if world == "ceiling" else 0.0
    mood = mood_mean + ar1(rng, sims, n, 0.3, 1.5)
    phi = {"ar06": 0.6, "drift": 0.9, "iid": 0.0, "clipped": 0.0}.get(world, 0.3)
    lift_sd = 0.6 if world == "drift" else 0.8
    lift = LIFT + ar1(rng, sims, n, phi, lift_sd)
    pre, d = _change(world, mood, lift, rng)
    mean_d = np.zeros_like(d)
    if expected:  # the check-in noise averaged out, run by run
        draws = 40
        for _ in range(draws):
            mean_d += _change(world, mood, lift, rng)[1] / draws
    return Journals(pre, d, after_kept(world, rng, d), mean_d)


def after_kept(world: str, rng: np.random.Generator, d: np.ndarray) -> np.ndarray:
    """Which runs keep their after check-in, given their changes ``d``: all, 75% at random
    (``mar``), or fewer after bad runs (``mnar``)."""
    if world == "mar":
        return rng.random(d.shape) >= 0.25
    if world == "mnar":
        p_missing = 1 / (1 + np.exp(-(-1.2 - 1.2 * (d - LIFT))))
        return rng.random(d.shape) >= p_missing
    return np.ones_like(d, dtype=bool)


_TRUTH: dict[str, float] = {}


def truth(world: str) -> float:
    """The population mean change in ``world`` (a million runs, seeded)."""
    if world not in _TRUTH:
        big = journals(world, np.random.default_rng(12345), 50_000, 20)
        _TRUTH[world] = float(big.d.mean())
    return _TRUTH[world]
