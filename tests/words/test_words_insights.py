"""Insight sentences describe; they never claim a cause, a proof or a cure.

Every string the insight phrasing can print is checked, and so are the sentences of a whole
simulated year, the Insights templates and the insights documentation.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from innerpace.insights import build_insights
from innerpace.insights import phrasing as phrasing_module

from .test_words_guard import CLAIMS, PACKAGE, ROOT, _negated, findings

CAUSAL = re.compile(
    r"\b(?:help(?:s|ed|ing)?|help most|add(?:s|ed)|caus(?:e|es|ed|ing)|boost(?:s|ed)?"
    r"|improv(?:e|es|ed)|thanks to|running seems to|beyond time passing|lately)\b",
    re.IGNORECASE,
)
ALLOWED_HELP = "It may help to talk it over"  # the support card speaks of help, not of running


def phrasing_strings() -> list[str]:
    """Every string literal of the phrasing module except docstrings and its word lists."""
    tree = ast.parse(Path(phrasing_module.__file__).read_text("utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("FORBIDDEN", "CAUSAL") for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def flagged(text: str) -> list[str]:
    """Claim or causal words not shortly after a negation ("doesn't prove ... caused")."""
    if ALLOWED_HELP in text:
        return []
    return [
        m.group(0)
        for pattern in (CAUSAL, CLAIMS)
        for m in pattern.finditer(text)
        if not _negated(text[: m.start()])
    ]


def test_the_phrasing_has_no_causal_or_claim_words():
    bad = [s for s in phrasing_strings() if flagged(s)]
    assert bad == []


def test_the_phrasing_check_would_catch_the_old_sentences():
    old = (
        "running seems to help most on your harder days",
        "so runs added about +2.1 points beyond time passing",
        "lately your runs have more often ended lower than they began",
    )
    assert all(CAUSAL.search(s) for s in old)


def demo_insights():
    demo = pytest.importorskip("innerpace.demo")
    year = demo.generate(7, end=date(2026, 11, 1), runs=150)
    runs = [r.with_id(i) for i, r in enumerate(year.runs)]
    checkins = [replace(c.item, run_id=c.run_index) for c in year.checkins]
    checkins += list(year.rest_checkins)
    moments = [replace(m.item, run_id=m.run_index) for m in year.moments]
    reflections = [replace(r.item, run_id=r.run_index) for r in year.run_reflections]
    reflections += list(year.day_reflections)
    return build_insights(runs, checkins, moments, reflections, year.wellbeing, today=year.last)


def test_a_whole_year_of_insight_reads_without_causal_or_claim_words():
    found = demo_insights()
    lines = list(found.sentences())
    for _, finding in found.findings():
        lines.extend(finding.details)
    for line in lines:
        assert flagged(line) == [], line


@pytest.mark.parametrize(
    "path",
    [
        *sorted((PACKAGE / "web" / "templates").glob("insights*.html")),
        PACKAGE / "web" / "templates" / "_route_picture.html",
        ROOT / "docs" / "insights.md",
    ],
    ids=lambda p: p.name,
)
def test_insight_pages_and_docs_speak_of_no_cause(path):
    found = [f for f in findings(path, CAUSAL) if ALLOWED_HELP not in f.text]
    assert not found, "\n".join(str(f) for f in found)
