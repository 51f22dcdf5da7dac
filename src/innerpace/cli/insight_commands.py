"""``innerpace insights``: what your runs say about how running goes with your mood."""

from __future__ import annotations

import textwrap

import typer

from innerpace.cli.context import print_json, state


def insights(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print every finding with its numbers."),
) -> None:
    """Honest insight: the lift, how sure it is, and what goes with it — in plain words."""
    with state(ctx).open() as journal:
        journal.remember_hunches()
        found = journal.insights()
    if as_json:
        print_json(found.as_json())
        return
    for sentence in found.sentences():
        typer.echo(textwrap.fill(sentence, 88))
        typer.echo("")


def register(app: typer.Typer) -> None:
    app.command("insights")(insights)
