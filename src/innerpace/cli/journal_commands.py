"""Commands that read and write runs: ``runs``, ``log-run``, ``info``."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

import typer

from innerpace.cli.context import print_json, state
from innerpace.domain import Company, Setting, Sport
from innerpace.errors import UserError
from innerpace.presentation import feeling_words, format_distance, format_duration
from innerpace.words import text

E = TypeVar("E", bound=Enum)


def _choice(enum: type[E], value: str, option: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum)
        message = text("cli.runs.not_one_of", option=option, allowed=allowed, value=repr(value))
        raise UserError(message) from None


def parse_at(given: str | None, option: str = "--at") -> datetime:
    if given is None:
        return datetime.now().astimezone()
    raw = given.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise UserError(text("cli.runs.not_a_time", option=option, given=repr(given))) from None
    # A time without an offset is the local clock's time, as a runner would type it.
    return value.astimezone() if value.tzinfo is None else value


def runs(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    sport: list[str] = typer.Option(
        None, "--sport", help="Only this sport (repeatable): running, walking, cycling, …"
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many runs."),
) -> None:
    """List runs, newest first, with how you felt before and after."""
    sports = [_choice(Sport, s, "--sport").value for s in sport] if sport else None
    with state(ctx).open() as journal:
        listings = journal.runs(sports=sports, limit=limit)
        quiet = journal.quiet_numbers
    if as_json:
        print_json([item.as_json() for item in listings])
        return
    from rich.console import Console  # only to draw the table
    from rich.table import Table

    console = Console()
    if not listings:
        console.print(text("cli.runs.none_yet"))
        return
    table = Table(box=None, pad_edge=False, header_style="dim")
    columns = ["id", "when", "before", "after", "name", "time"] + ([] if quiet else ["distance"])
    for column in columns:
        table.add_column(column, style="dim" if column in ("id", "time", "distance") else None)
    for item in listings:
        run = item.run
        row = [
            str(run.id),
            run.local_start.strftime("%a %d %b %Y %H:%M"),
            feeling_words(item.pre_feeling),
            feeling_words(item.post_feeling),
            run.name or "",
            format_duration(run.duration_s),
        ]
        table.add_row(*row, *([] if quiet else [format_distance(run.distance_m)]))
    console.print(table)


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
    start = parse_at(at) if at is not None else None
    end = parse_at(ended, option="--ended") if ended is not None else None
    with state(ctx).open() as journal:
        run = journal.log_run(
            at=start,
            ended=end,
            minutes=minutes,
            km=km,
            setting=_choice(Setting, setting, "--setting"),
            company=_choice(Company, company.replace("_", "-"), "--company"),
            sport=_choice(Sport, sport, "--sport"),
            name=name,
        )
        listing = journal.runs(limit=1)
        data = next((i.as_json() for i in listing if i.run.id == run.id), {"id": run.id})
    if as_json:
        print_json(data)
    else:
        logged = text(
            "cli.runs.logged",
            run=run.id,
            duration=format_duration(run.duration_s),
            day=f"{run.local_start:%a %d %b %Y}",
            time=f"{run.local_start:%H:%M}",
        )
        typer.echo(logged)


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
