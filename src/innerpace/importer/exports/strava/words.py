"""The words of a Strava export, in every language it is written in, read from data.

The vocabulary itself is TOML beside this module: ``headers.toml`` (column titles by
meaning, and whole header rows as Strava wrote them), ``sports.toml`` (activity types),
``titles.toml`` (the automatic titles Strava gives) and ``dates.toml`` (months, am/pm).
This module only reads it and compares words.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from innerpace.domain import Setting, Sport

#: A meaning whose title repeats, and what its second column means.
SECOND: dict[str, str] = {"distance": "distance_m"}
MAX_TITLE = 80  # longer titles are always the person's


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: for comparing words."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).replace("_", " ").split())


def _load(name: str) -> dict:
    with resources.files(__package__).joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


# -- column titles ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Headers:
    vocabulary: dict[str, str]  # normalised title -> meaning
    known: frozenset[str]  # every normalised title Strava is known to write
    english: frozenset[str]


@cache
def headers() -> Headers:
    data = _load("headers.toml")
    vocabulary = {
        normalize(title): meaning for meaning, titles in data["columns"].items() for title in titles
    }
    known = {normalize(t) for row in data["known"].values() for t in row} | set(vocabulary)
    english = {
        normalize(t) for key, row in data["known"].items() if key.startswith("en") for t in row
    }
    return Headers(vocabulary, frozenset(known), frozenset(english))


_TAG = re.compile(r"<[^>]*>")
_MISSING_KEY = re.compile(r"translation missing:\s*[\w-]+\.([\w.]+)", re.IGNORECASE)


def title_words(title: str) -> list[str]:
    """The normalised ways to read one column title.

    A title that is an untranslated HTML fragment (``<span class="translation_missing"
    title="translation missing: de.activities.private_note">Private Note</span>``) is read
    by its text and by the last part of its key.
    """
    readings = [normalize(title)]
    if "<" in title:
        key = _MISSING_KEY.search(title)
        if key:
            readings.append(normalize(key.group(1).rsplit(".", 1)[-1]))
        readings.append(normalize(html.unescape(_TAG.sub(" ", title))))
    return [r for r in readings if r]


def meaning_of(title: str) -> str | None:
    vocabulary = headers().vocabulary
    return next((vocabulary[r] for r in title_words(title) if r in vocabulary), None)


def is_known_title(title: str) -> bool:
    """A title Strava is known to write, in any language; its untranslated fragments too."""
    if _MISSING_KEY.search(title):
        return True
    known = headers().known
    return any(r in known for r in title_words(title))


def is_english_title(title: str) -> bool:
    return any(r in headers().english for r in title_words(title))


def columns_of(header: list[str]) -> dict[str, int]:
    """Column index by meaning for one header row."""
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        meaning = meaning_of(title)
        if meaning is None:
            continue
        if meaning not in found:
            found[meaning] = index
        elif meaning in SECOND and SECOND[meaning] not in found:
            found[SECOND[meaning]] = index
    return found


# -- activity types ----------------------------------------------------------------------------
@cache
def sport_words() -> dict[str, tuple[Sport, Setting]]:
    data = _load("sports.toml")
    words: dict[str, tuple[Sport, Setting]] = {}
    for sport, settings in data.items():
        for setting, entry in settings.items():
            for word in entry["words"]:
                words[normalize(word)] = (Sport(sport), Setting(setting))
    return words


def sport_of(text: str | None) -> tuple[Sport, Setting, str | None] | None:
    """The sport of Strava's type word in any of its languages; None when there is no word.
    A type not in the vocabulary is a sport of its own, kept by its word."""
    if not text or not text.strip():
        return None
    kind = sport_words().get(normalize(text))
    if kind is not None:
        return kind[0], kind[1], None
    return Sport.OTHER, Setting.UNKNOWN, text.strip()


# -- automatic titles --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Titles:
    times: frozenset[str]
    sports: frozenset[str]
    joiners: frozenset[str]
    longest: int


@cache
def _titles() -> _Titles:
    data = _load("titles.toml")

    def squeezed(words) -> frozenset[str]:
        return frozenset(w for w in (normalize(x).replace(" ", "") for x in words) if w)

    times = squeezed(w for ws in data["times"].values() for w in ws)
    sports = squeezed(w for ws in data["sports"].values() for w in ws) | squeezed(sport_words())
    joiners = squeezed(data["joiners"]["words"])
    return _Titles(times, sports, joiners, max(map(len, times | sports | joiners)))


_TIME, _SPORT = 1, 2


def is_automatic_title(name: str | None) -> bool:
    """Whether a title is one Strava gives by itself (time of day + sport, any language).

    The title, without spaces, must split wholly into vocabulary words with a time of day
    and a sport among them: "Namiddagloop" = namiddag + loop; "Carrera por la mañana";
    "朝のラン" = 朝 + の + ラン. "Morning" alone, or "Run to the lake", are the person's.
    """
    if not name:
        return False
    text = normalize(name).replace(" ", "")
    if not text or len(text) > MAX_TITLE:
        return False
    words = _titles()
    reach: list[set[int]] = [{0}] + [set() for _ in text]  # what each prefix can carry
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - words.longest), end):
            if not reach[start]:
                continue
            piece = text[start:end]
            found = 0
            if piece in words.times:
                found |= _TIME
            if piece in words.sports:
                found |= _SPORT
            if not found and piece not in words.joiners:
                continue
            options = [_TIME, _SPORT] if found == _TIME | _SPORT else [found]
            for mask in reach[start]:
                reach[end].update(mask | option for option in options)
    return _TIME | _SPORT in reach[-1]


# -- dates ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DateWords:
    months: dict[str, int]
    am: frozenset[str]
    pm: frozenset[str]


@cache
def date_words() -> DateWords:
    data = _load("dates.toml")
    months = {normalize(n): int(m) for m, names in data["months"].items() for n in names}
    am = frozenset(normalize(w).replace(" ", "") for w in data["meridiem"]["am"])
    pm = frozenset(normalize(w).replace(" ", "") for w in data["meridiem"]["pm"])
    return DateWords(months, am, pm)
