"""``innerpace guide``: guided-run audio at your own cadence, rendered on this computer."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import typer

from innerpace.cli.context import print_json, state
from innerpace.errors import UserError

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


def _cadence(text: str, journal) -> float:
    if text != "auto":
        try:
            return float(text)
        except ValueError:
            raise UserError(f"--cadence must be 'auto' or steps per minute, not {text!r}") from None
    found = journal.recent_cadence()
    if found is not None:
        return found
    if sys.stdin.isatty():
        return float(typer.prompt("No recent run recorded a cadence. Steps per minute", "170"))
    raise UserError("no recent run recorded a cadence; give one, e.g. --cadence 170")


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
    typer.echo(f"Wrote {facts['file']}: {facts['minutes']:g} min at {steps:.0f} steps/min.")
    if result.voice_note:
        typer.echo(result.voice_note)


def register(app: typer.Typer) -> None:
    app.add_typer(guide_app, name="guide")
