"""``/insights``: pictures first, then plain sentences; the numbers behind them on demand."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from innerpace.web.views.render import journal_of, render


def _section(title: str, pictures: list, findings: list, **extra: Any) -> dict[str, Any]:
    sentences = [s for f in findings if f is not None for s in f.sentences]
    details = [d for f in findings if f is not None for d in f.details]
    shown = [
        # our own SVG, every text in it escaped
        {"svg": Markup(p.svg), "title": p.title, "summary": p.summary}  # noqa: S704
        for p in pictures
        if p is not None
    ]
    return {
        "title": title,
        "pictures": shown,
        "sentences": sentences,
        "details": details,
        "themes": [],
        **extra,
    }


def sections(page: Any) -> list[dict[str, Any]]:
    """The page in reading order; sections with nothing to show are left out."""
    found, pics = page.insights, page.pictures
    themes = found.themes.numbers.themes if found.themes.status != "not-yet" else ()
    out = [
        _section(
            "How you feel after running",
            [pics.strokes, pics.spread],
            [found.lift, found.missing, found.rest],
        ),
        _section("Your year of runs", [pics.calendar], []),
        _section("During a run", [pics.moments], [found.during, found.release]),
        _section("The hard days", [], [found.resilience, found.bad_days]),
        _section("What goes with a bigger lift", [], [found.categories, found.hunches]),
        _section(
            "What you keep running with",
            [],
            [] if themes else [found.themes],
            themes=[
                {"sentence": s, "excerpts": t.excerpts}
                for s, t in zip(found.themes.sentences, themes, strict=False)
            ],
        ),
        _section("Well-being over the months", [pics.wellbeing], [found.wellbeing]),
    ]
    return [s for s in out if s["pictures"] or s["sentences"] or s["themes"]]


async def page(request: Request) -> Response:
    journal = journal_of(request)
    found = await run_in_threadpool(journal.insight_page)
    return render(
        request,
        "insights.html",
        {
            "nav": "insights",
            "gate": found.insights.gate.message,
            "sections": sections(found),
            "support": found.insights.support_sentence,
            "caveat": found.insights.caveat,
        },
    )


def route_picture(detail: Any) -> Markup:
    """The run page's route picture (``{{ detail | route_picture }}``), or nothing without
    coordinates."""
    from innerpace.insights.pictures import route

    series = getattr(detail, "series", None)
    if series is None or not len(series.lat):
        return Markup("")
    listing = detail.listing
    picture = route(
        series.lat,
        series.lon,
        series.t_s,
        series.distance_m,
        detail.moments,
        listing.pre_feeling,
        listing.post_feeling,
    )
    return Markup(picture.svg) if picture else Markup("")  # noqa: S704 - our own SVG


FILTERS = {"route_picture": route_picture}
