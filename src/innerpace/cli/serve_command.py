"""``innerpace serve``: the local web app on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import typer

from innerpace.cli.context import state


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port (0: any free one)."),
    demo: bool = typer.Option(False, "--demo", help="Open the demo journal (a separate folder)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    phone: bool = typer.Option(
        False, "--phone", help="Also let paired phones in, over HTTPS on the home network."
    ),
    phone_host: str = typer.Option(
        None, "--phone-host", help="The home-network address for phones (found by itself)."
    ),
    phone_port: int = typer.Option(8766, "--phone-port", min=0, max=65535, help="Phone port."),
    cert: Path = typer.Option(None, "--cert", help="Your own certificate for phone access."),
    key: Path = typer.Option(None, "--key", help="The private key of --cert."),
) -> None:
    """Start the web app on this computer only (127.0.0.1) and print the link to open."""
    from innerpace.web.phone.listener import PhoneAccess
    from innerpace.web.server import serve as run_server

    with state(ctx).open(demo=demo) as journal:
        access = PhoneAccess(
            journal, host=phone_host, port=phone_port, cert_file=cert, key_file=key, wanted=phone
        )
        run_server(journal, port=port, open_browser=not no_browser, phone=access)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
