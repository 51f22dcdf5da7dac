"""The insights as a frozen tree: every finding carries its numbers and its sentences.

One generic serialiser (:func:`plain`) turns the tree into JSON, field by field, the way
``dataclasses.asdict`` would, with numbers rounded (3 decimals unless a field says otherwise in
its metadata) and a describable schema (:func:`schema`). :meth:`Insights.as_json` is the stable
contract the CLI and web app read (schema 2, see docs/insights.md).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from innerpace.insights.gates import Gate

SCHEMA = 2
READY, EARLY, NOT_YET = "ready", "early", "not-yet"
DIGITS = 3


def digits(n: int) -> dict[str, int]:
    """Field metadata: round this number to ``n`` decimals in the JSON."""
    return {"digits": n}


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: its ``status``, its plain ``sentences`` (the first in everyday words), the
    technical lines for "How sure is this?" (``details``) and its ``numbers`` (a dataclass)."""

    status: str
    sentences: tuple[str, ...]
    numbers: Any = None
    details: tuple[str, ...] = ()


FINDINGS = (
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
)


@dataclass(frozen=True, slots=True)
class Insights:
    today: date
    gate: Gate
    caveat: str
    lift: Finding
    missing: Finding
    rest: Finding
    during: Finding
    bad_days: Finding
    categories: Finding
    hunches: Finding
    resilience: Finding
    release: Finding
    themes: Finding
    wellbeing: Finding
    support_sentence: str | None = None

    def findings(self) -> tuple[tuple[str, Finding], ...]:
        return tuple((name, getattr(self, name)) for name in FINDINGS)

    def sentences(self) -> tuple[str, ...]:
        """The sentences of every finding that has something to say, in reading order.

        The gate message comes first and the caveat last; each finding's own "not yet" words
        stay on the finding.
        """
        out = [self.gate.message]
        for _, finding in self.findings():
            if finding.status != NOT_YET:
                out.extend(finding.sentences)
        if self.support_sentence:
            out.append(self.support_sentence)
        out.append(self.caveat)
        return tuple(out)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict; keys are documented in docs/insights.md (schema 2)."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "today": self.today.isoformat(),
            "runs_with_both": self.gate.runs,
            "gate": plain(self.gate),
            "caveat": self.caveat,
            "support_sentence": self.support_sentence,
        }
        for name, finding in self.findings():
            out[name] = plain(finding)
        return out


def _round(value: float, places: int) -> float | None:
    if not math.isfinite(value):
        return None
    return round(float(value), places)


def plain(value: Any, places: int = DIGITS) -> Any:
    """Any part of the tree as plain JSON values: dataclasses field by field (plus the names in
    a class's ``JSON_EXTRA``), enums by value, dates in ISO form, NumPy scalars unwrapped, floats
    rounded to their field's ``digits`` (3 unless said), NaN and infinity as null."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return value.name.lower() if isinstance(value.value, int) else value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            out[f.name] = plain(getattr(value, f.name), f.metadata.get("digits", DIGITS))
        for name in getattr(type(value), "JSON_EXTRA", ()):
            out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): plain(v, places) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, places) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # a NumPy scalar
        return plain(value.item(), places)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _round(value, places)
    raise TypeError(f"cannot turn {type(value).__name__} into JSON")


def _describe(tp: Any) -> Any:
    """The JSON shape of a type hint: a dataclass as {field: shape}, lists as [shape]."""
    origin = typing.get_origin(tp)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return _describe(args[0]) if len(args) == 1 else "value"
    if origin in (tuple, list) or tp in (tuple, list):
        return [_describe(args[0])] if args else ["value"]
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        shape = {f.name: _describe(hints[f.name]) for f in dataclasses.fields(tp)}
        for name in getattr(tp, "JSON_EXTRA", ()):
            shape[name] = "value"
        return shape
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "string"
    if isinstance(tp, type) and issubclass(tp, bool):
        return "boolean"
    if isinstance(tp, type) and issubclass(tp, int | float):
        return "number"
    if isinstance(tp, type) and issubclass(tp, str | date | Enum):
        return "string"
    return "value"


NUMBERS_TYPES: dict[str, str] = {
    "lift": "innerpace.insights.lift:Lift",
    "missing": "innerpace.insights.lift:Missing",
    "rest": "innerpace.insights.lift:RestContrast",
    "during": "innerpace.insights.lift:During",
    "bad_days": "innerpace.insights.predictors:BadDays",
    "categories": "innerpace.insights.predictors:Categories",
    "hunches": "innerpace.insights.predictors:Hunches",
    "resilience": "innerpace.insights.resilience:Resilience",
    "release": "innerpace.insights.release:Release",
    "themes": "innerpace.insights.themes:Themes",
    "wellbeing": "innerpace.insights.wellbeing:Wellbeing",
}


def schema() -> dict[str, Any]:
    """The shape of :meth:`Insights.as_json`: every key, down to the numbers of each finding."""
    import importlib

    out: dict[str, Any] = {
        "schema": "number",
        "today": "string",
        "runs_with_both": "number",
        "gate": _describe(Gate),
        "caveat": "string",
        "support_sentence": "string",
    }
    for name in FINDINGS:
        module, cls = NUMBERS_TYPES[name].split(":")
        numbers = getattr(importlib.import_module(module), cls)
        out[name] = {
            "status": "string",
            "sentences": ["string"],
            "numbers": _describe(numbers),
            "details": ["string"],
        }
    return out
