"""Validated scales as data in the package: id, version, items, range, anchors, scoring."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from innerpace.domain.feelings import Response
from innerpace.instruments.model import DIRECTIONS, SCORINGS, Instrument, InvalidAnswer, Item

__all__ = [
    "Instrument",
    "InvalidAnswer",
    "Item",
    "all_instruments",
    "get_instrument",
    "score",
]


def _parse(name: str, data: dict) -> Instrument:
    def need(key: str) -> Any:  # TOML values: checked where they are used
        if key not in data:
            raise ValueError(f"instrument file {name}: missing field {key!r}")
        return data[key]

    shared = data.get("anchors", {})
    items = []
    for raw in need("items"):
        anchors = raw.get("anchors", shared)
        items.append(
            Item(
                id=raw["id"],
                text=raw["text"],
                min=float(raw["min"]),
                max=float(raw["max"]),
                anchors=tuple(sorted((float(k), v) for k, v in anchors.items())),
                subscale=raw.get("subscale"),
            )
        )
    scoring, direction = str(need("scoring")), str(need("direction"))
    if scoring not in SCORINGS:
        raise ValueError(f"instrument file {name}: unknown scoring {scoring!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"instrument file {name}: unknown direction {direction!r}")
    return Instrument(
        id=str(need("id")),
        version=str(need("version")),
        title=str(need("title")),
        short=str(data.get("short", data["title"])),
        citation=str(data.get("citation", "")),
        direction=direction,
        scoring=scoring,
        items=tuple(items),
        preamble=data.get("preamble"),
    )


@cache
def _catalogue() -> dict[tuple[str, str], Instrument]:
    found: dict[tuple[str, str], Instrument] = {}
    folder = resources.files("innerpace.instruments") / "definitions"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            instrument = _parse(entry.name, tomllib.loads(entry.read_text("utf-8")))
            found[(instrument.id, instrument.version)] = instrument
    return found


def all_instruments() -> list[Instrument]:
    """Every shipped instrument, newest version last."""
    return list(_catalogue().values())


def get_instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """The instrument ``instrument_id`` at ``version`` (default: its newest)."""
    matches = [i for (iid, _), i in _catalogue().items() if iid == instrument_id]
    if version is not None:
        matches = [i for i in matches if i.version == version]
    if not matches:
        raise InvalidAnswer(f"no instrument {instrument_id!r} version {version or 'any'}")
    return max(matches, key=lambda i: int(i.version) if i.version.isdigit() else 0)


def score(response: Response) -> float:
    """Score a stored response with the definition it names."""
    return get_instrument(response.instrument_id, response.instrument_version).score(response)
