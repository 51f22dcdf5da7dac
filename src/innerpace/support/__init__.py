"""Support contacts: offline data keyed by country, each checked against an official page.

Shown beside the well-being card. Nothing here is looked up at runtime; the data ships with the
package and carries the date it was last checked, so stale numbers are caught by a test.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from innerpace.words import text

__all__ = [
    "HOW",
    "LEVELS",
    "MAX_AGE",
    "Contact",
    "SupportCard",
    "card",
    "contacts_for",
    "countries",
    "fallback_text",
    "is_stale",
    "last_verified",
]

HOW = ("call", "text", "chat")
LEVELS = ("calm", "prominent")
MAX_AGE = timedelta(days=365)
_ALIASES = {"UK": "GB"}  # the name people use, mapped to the ISO code


@dataclass(frozen=True, slots=True)
class Contact:
    country: str
    name: str
    how: tuple[str, ...]
    number: str
    hours: str | None
    source: str
    last_verified: date


@dataclass(frozen=True, slots=True)
class _Catalogue:
    fallback: str
    by_country: dict[str, tuple[Contact, ...]]
    verified: dict[str, date]


def _parse_country(code: str, block: dict) -> tuple[date, tuple[Contact, ...]]:
    verified = block["last_verified"]
    if not isinstance(verified, date):
        raise ValueError(f"support contacts {code}: last_verified must be a date")
    contacts = []
    for raw in block["contacts"]:
        how = tuple(raw["how"])
        if not how or any(h not in HOW for h in how):
            raise ValueError(f"support contacts {code}: unknown way to reach {how}")
        contacts.append(
            Contact(
                country=code,
                name=str(raw["name"]),
                how=how,
                number=str(raw["number"]),
                hours=raw.get("hours"),
                source=str(raw["source"]),
                last_verified=verified,
            )
        )
    return verified, tuple(contacts)


@cache
def _catalogue() -> _Catalogue:
    source = resources.files("innerpace.support") / "contacts.toml"
    data = tomllib.loads(source.read_text("utf-8"))
    by_country: dict[str, tuple[Contact, ...]] = {}
    verified: dict[str, date] = {}
    for code, block in data["countries"].items():
        verified[code], by_country[code] = _parse_country(code, block)
    return _Catalogue(fallback=str(data["fallback"]), by_country=by_country, verified=verified)


def _code(country: str | None) -> str | None:
    if country is None or not country.strip():
        return None
    code = country.strip().upper()
    return _ALIASES.get(code, code)


def countries() -> list[str]:
    """ISO codes of every country with support contacts, sorted."""
    return sorted(_catalogue().by_country)


def contacts_for(country: str | None) -> list[Contact]:
    """The contacts for ``country`` (an ISO code, any case); empty when none are shipped."""
    code = _code(country)
    if code is None:
        return []
    return list(_catalogue().by_country.get(code, ()))


def last_verified(country: str) -> date | None:
    """When the contacts for ``country`` were last checked against their sources."""
    code = _code(country)
    return _catalogue().verified.get(code) if code else None


def fallback_text() -> str:
    """The line shown always, and alone where no contacts are shipped."""
    return _catalogue().fallback


def is_stale(today: date) -> list[str]:
    """Countries whose contacts were last checked more than a year before ``today``."""
    return sorted(code for code, when in _catalogue().verified.items() if today - when > MAX_AGE)


@dataclass(frozen=True, slots=True)
class SupportCard:
    """The well-being card: never blocking, shown calmly or prominently."""

    level: str
    title: str
    body: str
    note: str
    emergency: str
    contacts_heading: str | None
    contacts: tuple[Contact, ...]
    no_contacts: str | None

    @property
    def prominent(self) -> bool:
        return self.level == "prominent"


def card(level: str, country: str | None = None) -> SupportCard:
    """The card's words for ``level`` (calm or prominent); the prominent one lists contacts."""
    if level not in LEVELS:
        raise ValueError(f"unknown card level {level!r}; expected calm or prominent")
    contacts = tuple(contacts_for(country)) if level == "prominent" else ()
    missing = (
        text("support.no_contacts_for_country") if level == "prominent" and not contacts else None
    )
    return SupportCard(
        level=level,
        title=text(f"support.{level}_title"),
        body=text(f"support.{level}_body"),
        note=text("support.screening_note"),
        emergency=fallback_text(),
        contacts_heading=text("support.prominent_contacts_heading")
        if level == "prominent"
        else None,
        contacts=contacts,
        no_contacts=missing,
    )
