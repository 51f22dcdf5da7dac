"""``import``, ``imports`` and ``undo-import``: bringing files in, and taking a batch back out."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import typer

from innerpace.cli.context import print_json, state
from innerpace.domain.times import iso_utc
from innerpace.importer import FileResult, ImportReport  # loaded lazily by the package
from innerpace.words import text


def _summary(report: ImportReport) -> str:
    parts = [text("cli.import.imported", n=report.imported)]
    if report.checkins:
        parts.append(text("cli.import.moods", n=report.checkins))
    if report.duplicates:
        parts.append(text("cli.import.already_here", n=report.duplicates))
    if report.skipped:
        parts.append(text("cli.import.skipped", n=report.skipped))
    if report.failed:
        parts.append(text("cli.import.unreadable", n=len(report.failed)))
    key = "cli.import.summary_dry_run" if report.dry_run else "cli.import.summary"
    return text(key, parts=", ".join(parts))


def import_files(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files, folders, .zip or .gz archives."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Look at everything, write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    daylio_mood: list[str] = typer.Option(
        [], "--daylio-mood", help="Place your own Daylio mood name on a level: NAME=LEVEL (1-5)."
    ),
) -> int:
    """Import FIT, GPX and TCX files, folders, archives, account exports and Daylio mood
    diaries. One bad file never stops the rest."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    err = Console(stderr=True)
    show_bar = not as_json and sys.stderr.isatty()
    with state(ctx).open() as journal:
        _place_daylio_moods(journal, paths, daylio_mood, ask=not as_json and sys.stdin.isatty())
        if show_bar:
            columns = (
                TextColumn(text("cli.import.progress")),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=err, transient=True) as bar:
                task = bar.add_task("import", total=None)

                def tick(_: FileResult) -> None:
                    bar.advance(task)

                report = journal.import_paths(paths, dry_run=dry_run, progress=tick)
        else:
            report = journal.import_paths(paths, dry_run=dry_run)
        waiting = journal.daylio_moods_to_place(paths) if report.failed else []
    if as_json:
        print_json(report.as_json())
        return report.exit_code
    out = Console()
    out.print(_summary(report), highlight=False)
    for result in report.failed:
        line = text("cli.import.could_not_read", file=result.file, reason=result.message)
        out.print("  " + line, highlight=False)
    for result in report.files:
        for warning in result.warnings:
            line = text("cli.import.note_on", file=result.file, warning=warning)
            out.print("  " + line, highlight=False)
    for source in report.sources():
        out.print(
            text("cli.import.from_source", source=source.source), highlight=False, soft_wrap=True
        )
        line = text(
            "cli.import.source_imported",
            n=source.imported,
            dup=source.duplicates,
            failed=source.failed,
        )
        out.print("  " + line, highlight=False, soft_wrap=True)
        brought = []
        if source.checkins:
            brought.append(text("cli.import.source_moods", n=source.checkins))
        if source.reflections:
            brought.append(text("cli.import.source_words", n=source.reflections))
        if brought:
            line = text("cli.import.source_brought", parts=", ".join(brought))
            out.print("  " + line, highlight=False, soft_wrap=True)
        for kind in source.skipped:
            line = text("cli.import.skipped_kind", n=kind.count, kind=kind.kind, reason=kind.reason)
            out.print("  " + line, highlight=False, soft_wrap=True)
    if waiting:
        moods = ", ".join(f"“{m}”" for m in waiting)
        line = text("cli.import.daylio_to_place", moods=moods, first=waiting[0])
        out.print(line, highlight=False, soft_wrap=True)
    if report.batch is not None and (report.imported or report.checkins or report.reflections):
        out.print(text("cli.import.batch", batch=report.batch), highlight=False)
    return report.exit_code


def _place_daylio_moods(journal, paths: list[Path], given: list[str], *, ask: bool) -> None:
    """The person's own Daylio mood names, placed on Daylio's five levels: from
    ``--daylio-mood NAME=LEVEL``, else asked once in a terminal, then remembered."""
    levels: dict[str, int] = {}
    for item in given:
        name, _, level = item.rpartition("=")
        if not name.strip() or not level.strip().isdigit():
            raise typer.BadParameter(text("cli.import.daylio_mood_option", given=repr(item)))
        levels[name.strip()] = int(level)
    if levels:
        journal.place_daylio_moods(levels)
    if not ask:
        return
    asked: dict[str, int] = {}
    for mood in journal.daylio_moods_to_place(paths):
        asked[mood] = typer.prompt(
            text("cli.import.daylio_question", mood=mood), type=click.IntRange(1, 5)
        )
    if asked:
        journal.place_daylio_moods(asked)


def imports(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List import batches, newest first."""
    with state(ctx).open() as journal:
        batches = journal.imports()
    rows = [
        {
            "batch": str(b.id),
            "started": iso_utc(datetime.fromtimestamp(b.started_ts, UTC)),
            "status": b.status,
            "activities": b.runs,
            "summary": b.summary,
        }
        for b in batches
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(text("cli.import.none_yet"))
    for row in rows:
        typer.echo(
            f"{row['batch']:>5}  {row['started']}  {row['status']:<8} "
            + text("cli.import.activities", n=row["activities"])
        )


def undo_import(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="The batch number `innerpace imports` shows."),
    preview: bool = typer.Option(
        False, "--preview", help="Only say what would go and what would stay."
    ),
) -> None:
    """Take back what one import batch brought; what you made on its runs stays."""
    with state(ctx).open() as journal:
        summary = journal.undo_preview(batch) if preview else journal.undo_import(batch)
    if preview and summary.runs == 1:
        typer.echo(text("cli.import.would_undo_one", batch=batch))
    elif preview:
        typer.echo(text("cli.import.would_undo", batch=batch, n=summary.runs))
    elif summary.runs == 1:
        typer.echo(text("cli.import.undone_one", batch=batch))
    else:
        typer.echo(text("cli.import.undone", batch=batch, n=summary.runs))
    typer.echo(
        text(
            "cli.import.goes",
            checkins=summary.checkins,
            moments=summary.moments,
            reflections=summary.reflections,
        )
    )
    if summary.restored_runs:
        typer.echo(text("cli.import.restored_runs", n=summary.restored_runs))
    if summary.handed_over == 1:
        typer.echo(text("cli.import.handed_over_one"))
    elif summary.handed_over:
        typer.echo(text("cli.import.handed_over", n=summary.handed_over))
    if not summary.kept:
        typer.echo(text("cli.import.stays_none"))
        return
    typer.echo(text("cli.import.stays_heading"))
    for kept in summary.kept:
        name = f" ({kept.run_name})" if kept.run_name else ""
        typer.echo(
            "  "
            + text(
                "cli.import.stays_line",
                kind=kept.kind,
                day=f"{kept.run_start.astimezone():%d %b %Y %H:%M}",
                name=name,
                words=" ".join((kept.words or "—").split())[:60],
            )
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command("imports")(imports)
    app.command("undo-import")(undo_import)
