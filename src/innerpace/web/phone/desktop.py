"""The "Pair a phone" page on the computer (127.0.0.1): the switch, the QR code, paired phones."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from innerpace.domain import utc_now
from innerpace.errors import NotFound, UserError
from innerpace.phone import inbox
from innerpace.web.views.render import journal_of, render
from innerpace.words import text


def access_of(request: Request):
    """The app's phone switch; a default one (home address, port 8766) when none was given."""
    access = getattr(request.app.state, "phone", None)
    if access is None:
        from innerpace.web.phone.listener import PhoneAccess

        access = PhoneAccess(journal_of(request))
        request.app.state.phone = access
    return access


def qr_svg(link: str) -> Markup:
    """The pairing link as a QR code, inline SVG (segno: pure Python, nothing fetched)."""
    import segno

    code = segno.make(link, error="m", micro=False)
    svg = code.svg_inline(scale=6, border=4, dark="#1d2b24", light="#ffffff", omitsize=False)
    return Markup(svg)  # noqa: S704 - segno's own markup for our own link


def page_context(request: Request, **extra: Any) -> dict[str, Any]:
    access = access_of(request)
    journal = journal_of(request)
    inbox.join_waiting_moments(journal)
    creds = access.credentials
    return {
        "nav": "settings",
        "phone_on": access.running,
        "phone_url": access.url,
        "phone_name_url": access.name_url,
        "phone_port": access.port,
        "devices": journal.store.phone.devices(),
        "waiting_moments": inbox.waiting_count(journal),
        "authority_fingerprint": creds.authority_fingerprint if creds else None,
        "leaf_fingerprint": creds.leaf_fingerprint if creds else None,
        "own_certificate": access.cert_file is not None,
        "qr": None,
        "link": None,
        "expires": None,
        "message": access.problem,
        **extra,
    }


async def page(request: Request) -> Response:
    return render(request, "pairing_settings_page.html", page_context(request))


async def switch(request: Request) -> Response:
    """``POST /settings/phone``: ``on=1`` starts the phone listener, anything else stops it."""
    access = access_of(request)
    form = await request.form()
    if form.get("on") == "1":
        try:
            await access.start()
        except UserError as exc:
            access.problem = str(exc)
            return render(request, "pairing_settings_page.html", page_context(request), status=400)
    else:
        await access.stop()
    return RedirectResponse("/settings/phone", status_code=303)


async def show_code(request: Request) -> Response:
    """``POST /settings/phone/code``: a fresh one-time code, shown once as a QR code (never in
    a URL of this page, so it stays out of the computer's history too)."""
    access = access_of(request)
    if not access.running:
        return RedirectResponse("/settings/phone", status_code=303)
    code, expires = access.codes.issue(utc_now())
    link = access.pairing_link(code)
    local = expires.astimezone()
    return render(
        request,
        "pairing_settings_page.html",
        page_context(request, qr=qr_svg(link), link=link, expires=f"{local:%H:%M}"),
    )


async def unpair(request: Request) -> Response:
    """``POST /settings/phone/devices/{id}/unpair``: that phone's key stops working now."""
    device_id = int(request.path_params["device_id"])
    if not journal_of(request).store.phone.remove_device(device_id):
        raise NotFound(text("web.phone.no_device", device=device_id))
    return RedirectResponse("/settings/phone", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/settings/phone", page, name="phone"),
        Route("/settings/phone", switch, methods=["POST"]),
        Route("/settings/phone/code", show_code, methods=["POST"]),
        Route("/settings/phone/devices/{device_id:int}/unpair", unpair, methods=["POST"]),
    ]
