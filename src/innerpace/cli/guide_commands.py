"""``innerpace guide``: guided-run audio at your own cadence, rendered on this computer."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import typer

from innerpace.cli.context import print_json, state
from innerpace.errors import UserError
from innerpace.words import text

guide_app = typer.Typer(help="Guided runs: breath cues at your cadence, bells, quiet.")


@guide_app.command("list")
def list_sessions(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """The guided runs you can render."""
    with state(ctx).open() as journal:
        sessions = journal.guide_sessions()
    rows = [
        {"id": s.id, "title": s.title, "minutes": s.minutes, "description": s.description}
        for s in sessions
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['id']:<18} {row['minutes']:>4g} min  {row['title']}")
        typer.echo(
            textwrap.fill(
                str(row["description"]), 88, initial_indent="    ", subsequent_indent="    "
            )
        )


def _cadence(given: str, journal) -> float:
    if given != "auto":
        try:
            return float(given)
        except ValueError:
            message = text("cli.guide.cadence_not_a_number", given=repr(given))
            raise UserError(message) from None
    found = journal.recent_cadence()
    if found is not None:
        return found
    if sys.stdin.isatty():
        return float(typer.prompt(text("cli.guide.cadence_prompt"), "170"))
    raise UserError(text("cli.guide.no_cadence"))


@guide_app.command("render")
def render(
    ctx: typer.Context,
    session: str = typer.Argument(..., help="A session id from `innerpace guide list`."),
    out: Path = typer.Option(..., "--out", help="Audio file: .wav, .flac, .ogg or .mp3."),
    cadence: str = typer.Option("auto", "--cadence", help="Steps per minute, or 'auto'."),
    minutes: float | None = typer.Option(None, "--minutes", help="Make it this long."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Render a guided run to an audio file for any phone or watch."""
    with state(ctx).open() as journal:
        steps = _cadence(cadence, journal)
        result = journal.render_guide(session, out, cadence=steps, minutes=minutes)
    facts = {
        "file": str(result.path),
        "minutes": round(result.duration_s / 60, 2),
        "cadence_spm": round(steps, 1),
        "cues": result.cue_counts,
        "voice": result.voice_used,
        "note": result.voice_note,
    }
    if as_json:
        print_json(facts)
        return
    wrote = text(
        "cli.guide.wrote", file=facts["file"], minutes=f"{facts['minutes']:g}", steps=f"{steps:.0f}"
    )
    typer.echo(wrote)
    if result.voice_note:
        typer.echo(result.voice_note)


def register(app: typer.Typer) -> None:
    app.add_typer(guide_app, name="guide")
