"""Apple Health's workout types by sport, read from ``sports.toml``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from innerpace.domain import Sport


@cache
def sports() -> dict[str, Sport]:
    with resources.files(__package__).joinpath("sports.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {name: Sport(sport) for sport, names in data.items() for name in names}


def sport_of(kind: str) -> Sport:
    """The sport of a workout type such as ``Running`` (prefix already removed)."""
    return sports().get(kind, Sport.OTHER)
