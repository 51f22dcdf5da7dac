"""``/settings``: the few choices innerpace offers — support country, quiet numbers, coordinates."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render

# The countries innerpace keeps support contacts for, by the names people type.
COUNTRY_NAMES = {
    "AU": "Australia",
    "CA": "Canada",
    "DE": "Germany",
    "GB": "the United Kingdom",
    "IE": "Ireland",
    "NZ": "New Zealand",
    "US": "the United States",
}
_BY_NAME = {
    "australia": "AU",
    "canada": "CA",
    "germany": "DE",
    "deutschland": "DE",
    "united kingdom": "GB",
    "the united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uk": "GB",
    "ireland": "IE",
    "new zealand": "NZ",
    "united states": "US",
    "the united states": "US",
    "usa": "US",
    "america": "US",
}


def country_code(typed: str) -> str:
    """A country as its two-letter code: a code as typed, or a name innerpace knows; never a
    name cut down to its first two letters."""
    text = " ".join(typed.split())
    if not text:
        return ""
    known = _BY_NAME.get(text.lower())
    if known:
        return known
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    raise UserError(wording.text("web.settings.country_unread", value=text[:40]))


def kept_words(code: str) -> str:
    """What "kept" means for this country: its contacts, or plainly that there are none."""
    from innerpace.support import contacts_for

    if not code:
        return wording.text("web.settings.kept")
    if not contacts_for(code):
        return wording.text("web.settings.country_no_contacts", code=code)
    return wording.text("web.settings.country_known", code=code, name=COUNTRY_NAMES.get(code, code))


def settings_context(journal: Journal, **extra: Any) -> dict[str, Any]:
    from innerpace.support import countries

    settings = journal.settings()
    values: dict[str, Any] = {
        "nav": "settings",
        "settings": settings,
        "typed_country": settings["country"],
        "countries": [(code, COUNTRY_NAMES.get(code, code)) for code in countries()],
        "saved": None,
        "message": None,
    }
    values.update(extra)
    return values


async def page(request: Request) -> Response:
    journal = journal_of(request)
    saved = None
    if request.query_params.get("saved") == "1":
        saved = kept_words(journal.setting("country"))
    return render(request, "settings.html", settings_context(journal, saved=saved))


async def save(request: Request) -> Response:
    journal = journal_of(request)
    form = await request.form()
    typed = str(form.get("country", ""))
    try:
        journal.change_setting("country", country_code(typed))
    except UserError as exc:
        context = settings_context(journal, typed_country=typed, message=str(exc))
        return render(request, "settings.html", context, status=400)
    journal.change_setting("quiet_numbers", "1" if form.get("quiet_numbers") else "0")
    journal.change_setting("keep_coordinates", "0" if form.get("no_coordinates") else "1")
    return RedirectResponse("/settings?saved=1", status_code=303)
