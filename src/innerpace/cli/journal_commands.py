"""Commands that read and write runs: ``runs``, ``log-run``, ``info``."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import typer

from innerpace.cli import daily
from innerpace.cli.context import print_json, state
from innerpace.words import text

E = TypeVar("E", bound=Enum)


def runs(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    sport: list[str] = typer.Option(
        None, "--sport", help="Only this sport (repeatable): running, walking, cycling, …"
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many runs."),
) -> None:
    """List runs, newest first, with how you felt before and after."""
    daily.runs(state(ctx), as_json=as_json, sport=sport, limit=limit)


def log_run(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", help="When it started, ISO-8601."),
    ended: str | None = typer.Option(
        None, "--ended", help="When it ended, ISO-8601 (without --at or --ended: it ended now)."
    ),
    minutes: float = typer.Option(..., "--minutes", help="How long it lasted, in minutes."),
    km: float | None = typer.Option(None, "--km", help="Distance in kilometres."),
    setting: str = typer.Option("unknown", "--setting", help="road, trail, track, treadmill…"),
    company: str = typer.Option("unknown", "--company", help="alone or with-others."),
    sport: str = typer.Option("running", "--sport", help="running, walking, hiking…"),
    name: str | None = typer.Option(None, "--name", help="A title, if you like."),
    as_json: bool = typer.Option(False, "--json", help="Print the new run as JSON."),
) -> None:
    """Log a run by hand: a treadmill run, or one without a watch."""
    daily.log_run(
        state(ctx), at=at, ended=ended, minutes=minutes, km=km, setting=setting,
        company=company, sport=sport, name=name, as_json=as_json,
    )  # fmt: skip


def info(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Where your journal lives, its schema version, and what it holds."""
    with state(ctx).open() as journal:
        facts = journal.info()
    if as_json:
        print_json(facts)
        return
    counts = facts["counts"]
    assert isinstance(counts, dict)
    typer.echo(f"{text('cli.info.data_folder'):<16}{facts['data_dir']}")
    typer.echo(f"{text('cli.info.journal_file'):<16}{facts['journal']}")
    typer.echo(f"{text('cli.info.schema_version'):<16}{facts['schema_version']}")
    if facts["demo"]:
        typer.echo(text("cli.info.demo"))
    for key, value in counts.items():
        typer.echo(f"{key.replace('_', ' '):<16}{value}")


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)
    app.command("log-run")(log_run)
    app.command("info")(info)
