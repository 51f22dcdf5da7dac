"""The phone listener's pages and its two small JSON calls. Nothing else is reachable."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from innerpace.domain import utc_now
from innerpace.domain.feelings import MOMENT_TAGS
from innerpace.errors import NotFound, UserError
from innerpace.phone import authority, inbox
from innerpace.phone.pairing import PairingRefused, clean_name, key_hash, new_device_key
from innerpace.web.phone.guard import DEVICE_COOKIE, device_of
from innerpace.words import text

RECENT_RUNS = 6
DEVICE_COOKIE_DAYS = 400
REFUSED = {
    reason: text(f"web.phone.code_{reason}") for reason in ("wrong", "expired", "used", "too_many")
}


def access_of(request: Request):
    return request.app.state.access


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)


def shell_context() -> dict[str, Any]:
    """The words and choices the phone page needs; no journal data (it is kept offline)."""
    from innerpace.web.views.today import KINDS, arousal_choices, feeling_choices
    from innerpace.web.views.wellbeing import questions

    return {
        "feelings": feeling_choices(),
        "arousals": arousal_choices(),
        "kinds": KINDS,
        "tags": MOMENT_TAGS,
        "who5": questions(),
    }


async def shell(request: Request) -> Response:
    return _render(request, "phone.html", shell_context())


async def pair_page(request: Request) -> Response:
    paired = device_of(request.scope) is not None
    return _render(request, "pairing.html", {"paired": paired})


async def pair(request: Request) -> Response:
    """``POST /pair`` with ``{"code", "name"}``: a one-time code becomes this phone's own key."""
    access = access_of(request)
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"ok": False, "message": REFUSED["wrong"]}, status_code=400)
    code, name = body.get("code"), body.get("name", "")
    if not isinstance(code, str) or not isinstance(name, str):
        return JSONResponse({"ok": False, "message": REFUSED["wrong"]}, status_code=400)
    now = utc_now()
    try:
        access.codes.redeem(code.strip(), now)
    except PairingRefused as refused:
        status = 429 if refused.reason == "too_many" else 403
        return JSONResponse({"ok": False, "message": REFUSED[refused.reason]}, status_code=status)
    key = new_device_key()
    device_id = access.journal.store.phone.add_device(clean_name(name), key_hash(key), now)
    response = JSONResponse({"ok": True, "device": device_id})
    response.set_cookie(
        DEVICE_COOKIE,
        key,
        max_age=int(timedelta(days=DEVICE_COOKIE_DAYS).total_seconds()),
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    return response


async def authority_page(request: Request) -> Response:
    access = access_of(request)
    creds = access.credentials
    return _render(
        request,
        "pairing_authority.html",
        {
            "authority_fingerprint": creds.authority_fingerprint if creds else None,
            "leaf_fingerprint": creds.leaf_fingerprint if creds else None,
            "paired": device_of(request.scope) is not None,
        },
    )


def _authority_pem(request: Request) -> bytes:
    creds = access_of(request).credentials
    if creds is None or creds.authority is None:
        raise NotFound(text("web.phone.own_certificate"))
    return creds.authority.cert_pem


async def authority_profile(request: Request) -> Response:
    body = authority.mobileconfig(_authority_pem(request), label=access_of(request).label)
    return Response(
        body,
        media_type="application/x-apple-aspen-config",
        headers={"content-disposition": 'attachment; filename="innerpace.mobileconfig"'},
    )


async def authority_der(request: Request) -> Response:
    return Response(
        authority.der(_authority_pem(request)),
        media_type="application/x-x509-ca-cert",
        headers={"content-disposition": 'attachment; filename="innerpace-authority.crt"'},
    )


async def authority_pem(request: Request) -> Response:
    return Response(
        _authority_pem(request),
        media_type="application/x-pem-file",
        headers={"content-disposition": 'attachment; filename="innerpace-authority.pem"'},
    )


def _support(journal, level: str) -> dict[str, Any] | None:
    if level not in ("calm", "prominent"):
        return None
    from innerpace.support import card
    from innerpace.web.views.wellbeing import country

    chosen = card(level, country(journal))
    contacts = []
    for contact in chosen.contacts:
        digits = "".join(c for c in contact.number if c.isdigit() or c == "+")
        callable_ = ("call" in contact.how or "text" in contact.how) and digits == contact.number
        contacts.append(
            {
                "name": contact.name,
                "how": " or ".join(contact.how),
                "number": contact.number,
                "tel": f"tel:{digits}" if callable_ and "call" in contact.how else None,
                "hours": contact.hours,
            }
        )
    return {
        "level": level,
        "title": chosen.title,
        "body": chosen.body,
        "heading": chosen.contacts_heading,
        "contacts": contacts,
        "none": chosen.no_contacts,
        "emergency": chosen.emergency,
        "note": chosen.note,
    }


async def state(request: Request) -> Response:
    """``GET /api/state``: the CSRF token, the phone's name and the last few runs (date and
    title only, for putting an after check-in on the right one)."""
    journal = access_of(request).journal
    device = device_of(request.scope) or {}
    inbox.join_waiting_moments(journal)
    runs = []
    for listing in journal.runs(limit=RECENT_RUNS):
        run = listing.run
        local = run.start.astimezone()
        runs.append(
            {
                "id": run.id,
                "day": f"{local:%a} {local.day} {local:%b}",
                "time": f"{local:%H:%M}",
                "title": run.name or "Run",
                "has_after": listing.after is not None,
            }
        )
    return JSONResponse(
        {
            "csrf": device.get("csrf", ""),
            "name": device.get("name", ""),
            "runs": runs,
            "wellbeing_due": journal.wellbeing_due(),
            "suggested_when": "after" if journal.run_waiting_for_after() else "before",
        }
    )


async def entries(request: Request) -> Response:
    """``POST /api/entries`` with one entry: kept once (by its id), or a clear refusal."""
    access = access_of(request)
    device = device_of(request.scope) or {}
    try:
        entry = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return JSONResponse(
            {"ok": False, "message": text("web.phone.not_an_entry")}, status_code=400
        )
    try:
        outcome = inbox.receive(access.journal, entry, device_id=device.get("device_id"))
    except NotFound as exc:
        return JSONResponse({"ok": False, "message": str(exc)}, status_code=404)
    except UserError as exc:
        return JSONResponse({"ok": False, "message": str(exc)}, status_code=422)
    result: dict[str, Any] = {"ok": True, **outcome.as_json()}
    if outcome.kind == "wellbeing":
        level = outcome.extra.get("support") or str(access.journal.wellbeing_card().level.value)
        result["card"] = _support(access.journal, level)
    return JSONResponse(result)


async def manifest(request: Request) -> Response:
    body = {
        "name": "innerpace",
        "short_name": "innerpace",
        "description": text("web.phone.description"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f5f0",
        "theme_color": "#3d5a4c",
        "icons": [
            {"src": "/static/phone-icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/phone-icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/static/phone-icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body), media_type="application/manifest+json")


def static_file(name: str, media_type: str):
    from innerpace.web.templating import STATIC

    path = STATIC / name

    async def serve(request: Request) -> Response:
        headers = {"service-worker-allowed": "/"} if name == "sw.js" else {}
        return Response(path.read_bytes(), media_type=media_type, headers=headers)

    return serve


def pairing_page_bytes(templates) -> bytes:
    template = templates.get_template("pairing.html")
    return template.render(paired=False).encode()


async def not_here(request: Request, exc: Exception) -> Response:
    return HTMLResponse(
        "<!doctype html><title>innerpace</title><p>That is not something the phone can open. "
        '<a href="/">Back</a></p>',
        status_code=404,
    )
