"""``/insights``: what this person's runs say, in plain sentences with their uncertainty."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from innerpace.web.views.render import journal_of, render


async def page(request: Request) -> Response:
    found = journal_of(request).insights()
    sections = [
        ("How you feel after running", (found.lift, found.rest)),
        ("During a run", (found.during, found.release)),
        ("The hard days", (found.resilience, found.bad_days)),
        ("What goes with a bigger lift", (found.categories, found.hunches)),
        ("What you keep running with", (found.themes,)),
        ("Well-being over the months", (found.wellbeing,)),
    ]
    shown = [
        (title, [s for finding in findings for s in finding.sentences])
        for title, findings in sections
    ]
    return render(
        request,
        "insights.html",
        {
            "nav": "insights",
            "gate": found.gate.message,
            "sections": [(title, sentences) for title, sentences in shown if sentences],
            "caveat": found.caveat,
        },
    )
