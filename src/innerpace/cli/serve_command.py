"""``innerpace serve``: the local web app on 127.0.0.1."""

from __future__ import annotations

import typer

from innerpace.cli.context import state


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port (0: any free one)."),
    demo: bool = typer.Option(False, "--demo", help="Open the demo journal (a separate folder)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
) -> None:
    """Start the web app on this computer only (127.0.0.1) and print the link to open."""
    from innerpace.web.server import serve as run_server

    with state(ctx).open(demo=demo) as journal:
        run_server(journal, port=port, open_browser=not no_browser)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
