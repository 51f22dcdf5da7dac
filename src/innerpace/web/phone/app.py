"""The phone listener's own small Starlette app: only the phone's routes, its own guards."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from innerpace.errors import NotFound
from innerpace.web.phone import views
from innerpace.web.phone.guard import PhoneGuard, phone_middleware

PHONE_ROUTES = (
    ("/", "GET"),
    ("/pair", "GET"),
    ("/pair", "POST"),
    ("/authority", "GET"),
    ("/authority.mobileconfig", "GET"),
    ("/authority.crt", "GET"),
    ("/authority.pem", "GET"),
    ("/api/state", "GET"),
    ("/api/entries", "POST"),
    ("/manifest.webmanifest", "GET"),
    ("/sw.js", "GET"),
    ("/static/phone.js", "GET"),
    ("/static/phone-pair.js", "GET"),
    ("/static/phone.css", "GET"),
    ("/static/phone-icon.svg", "GET"),
    ("/static/phone-icon-192.png", "GET"),
    ("/static/phone-icon-512.png", "GET"),
)


def create_phone_app(access, *, port: int, allowed_hosts: tuple[str, ...]) -> Starlette:
    """The app the phone listener serves for ``access`` (a :class:`PhoneAccess`)."""
    from innerpace.web.templating import make_templates

    templates = make_templates()
    guard = PhoneGuard(port=port, allowed_hosts=tuple(h.lower() for h in allowed_hosts))
    page = views.pairing_page_bytes(templates)
    routes = [
        Route("/", views.shell),
        Route("/pair", views.pair_page),
        Route("/pair", views.pair, methods=["POST"]),
        Route("/authority", views.authority_page),
        Route("/authority.mobileconfig", views.authority_profile),
        Route("/authority.crt", views.authority_der),
        Route("/authority.pem", views.authority_pem),
        Route("/api/state", views.state),
        Route("/api/entries", views.entries, methods=["POST"]),
        Route("/manifest.webmanifest", views.manifest),
        Route("/sw.js", views.static_file("sw.js", "text/javascript")),
        Route("/static/phone.js", views.static_file("phone.js", "text/javascript")),
        Route("/static/phone-pair.js", views.static_file("phone-pair.js", "text/javascript")),
        Route("/static/phone.css", views.static_file("phone.css", "text/css")),
        Route("/static/phone-icon.svg", views.static_file("phone-icon.svg", "image/svg+xml")),
        Route("/static/phone-icon-192.png", views.static_file("phone-icon-192.png", "image/png")),
        Route("/static/phone-icon-512.png", views.static_file("phone-icon-512.png", "image/png")),
    ]
    app = Starlette(
        routes=routes,
        middleware=phone_middleware(guard, access.journal, lambda: page),
        exception_handlers={404: views.not_here, 405: views.not_here, NotFound: views.not_here},
    )
    app.state.access = access
    app.state.templates = templates
    return app
