"""``lock``, ``unlock``, ``passphrase``, ``backup``, ``restore``, ``export`` and
``forget-coordinates``: keeping the journal private and whole."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from innerpace.cli.context import print_json, read_secret_file, state
from innerpace.errors import UserError


def _new_passphrase(file: str | None, env: str) -> str:
    """A new passphrase: from FILE, else the environment variable, else asked twice."""
    if file:
        return read_secret_file(file)
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise UserError(
            f"no new passphrase given: use --new-passphrase-file FILE or set {env}, "
            "or run this in a terminal"
        )
    return typer.prompt("New passphrase", hide_input=True, confirmation_prompt=True)


def lock(
    ctx: typer.Context,
    new_passphrase_file: str | None = typer.Option(
        None,
        "--new-passphrase-file",
        metavar="FILE",
        help="Read the passphrase from FILE (else --passphrase-file, $INNERPACE_PASSPHRASE, "
        "or you are asked).",
    ),
) -> None:
    """Encrypt this journal (and its backups) with a passphrase; shows a recovery key once."""
    st = state(ctx)
    with st.open() as journal:
        if journal.encrypted:
            raise UserError("this journal is already encrypted")
        passphrase = (
            read_secret_file(new_passphrase_file)
            if new_passphrase_file
            else st.passphrase() or _new_passphrase(None, "INNERPACE_PASSPHRASE")
        )
        done = journal.lock(passphrase)
    typer.echo("The journal is encrypted. Its key file is " + str(done.key_file) + ".")
    typer.echo("")
    typer.echo("Your recovery key (shown only this once — write it down and keep it apart):")
    typer.echo("")
    typer.echo("    " + done.recovery_key)
    typer.echo("")
    typer.echo(
        "It opens the journal if you forget the passphrase: innerpace --recovery-key KEY ..."
    )


def unlock(ctx: typer.Context) -> None:
    """Decrypt this journal and its backups for good (it stays a plain SQLite file)."""
    with state(ctx).open() as journal:
        journal.unlock()
    typer.echo("The journal is no longer encrypted; its key file is gone.")


def passphrase(
    ctx: typer.Context,
    new_passphrase_file: str | None = typer.Option(
        None,
        "--new-passphrase-file",
        metavar="FILE",
        help="Read the new passphrase from FILE (else $INNERPACE_NEW_PASSPHRASE, or asked).",
    ),
) -> None:
    """Change the passphrase (open with the old one or the recovery key). Data stays as is."""
    with state(ctx).open() as journal:
        if not journal.encrypted:
            raise UserError("this journal is not encrypted; `innerpace lock` encrypts it")
        new = _new_passphrase(new_passphrase_file, "INNERPACE_NEW_PASSPHRASE")
        journal.change_passphrase(new)
    typer.echo("The passphrase is changed. The recovery key stays the same.")


def backup(
    ctx: typer.Context,
    to: Path | None = typer.Option(None, "--to", metavar="FILE", help="Write it here instead."),
    list_them: bool = typer.Option(False, "--list", help="List the backups in the data folder."),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON."),
) -> None:
    """Back the journal up now (an encrypted journal's backup stays encrypted)."""
    with state(ctx).open() as journal:
        if list_them:
            found = journal.backups()
            rows = [
                {
                    "file": str(b.path),
                    "kind": b.kind,
                    "bytes": b.size,
                    "made": datetime.fromtimestamp(b.modified, UTC).isoformat(timespec="seconds"),
                }
                for b in found
            ]
            if as_json:
                print_json(rows)
            elif not rows:
                typer.echo("No backups yet.")
            for row in [] if as_json else rows:
                typer.echo(f"{row['made']}  {row['kind']:<16} {row['file']}")
            return
        made = journal.backup(to)
        encrypted = journal.encrypted
    typer.echo(f"Backed up to {made}.")
    if encrypted and to is not None:
        typer.echo(f"It is encrypted; its key file is beside it ({made.name}.key.json).")


def restore(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup file made by innerpace."),
) -> None:
    """Replace the journal with a backup, after checking it. The current one is kept first."""
    with state(ctx).open() as journal:
        kept = journal.restore(source)
    typer.echo(f"Restored from {source}. The journal as it was is kept in {kept}.")


def export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", metavar="DIR|FILE.zip", help="A new folder or .zip."),
    with_coordinates: bool = typer.Option(
        False,
        "--with-coordinates",
        help="Include GPS coordinates, and the original activity files (which hold them).",
    ),
) -> None:
    """Export everything in open formats: JSON, CSV, Markdown (and originals if asked)."""
    with state(ctx).open() as journal:
        written = journal.export(out, with_coordinates=with_coordinates)
        encrypted = journal.encrypted
    typer.echo(f"Exported to {written}.")
    if encrypted:
        typer.echo("Note: an export is not encrypted. Keep it somewhere private, or delete it.")


def forget_coordinates(
    ctx: typer.Context,
    originals: bool = typer.Option(
        False, "--originals", help="Also remove the kept original files (they hold coordinates)."
    ),
) -> None:
    """Remove GPS coordinates from every stored run; new imports keep none from now on."""
    with state(ctx).open() as journal:
        changed = journal.forget_coordinates(originals=originals)
    typer.echo(f"Coordinates removed from {changed} runs; new imports will keep none.")
    if not originals:
        typer.echo("The kept original files still hold them: add --originals to remove those.")
    typer.echo("Older backups still hold them until they rotate out (7 days, 4 weeks).")


def register(app: typer.Typer) -> None:
    app.command("lock")(lock)
    app.command("unlock")(unlock)
    app.command("passphrase")(passphrase)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("export")(export)
    app.command("forget-coordinates")(forget_coordinates)
