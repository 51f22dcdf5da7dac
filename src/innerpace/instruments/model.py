"""Instrument definitions: validated scales as data, with their scoring rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from innerpace.domain.feelings import Response
from innerpace.words import text

SCORINGS = ("raw", "sum-times-4", "mean", "subscale-means")
DIRECTIONS = ("higher-is-better", "lower-is-better", "neutral")


class InvalidAnswer(ValueError):
    """An answer that does not fit its instrument (unknown item, out of range)."""


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    min: float
    max: float
    anchors: tuple[tuple[float, str], ...]
    subscale: str | None = None

    def anchor(self, value: float) -> str | None:
        for key, label in self.anchors:
            if key == value:
                return label
        return None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(int(self.min), int(self.max) + 1))


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    version: str
    title: str
    short: str
    citation: str
    direction: str
    scoring: str
    items: tuple[Item, ...]
    preamble: str | None = None

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise InvalidAnswer(text("instruments.no_item", instrument=self.id, item=repr(item_id)))

    def response(self, answers: Mapping[str, float]) -> Response:
        """A validated :class:`Response` for ``answers`` (item id → value)."""
        for item_id, value in answers.items():
            item = self.item(item_id)
            if not item.min <= value <= item.max or value != int(value):
                raise InvalidAnswer(
                    text(
                        "instruments.out_of_range",
                        title=self.title,
                        item=item_id,
                        low=f"{item.min:g}",
                        high=f"{item.max:g}",
                        given=f"{value:g}",
                    )
                )
        missing = [item.id for item in self.items if item.id not in answers]
        if missing:
            raise InvalidAnswer(
                text("instruments.missing", title=self.title, items=", ".join(missing))
            )
        ordered = tuple((item.id, float(answers[item.id])) for item in self.items)
        return Response(self.id, self.version, ordered)

    def score(self, response: Response) -> float:
        """The instrument's score for a response (raw single item, WHO-5 0–100, or a mean)."""
        if (response.instrument_id, response.instrument_version) != (self.id, self.version):
            raise InvalidAnswer(
                text(
                    "instruments.other_version",
                    given=f"{response.instrument_id} v{response.instrument_version}",
                    expected=f"{self.id} v{self.version}",
                )
            )
        values = [value for _, value in response.answers]
        if self.scoring == "subscale-means":
            raise InvalidAnswer(text("instruments.per_subscale", title=self.title))
        if self.scoring == "raw":
            return values[0]
        if self.scoring == "sum-times-4":
            return sum(values) * 4
        return sum(values) / len(values)

    def subscales(self, response: Response) -> dict[str, float]:
        """Subscale means (e.g. the EFI's revitalization, tranquility, …), in item order."""
        groups: dict[str, list[float]] = {}
        for item_id, value in response.answers:
            name = self.item(item_id).subscale
            if name is not None:
                groups.setdefault(name, []).append(value)
        return {name: sum(values) / len(values) for name, values in groups.items()}
