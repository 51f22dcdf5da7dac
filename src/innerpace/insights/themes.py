"""Themes a person keeps running with, found on this device in their own reflections.

TF-IDF and non-negative matrix factorisation (scikit-learn), seeded so a theme keeps its name
from one visit to the next. Each theme is named by its top words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from innerpace.domain import Reflection

MIN_REFLECTIONS = 15
PER_THEME = 15
MAX_THEMES = 5
TOP_WORDS = 3
CARRY_SHARE = 0.3
MIN_DOCS_PER_THEME = 2
# Words nearly every running reflection shares; they name no theme.
JOURNAL_WORDS = frozenset(
    {
        *("run", "runs", "running", "ran", "today", "felt", "feel", "feeling", "feels"),
        *("just", "like", "really", "bit", "got", "went", "km", "minutes", "minute", "time"),
        *("way", "did", "didn", "think", "lot", "little", "pretty", "quite"),
    }
)
WORD_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # words of three letters or more
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | JOURNAL_WORDS)


@dataclass(frozen=True, slots=True)
class Theme:
    words: tuple[str, ...]
    reflections: int
    by_period: tuple[tuple[str, float], ...]
    lift_runs: int
    lift_mean: float | None


@dataclass(frozen=True, slots=True)
class Themes:
    n_reflections: int
    enough: bool
    period: str  # "quarter" or "month"
    themes: tuple[Theme, ...]


def theme_count(n_docs: int) -> int:
    """About one theme per fifteen reflections, two to five."""
    return int(min(MAX_THEMES, max(2, n_docs // PER_THEME)))


def _period(day: date, kind: str) -> str:
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def themes(
    reflections: Iterable[Reflection],
    lift_by_run: Mapping[int, float] | None = None,
    *,
    seed: int = 0,
) -> Themes:
    """Themes in ``reflections``; ``lift_by_run`` maps run ids to that run's change ``d``."""
    docs = sorted(
        (r for r in reflections if r.text and r.text.strip()), key=lambda r: (r.created, r.text)
    )
    n = len(docs)
    if n < MIN_REFLECTIONS:
        return Themes(n, False, "month", ())
    vectorizer = TfidfVectorizer(
        stop_words=STOP_WORDS,
        token_pattern=WORD_PATTERN,
        min_df=2,
        max_df=0.8,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform([r.text for r in docs])
    except ValueError:  # nothing left once common words are set aside
        return Themes(n, False, "month", ())
    vocab = np.asarray(vectorizer.get_feature_names_out())
    k = min(theme_count(n), len(vocab) - 1)
    if k < 2:
        return Themes(n, False, "month", ())
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=600)
    weights = model.fit_transform(matrix)
    totals = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    dominant = np.where(totals[:, 0] > 0, share.argmax(axis=1), -1)

    days = [r.created.date() for r in docs]
    kind = "quarter" if (max(days) - min(days)).days > 183 else "month"
    periods = [_period(d, kind) for d in days]
    ordered_periods = sorted(set(periods))
    lifts = lift_by_run or {}

    found = []
    for t in range(k):
        count = int(np.count_nonzero(dominant == t))
        if count < MIN_DOCS_PER_THEME:
            continue
        top = np.argsort(-model.components_[t], kind="stable")[:TOP_WORDS]
        by_period = []
        for p in ordered_periods:
            in_p = [i for i, q in enumerate(periods) if q == p]
            by_period.append((p, sum(dominant[i] == t for i in in_p) / len(in_p)))
        carried = [
            lifts[docs[i].run_id]
            for i in range(n)
            if share[i, t] >= CARRY_SHARE and docs[i].run_id is not None and docs[i].run_id in lifts
        ]
        found.append(
            Theme(
                words=tuple(str(w) for w in vocab[top]),
                reflections=count,
                by_period=tuple(by_period),
                lift_runs=len(carried),
                lift_mean=float(np.mean(carried)) if carried else None,
            )
        )
    found.sort(key=lambda th: (-th.reflections, th.words))
    return Themes(n, bool(found), kind, tuple(found))
