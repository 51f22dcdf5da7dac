"""The reviewed words: user-facing sentences that belong to no single template.

``text("checkin.saved_after")`` looks a sentence up by its dotted key and fills its
``{placeholders}``; every placeholder must be given, and nothing else.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from importlib import resources

__all__ = [
    "REQUIRED_KEYS",
    "MissingValue",
    "UnknownMessage",
    "keys",
    "placeholders",
    "runs_to_go",
    "text",
]

# Keys other parts of innerpace rely on; a test makes sure each one exists.
REQUIRED_KEYS = (
    "checkin.saved_before",
    "checkin.saved_after",
    "checkin.saved_rest",
    "moment.saved",
    "reflection.saved",
    "reflection.draft_restored",
    "wellbeing.saved",
    "support.calm_title",
    "support.calm_body",
    "support.prominent_title",
    "support.prominent_body",
    "support.screening_note",
    "support.emergency",
    "empty.journal",
    "not_yet.one_more",
    "not_yet.more_runs",
    "quiet.hint",
    "privacy.local",
)


class UnknownMessage(LookupError):
    """No message has this key."""


class MissingValue(ValueError):
    """A placeholder was left unfilled, or a value was given that the message does not use."""


def _flatten(prefix: str, table: dict, into: dict[str, str]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            _flatten(key, value, into)
        elif isinstance(value, str):
            into[key] = value.strip()
        else:
            raise ValueError(f"message {key!r} is not text")


def _fields(key: str, template: str) -> frozenset[str]:
    names = set()
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"message {key!r}: placeholder {{{field}}} must be a plain name")
        names.add(field)
    return frozenset(names)


@cache
def _messages() -> dict[str, tuple[str, frozenset[str]]]:
    source = resources.files("innerpace.words") / "messages.toml"
    flat: dict[str, str] = {}
    _flatten("", tomllib.loads(source.read_text("utf-8")), flat)
    return {key: (template, _fields(key, template)) for key, template in flat.items()}


def keys() -> list[str]:
    """Every message key, sorted."""
    return sorted(_messages())


def placeholders(key: str) -> frozenset[str]:
    """The names a message needs filled."""
    return _lookup(key)[1]


def _lookup(key: str) -> tuple[str, frozenset[str]]:
    try:
        return _messages()[key]
    except KeyError:
        raise UnknownMessage(f"no message {key!r}") from None


def text(key: str, **values: object) -> str:
    """The message ``key`` with its placeholders filled from ``values``."""
    template, needed = _lookup(key)
    missing = needed - values.keys()
    extra = values.keys() - needed
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {sorted(missing)}")
        if extra:
            parts.append(f"unused {sorted(extra)}")
        raise MissingValue(f"message {key!r}: {', '.join(parts)}")
    return template.format(**values) if needed else template


def runs_to_go(n: int) -> str:
    """The gentle "not enough yet" line for ``n`` more runs (``n`` ≥ 1)."""
    if n < 1:
        raise ValueError("runs_to_go needs at least one run to go")
    return text("not_yet.one_more") if n == 1 else text("not_yet.more_runs", n=n)
