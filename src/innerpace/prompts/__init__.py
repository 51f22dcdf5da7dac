"""Reflection prompts: a curated library, as data, and the rule that picks one for a moment.

Prompts ask and listen; they never advise. Which kind is offered depends on the moment: a low
feeling before the run, a long run, a release along the way, a rest day, running alone.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "FITS",
    "KINDS",
    "Prompt",
    "UnknownPrompt",
    "all_prompts",
    "choose_prompt",
    "get_prompt",
]

FITS = (
    "before",
    "after",
    "hard-day",
    "long-run",
    "rest-day",
    "release",
    "solitude",
    "with-others",
    "any",
)
KINDS = ("before", "after", "rest-day", "any")
_KIND_ALIASES = {"rest": "rest-day"}
_MOMENTS = ("before", "after", "rest-day")
RELEASE_TAGS = frozenset({"release", "tears"})
LOW_FEELING = -1.0
LONG_RUN_S = 75 * 60
SOMETIMES = 1 / 3  # how often running alone (or together) leads the choice
_ALONE = frozenset({"alone", "solo", "solitude"})


class UnknownPrompt(ValueError):
    """No prompt has this id."""


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    text: str
    fits: tuple[str, ...]

    def suits(self, moment: str) -> bool:
        """True when the prompt fits ``moment``, or names no moment of the loop at all."""
        return moment in self.fits or not any(m in self.fits for m in _MOMENTS)


def _parse(raw: dict) -> Prompt:
    fits = tuple(raw["fits"])
    unknown = [f for f in fits if f not in FITS]
    if unknown:
        raise ValueError(f"prompt {raw['id']!r}: unknown fits {unknown}")
    return Prompt(id=str(raw["id"]), text=str(raw["text"]).strip(), fits=fits)


@cache
def _library() -> dict[str, Prompt]:
    source = resources.files("innerpace.prompts") / "prompts.toml"
    data = tomllib.loads(source.read_text("utf-8"))
    found: dict[str, Prompt] = {}
    for raw in data["prompts"]:
        prompt = _parse(raw)
        if prompt.id in found:
            raise ValueError(f"prompt id {prompt.id!r} appears twice")
        found[prompt.id] = prompt
    return found


def all_prompts() -> list[Prompt]:
    """Every shipped prompt, in library order."""
    return list(_library().values())


def get_prompt(prompt_id: str) -> Prompt:
    """The prompt with ``prompt_id``; raises :class:`UnknownPrompt` when there is none."""
    try:
        return _library()[prompt_id]
    except KeyError:
        raise UnknownPrompt(f"no prompt {prompt_id!r}") from None


def _is_low(value: float | None) -> bool:
    return value is not None and value <= LOW_FEELING


def _leading_tag(
    kind: str,
    *,
    pre_feeling: float | None,
    post_feeling: float | None,
    duration_s: float | None,
    moment_tags: tuple[str, ...],
    company: str | None,
    rng: random.Random,
) -> str:
    """The tag the moment calls for most, in order of how much it matters."""
    if kind == "rest-day":
        return "rest-day"
    if kind == "after" and RELEASE_TAGS & {t.strip().lower() for t in moment_tags}:
        return "release"
    if _is_low(pre_feeling) or (kind == "after" and _is_low(post_feeling)):
        return "hard-day"
    if kind == "after" and duration_s is not None and duration_s >= LONG_RUN_S:
        return "long-run"
    if company and rng.random() < SOMETIMES:
        return "solitude" if company.strip().lower() in _ALONE else "with-others"
    return kind


def choose_prompt(
    *,
    kind: str,
    pre_feeling: float | None = None,
    post_feeling: float | None = None,
    duration_s: float | None = None,
    moment_tags: tuple[str, ...] = (),
    company: str | None = None,
    seed: int | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> Prompt:
    """Pick one prompt that fits this moment; the same ``seed`` always gives the same prompt.

    ``kind`` is ``before``, ``after``, ``rest-day`` (or ``rest``) or ``any``. Prompts in
    ``exclude`` (say, the ones already seen) are skipped unless nothing else is left.
    """
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(f"unknown prompt kind {kind!r}; expected one of {', '.join(KINDS)}")
    rng = random.Random(seed)
    tag = _leading_tag(
        kind,
        pre_feeling=pre_feeling,
        post_feeling=post_feeling,
        duration_s=duration_s,
        moment_tags=moment_tags,
        company=company,
        rng=rng,
    )
    prompts = [p for p in all_prompts() if p.suits(kind)]
    tiers = [
        [p for p in prompts if tag in p.fits],
        [p for p in prompts if kind in p.fits or "any" in p.fits],
        prompts,
    ]
    for tier in tiers:
        fresh = [p for p in tier if p.id not in exclude]
        if fresh:
            return rng.choice(fresh)
    return rng.choice(next(tier for tier in tiers if tier))
