"""Simulated feelings: persistent noise, and whole Feeling Scale points (for the simulations)."""

from __future__ import annotations

import math

import numpy as np


def ar1(rng: np.random.Generator, sims: int, n: int, phi: float, sd: float) -> np.ndarray:
    """``sims`` stationary AR(1) series of length ``n`` (lag-1 correlation ``phi``, sd ``sd``)."""
    out = np.empty((sims, n))
    out[:, 0] = rng.normal(0, sd, sims)
    if n > 1:
        shocks = rng.normal(0, sd * math.sqrt(1 - phi * phi), (sims, n))
        for t in range(1, n):
            out[:, t] = phi * out[:, t - 1] + shocks[:, t]
    return out


def fs(x: np.ndarray) -> np.ndarray:
    """Continuous feelings onto the Feeling Scale's whole points, −5…+5."""
    return np.clip(np.round(x), -5, 5)
