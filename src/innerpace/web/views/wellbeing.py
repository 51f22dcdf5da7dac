"""``/wellbeing``: the WHO-5 questions, past answers, and the support card when it is low."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import WellbeingCheck
from innerpace.errors import UserError
from innerpace.instruments import get_instrument, score
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render

HISTORY = 26
ONCE_A_WEEK = timedelta(days=7)


def questions() -> dict[str, Any]:
    """The five items with the two-week wording, each with its six labelled choices."""
    who5 = get_instrument("who5")
    items = [
        {
            "id": item.id,
            "text": item.text,
            "choices": sorted(((int(v), label) for v, label in item.anchors), reverse=True),
        }
        for item in who5.items
    ]
    return {"preamble": who5.preamble or "Over the last two weeks…", "items": items}


def history(checks: list[WellbeingCheck], page: int = 0) -> list[dict[str, Any]]:
    """One page of answers, latest first, each as a 0–100 score and a bar in 5-point steps."""
    rows = []
    newest_first = list(reversed(checks))
    for check in newest_first[page * HISTORY : (page + 1) * HISTORY]:
        value = float(score(check.response))
        local = check.at.astimezone()
        rows.append(
            {
                "day": f"{local:%a} {local.day} {local:%b %Y}",
                "iso": local.date().isoformat(),
                "score": round(value),
                "bar": max(0, min(20, round(value / 5))),
                "id": check.id,
            }
        )
    return rows


def country(journal: Journal) -> str | None:
    """The country chosen in settings, else the one this computer's locale names."""
    chosen = ""
    setting = getattr(journal, "setting", None)
    if setting is not None:
        try:
            chosen = setting("country")
        except UserError:
            chosen = ""
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        head = value.split(".")[0]
        if "_" in head:
            return head.split("_")[1][:2].upper()
    return None


def support_level(checks: list[WellbeingCheck]) -> str:
    """``none``, ``calm`` or ``prominent``, by the rule in the science notes."""
    from innerpace.insights.wellbeing import support_card, who5_scores

    return str(support_card(who5_scores(checks)).level.value)


def support_card(journal: Journal, checks: list[WellbeingCheck]) -> Any:
    """The card's words and contacts, or None when the answers call for no card."""
    level = support_level(checks)
    if level not in ("calm", "prominent"):
        return None
    from innerpace.support import card, contacts_for, countries

    where = country(journal)
    chosen = card(level, where)
    others = [
        (code, contacts_for(code)) for code in countries() if chosen.prominent and code != where
    ]
    return {"card": chosen, "others": others}


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "")
    return min(int(raw), 10_000) if raw.isdigit() else 0


def wellbeing_context(journal: Journal, page: int = 0, **extra: Any) -> dict[str, Any]:
    checks = journal.wellbeing_checks()
    pages = max(1, -(-len(checks) // HISTORY))
    page = min(page, pages - 1)
    recent = None
    if checks:
        age = datetime.now().astimezone() - checks[-1].at
        recent = age.days if age < ONCE_A_WEEK else None
    values: dict[str, Any] = {
        "questions": questions(),
        "history": history(checks, page),
        "answers_count": len(checks),
        "page": page,
        "older_page": page + 1 if page + 1 < pages else None,
        "newer_page": page - 1 if page > 0 else None,
        "support": support_card(journal, checks),
        "recent_days": recent,
        "chosen": {},
        "message": None,
        "saved": False,
    }
    values.update(extra)
    return values


async def page(request: Request) -> Response:
    journal = journal_of(request)
    saved = request.query_params.get("saved") == "1"
    context = wellbeing_context(journal, page_number(request), saved=saved)
    return render(request, "wellbeing.html", context)


def read_answers(form: Any) -> tuple[dict[str, str], list[float]]:
    """The five answers a WHO-5 form holds, as typed and as numbers (refused if one is missing)."""
    items = questions()["items"]
    chosen = {item["id"]: str(form.get(item["id"], "")) for item in items}
    if any(not value for value in chosen.values()):
        raise UserError(wording.text("web.wellbeing.answer_all"))
    try:
        return chosen, [float(chosen[item["id"]]) for item in items]
    except ValueError:
        raise UserError(wording.text("web.wellbeing.answer_number")) from None


async def save(request: Request) -> Response:
    """``POST /wellbeing``: keep one WHO-5 answer (all five questions)."""
    journal = journal_of(request)
    form = await request.form()
    try:
        _chosen, answers = read_answers(form)
        journal.record_wellbeing(answers)
    except UserError as exc:
        chosen = {item["id"]: str(form.get(item["id"], "")) for item in questions()["items"]}
        context = wellbeing_context(journal, chosen=chosen, message=str(exc))
        return render(request, "wellbeing.html", context, status=400)
    return RedirectResponse("/wellbeing?saved=1#saved", status_code=303)
