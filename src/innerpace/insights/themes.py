"""Themes a person keeps running with, found on this device in their own reflections.

TF-IDF and non-negative matrix factorisation written out in NumPy (the same recipe as
scikit-learn's ``TfidfVectorizer`` + ``NMF(init="nndsvda")``, without its import time), so the
result is deterministic. Each theme is named by its top words and shown with two or three short
excerpts from the person's own reflections. Themes stay put as reflections are added: the number
of themes changes only in wide steps, and each new theme is matched to the themes seen last time
(by shared top words) and keeps that theme's place and name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from innerpace.domain import Reflection
from innerpace.insights.interval import mean_interval

MIN_REFLECTIONS = 15
MAX_THEMES = 5
TOP_WORDS = 3
MATCH_WORDS = 8
MATCH_MIN = 0.25  # Jaccard overlap of top words for a theme to count as the same one
CARRY_SHARE = 0.3
MIN_DOCS_PER_THEME = 2
MIN_LIFT_RUNS = 10
EXCERPTS = 3
EXCERPT_CHARS = 90
ITERATIONS = 300
TOLERANCE = 1e-4  # stop once the fit improves by less than this share between checks
MAX_WORDS = 600  # the most widespread words only, as scikit-learn's ``max_features``
# Words nearly every running reflection shares; they name no theme.
JOURNAL_WORDS = frozenset(
    {
        *("run", "runs", "running", "ran", "today", "felt", "feel", "feeling", "feels"),
        *("just", "like", "really", "bit", "got", "went", "km", "minutes", "minute", "time"),
        *("way", "did", "didn", "think", "lot", "little", "pretty", "quite"),
    }
)
_ENGLISH = """
    a about above after again against all almost alone along already also although always am
    among an and another any anyhow anyone anything anyway anywhere are around as at back be
    became because become been before behind being below beside besides between beyond both
    but by can cannot could did do does doing done down due during each either else
    elsewhere enough etc even ever every everyone everything everywhere few first for former
    from further get give go had has have having he her here hers herself him himself his
    how however i if in indeed into is it its itself keep last least less made many may me
    meanwhile might mine more moreover most mostly much must my myself neither never
    nevertheless next no nobody none nor not nothing now nowhere of off often on once one
    only onto or other others otherwise our ours ourselves out over own per perhaps please
    put rather re same see seem seemed seeming seems several she should since so some
    somehow someone something sometime sometimes somewhere still such take than that the
    their theirs them themselves then there thereafter thereby therefore these they this
    those though through throughout thru thus to together too toward towards under until up
    upon us very via was we well were what whatever when whence whenever where whereas
    wherever whether which while who whoever whole whom whose why will with within without
    would yet you your yours yourself yourselves don doesn isn wasn weren won wouldn couldn
    shouldn ll ve
"""
ENGLISH = frozenset(_ENGLISH.split())
STOP_WORDS = ENGLISH | JOURNAL_WORDS
WORD = re.compile(r"(?u)\b[^\W\d_]{3,}\b")  # words of three letters or more


@dataclass(frozen=True, slots=True)
class Theme:
    words: tuple[str, ...]
    reflections: int
    by_period: tuple[tuple[str, float], ...]
    excerpts: tuple[str, ...]
    lift_runs: int
    lift_vs: float | None = None  # mean change after these runs minus the overall mean change
    lift_low: float | None = None
    lift_high: float | None = None
    key_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Themes:
    n_reflections: int
    enough: bool
    period: str  # "quarter" or "month"
    themes: tuple[Theme, ...]


def theme_count(n_docs: int) -> int:
    """Two to five themes, changing only in wide steps so a few new reflections never regroup
    them: 2 under 40 reflections, 3 under 100, 4 under 200, then 5."""
    for limit, k in ((40, 2), (100, 3), (200, 4)):
        if n_docs < limit:
            return k
    return MAX_THEMES


def _period(day: date, kind: str) -> str:
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def tokens(text: str) -> list[str]:
    return [w for w in (m.lower() for m in WORD.findall(text)) if w not in STOP_WORDS]


def tfidf(docs: Sequence[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Rows l2-normalised, ``1 + log(tf)`` times the smoothed idf; words in at least 2
    documents and at most 80% of them, the 600 most widespread at most."""
    n = len(docs)
    df = Counter(w for d in docs for w in set(d))
    kept = sorted(
        ((c, w) for w, c in df.items() if c >= 2 and c <= 0.8 * n), key=lambda cw: (-cw[0], cw[1])
    )
    vocab = sorted(w for _, w in kept[:MAX_WORDS])
    index = {w: i for i, w in enumerate(vocab)}
    matrix = np.zeros((n, len(vocab)))
    for row, doc in enumerate(docs):
        for w, c in Counter(doc).items():
            if w in index:
                matrix[row, index[w]] = 1 + math.log(c)
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in vocab])
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0), vocab


def _top_svd(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The leading ``k`` singular triplets, from the smaller Gram matrix (deterministic; the
    NNDSVD start does not depend on their signs)."""
    if x.shape[0] <= x.shape[1]:
        values, vectors = np.linalg.eigh(x @ x.T)
        order = np.argsort(values)[::-1][:k]
        s = np.sqrt(np.maximum(values[order], 0.0))
        u = vectors[:, order]
        vt = (u.T @ x) / np.where(s > 0, s, 1.0)[:, None]
    else:
        values, vectors = np.linalg.eigh(x.T @ x)
        order = np.argsort(values)[::-1][:k]
        s = np.sqrt(np.maximum(values[order], 0.0))
        vt = vectors[:, order].T
        u = (x @ vt.T) / np.where(s > 0, s, 1.0)[None, :]
    return u, s, vt


def _nndsvda(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    u, s, vt = _top_svd(x, k)
    w = np.zeros((x.shape[0], k))
    h = np.zeros((k, x.shape[1]))
    w[:, 0] = math.sqrt(s[0]) * np.abs(u[:, 0])
    h[0] = math.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        a, b = u[:, j], vt[j]
        ap, an, bp, bn = np.maximum(a, 0), np.maximum(-a, 0), np.maximum(b, 0), np.maximum(-b, 0)
        mp = np.linalg.norm(ap) * np.linalg.norm(bp)
        mn = np.linalg.norm(an) * np.linalg.norm(bn)
        if mp >= mn and mp > 0:
            uu, vv, sigma = ap / np.linalg.norm(ap), bp / np.linalg.norm(bp), mp
        elif mn > 0:
            uu, vv, sigma = an / np.linalg.norm(an), bn / np.linalg.norm(bn), mn
        else:
            continue
        lam = math.sqrt(s[j] * sigma)
        w[:, j], h[j] = lam * uu, lam * vv
    avg = float(x.mean())
    w[w < 1e-6] = avg
    h[h < 1e-6] = avg
    return w, h


def nmf(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Frobenius NMF by multiplicative updates from the NNDSVDa start (deterministic)."""
    w, h = _nndsvda(x, k)
    eps = 1e-10
    last = math.inf
    for i in range(ITERATIONS):
        h *= (w.T @ x) / (w.T @ w @ h + eps)
        w *= (x @ h.T) / (w @ (h @ h.T) + eps)
        if i % 10 == 9:
            error = float(np.linalg.norm(x - w @ h))
            if math.isfinite(last) and last - error < TOLERANCE * last:
                break
            last = error
    return w, h


def excerpt(text: str, words: Iterable[str], limit: int = EXCERPT_CHARS) -> str:
    """The sentence holding the first of ``words`` (else the first), cut at a word to ``limit``."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    wanted = set(words)
    chosen = next(
        (s for s in sentences if any(w.lower() in wanted for w in WORD.findall(s))),
        sentences[0] if sentences else text.strip(),
    )
    chosen = re.sub(r"[*_`]+", "", chosen).lstrip("#>- ").strip()  # markdown marks out
    if len(chosen) <= limit:
        return chosen
    cut = chosen[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return cut + "…"


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def themes(
    reflections: Iterable[Reflection],
    lift_by_run: Mapping[int, float] | None = None,
    *,
    previous: Sequence[Sequence[str]] = (),
) -> Themes:
    """Themes in ``reflections``; ``lift_by_run`` maps run ids to that run's change ``d``.

    ``previous`` holds the ``key_words`` of the themes found last time, in their order: a new
    theme sharing enough of them takes that theme's place and keeps its name.
    """
    docs = sorted(
        (r for r in reflections if r.text and r.text.strip()), key=lambda r: (r.created, r.text)
    )
    n = len(docs)
    if n < MIN_REFLECTIONS:
        return Themes(n, False, "month", ())
    matrix, vocab = tfidf([tokens(r.text) for r in docs])
    k = min(theme_count(n), len(vocab) - 1)
    if k < 2:
        return Themes(n, False, "month", ())
    weights, components = nmf(matrix, k)
    totals = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    dominant = np.where(totals[:, 0] > 0, share.argmax(axis=1), -1)

    days = [r.created.date() for r in docs]
    kind = "quarter" if (max(days) - min(days)).days > 183 else "month"
    periods = [_period(d, kind) for d in days]
    ordered_periods = sorted(set(periods))
    lifts = lift_by_run or {}
    overall = float(np.mean(list(lifts.values()))) if lifts else None

    found: list[Theme] = []
    for t in range(k):
        members = np.nonzero(dominant == t)[0]
        if members.size < MIN_DOCS_PER_THEME:
            continue
        ranked = np.argsort(-components[t], kind="stable")
        key = tuple(str(vocab[i]) for i in ranked[:MATCH_WORDS])
        by_period = []
        for p in ordered_periods:
            in_p = [i for i, q in enumerate(periods) if q == p]
            by_period.append((p, sum(dominant[i] == t for i in in_p) / len(in_p)))
        shown = [i for i in members[np.argsort(-weights[members, t], kind="stable")]]
        excerpts = tuple(
            dict.fromkeys(
                excerpt(docs[i].text, key[:TOP_WORDS]) for i in shown if not docs[i].private
            )
        )[:EXCERPTS]
        carried = [
            lifts[docs[i].run_id]
            for i in range(n)
            if share[i, t] >= CARRY_SHARE and docs[i].run_id is not None and docs[i].run_id in lifts
        ]
        vs = low = high = None
        if overall is not None and len(carried) >= MIN_LIFT_RUNS:
            interval = mean_interval(np.asarray(carried) - overall)
            if interval is not None and interval.se > 0:
                vs, low, high = interval.mean, interval.low, interval.high
        found.append(
            Theme(
                words=key[:TOP_WORDS],
                reflections=int(members.size),
                by_period=tuple(by_period),
                excerpts=excerpts,
                lift_runs=len(carried),
                lift_vs=vs,
                lift_low=low,
                lift_high=high,
                key_words=key,
            )
        )
    found = _match(found, previous)
    return Themes(n, bool(found), kind, tuple(found))


def _match(found: list[Theme], previous: Sequence[Sequence[str]]) -> list[Theme]:
    """Order ``found`` like last time's themes, each keeping the name of the one it matches;
    themes new this time follow, largest first."""
    from dataclasses import replace

    fresh = sorted(found, key=lambda th: (-th.reflections, th.words))
    if not previous:
        return fresh
    pairs = sorted(
        (
            (_jaccard(th.key_words, old), -i, j)
            for i, old in enumerate(previous)
            for j, th in enumerate(fresh)
        ),
        reverse=True,
    )
    taken_old: set[int] = set()
    taken_new: dict[int, int] = {}
    for score, neg_i, j in pairs:
        i = -neg_i
        if score < MATCH_MIN or i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new[j] = i
    out: list[tuple[int, Theme]] = []
    for j, th in enumerate(fresh):
        if j in taken_new:
            old = tuple(previous[taken_new[j]])
            name = old[:TOP_WORDS] if set(old[:TOP_WORDS]) <= set(th.key_words) else th.words
            out.append((taken_new[j], replace(th, words=tuple(name))))
    out.sort(key=lambda pair: pair[0])
    matched = [th for _, th in out]
    return matched + [th for j, th in enumerate(fresh) if j not in taken_new]
