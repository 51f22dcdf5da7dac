"""``lock``, ``unlock``, ``passphrase``, ``backup``, ``restore``, ``export`` and
``forget-coordinates``: keeping the journal private and whole."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from innerpace.cli.context import ask_secret, print_json, read_secret_file, state
from innerpace.errors import UserError
from innerpace.words import text


def _new_passphrase(file: str | None, env: str) -> str:
    """A new passphrase: from FILE, else the environment variable, else asked twice."""
    if file:
        return read_secret_file(file)
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise UserError(text("cli.passphrase.none_given", env=env))
    return typer.prompt(
        text("cli.passphrase.new_prompt"), hide_input=True, confirmation_prompt=True
    )


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
            raise UserError(text("services.safety.already_encrypted"))
        passphrase = (
            read_secret_file(new_passphrase_file)
            if new_passphrase_file
            else st.passphrase() or _new_passphrase(None, "INNERPACE_PASSPHRASE")
        )
        journal.lock(passphrase, show=_show_recovery_key)


def _show_recovery_key(done) -> None:
    """Shown before the lock counts as done (a lock killed before this is undone)."""
    typer.echo(text("cli.lock.encrypted", key_file=done.key_file))
    typer.echo("")
    typer.echo(text("cli.lock.recovery_key"))
    typer.echo("")
    typer.echo("    " + done.recovery_key)
    typer.echo("")
    typer.echo(text("cli.lock.recovery_use"))
    sys.stdout.flush()


def unlock(ctx: typer.Context) -> None:
    """Decrypt this journal and its backups for good (it stays a plain SQLite file)."""
    with state(ctx).open() as journal:
        journal.unlock()
    typer.echo(text("cli.lock.unlocked"))


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
            raise UserError(text("services.safety.not_encrypted_lock"))
        new = _new_passphrase(new_passphrase_file, "INNERPACE_NEW_PASSPHRASE")
        journal.change_passphrase(new)
    typer.echo(text("cli.lock.passphrase_changed"))


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
                typer.echo(text("cli.backup.none_yet"))
            for row in [] if as_json else rows:
                typer.echo(f"{row['made']}  {row['kind']:<16} {row['file']}")
            return
        made = journal.backup(to)
        encrypted = journal.encrypted
    typer.echo(text("cli.backup.made", path=made))
    if encrypted and to is not None:
        typer.echo(text("cli.backup.key_beside", name=made.name))


def restore(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup file made by innerpace."),
    key_file: Path | None = typer.Option(
        None,
        "--key-file",
        metavar="FILE",
        help="The key file that came with the backup, when it is not beside it (BACKUP.key.json).",
    ),
    backup_passphrase_file: str | None = typer.Option(
        None,
        "--backup-passphrase-file",
        metavar="FILE",
        help="For a backup made under an earlier key: read the passphrase it was made with "
        "from FILE (else $INNERPACE_BACKUP_PASSPHRASE, or you are asked, only when needed).",
    ),
    backup_recovery_key: str | None = typer.Option(
        None,
        "--backup-recovery-key",
        metavar="KEY",
        help="For a backup made under an earlier key: the recovery key of that time "
        "(or $INNERPACE_BACKUP_RECOVERY_KEY).",
    ),
) -> None:
    """Replace the journal with a backup, after checking it. The current one is kept first.

    A backup made under an earlier key is opened with the key file beside it (or --key-file)
    and the passphrase or recovery key of its time, then kept under this journal's key."""
    from innerpace.services.safety import BackupLocked

    passphrase = (
        read_secret_file(backup_passphrase_file)
        if backup_passphrase_file
        else os.environ.get("INNERPACE_BACKUP_PASSPHRASE") or None
    )
    recovery = backup_recovery_key or os.environ.get("INNERPACE_BACKUP_RECOVERY_KEY") or None
    with state(ctx).open() as journal:
        earlier_key = journal.backup_made_under_other_key(source)
        try:
            kept = journal.restore_backup(
                source, passphrase=passphrase, recovery_key=recovery, key_file=key_file
            )
        except BackupLocked:
            if not sys.stdin.isatty():
                raise
            asked = ask_secret("cli.restore.prompt")
            kept = journal.restore_backup(source, passphrase=asked, key_file=key_file)
        encrypted = journal.encrypted
    typer.echo(text("cli.backup.restored", source=source, kept=kept))
    if earlier_key:
        typer.echo(text("cli.restore.under_current_key" if encrypted else "cli.restore.made_plain"))


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
    typer.echo(text("cli.backup.exported", path=written))
    if encrypted:
        typer.echo(text("cli.backup.export_not_encrypted"))


def forget_coordinates(
    ctx: typer.Context,
    originals: bool = typer.Option(
        False, "--originals", help="Also remove the kept original files (they hold coordinates)."
    ),
) -> None:
    """Remove GPS coordinates from every stored run; new imports keep none from now on."""
    with state(ctx).open() as journal:
        changed = journal.forget_coordinates(originals=originals)
    if changed == 1:
        typer.echo(text("cli.coordinates.removed_one"))
    else:
        typer.echo(text("cli.coordinates.removed", n=changed))
    if not originals:
        typer.echo(text("cli.coordinates.originals_remain"))
    typer.echo(text("cli.coordinates.backups_remain"))


def register(app: typer.Typer) -> None:
    app.command("lock")(lock)
    app.command("unlock")(unlock)
    app.command("passphrase")(passphrase)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("export")(export)
    app.command("forget-coordinates")(forget_coordinates)
