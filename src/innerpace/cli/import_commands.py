"""``import``, ``imports`` and ``undo-import``: bringing files in, and taking a batch back out."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from innerpace.cli.context import print_json, state
from innerpace.domain.times import iso_utc
from innerpace.importer import FileResult, ImportReport  # loaded lazily by the package
from innerpace.words import text


def _summary(report: ImportReport) -> str:
    parts = [text("cli.import.imported", n=report.imported)]
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
) -> int:
    """Import FIT, GPX and TCX files, folders and archives. One bad file never stops the rest."""
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
    if report.batch is not None and report.imported:
        out.print(text("cli.import.batch", batch=report.batch), highlight=False)
    return report.exit_code


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
    if preview:
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
    if not summary.kept:
        typer.echo(text("cli.import.stays_none"))
        return
    typer.echo(text("cli.import.stays_heading"))
    for kept in summary.kept:
        name = f" ({kept.run_name})" if kept.run_name else ""
        typer.echo(
            text(
                "cli.import.stays_line",
                kind=kept.kind,
                day=f"{kept.run_start:%d %b %Y %H:%M}",
                name=name,
                words=" ".join((kept.words or "—").split())[:60],
            )
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command("imports")(imports)
    app.command("undo-import")(undo_import)
