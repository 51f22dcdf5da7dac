"""The ``innerpace`` command: thin Typer commands over :mod:`innerpace.services`.

``main(argv) -> int`` runs one command and returns its exit code: 0 ok, 1 a problem the user can
fix (one line, no traceback), 2 a usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from innerpace.cli import (
    edit_commands,
    feeling_commands,
    guide_commands,
    import_commands,
    insight_commands,
    journal_commands,
    safety_commands,
    serve_command,
)
from innerpace.cli.context import State
from innerpace.errors import UserError
from innerpace.words import text

app = typer.Typer(
    name="innerpace",
    help="A private running journal for the mind, not the miles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: str | None = typer.Option(
        None,
        "--data-dir",
        help="Journal folder (default: $INNERPACE_HOME, else your user data folder).",
        metavar="DIR",
    ),
    passphrase_file: str | None = typer.Option(
        None,
        "--passphrase-file",
        help="Read an encrypted journal's passphrase from FILE (or set $INNERPACE_PASSPHRASE).",
        metavar="FILE",
    ),
    recovery_key: str | None = typer.Option(
        None,
        "--recovery-key",
        help="Open an encrypted journal with its recovery key (or $INNERPACE_RECOVERY_KEY).",
        metavar="KEY",
    ),
) -> None:
    """A private running journal for the mind, not the miles."""
    ctx.obj = State(data_dir=data_dir, passphrase_file=passphrase_file, recovery_key=recovery_key)


journal_commands.register(app)
import_commands.register(app)
feeling_commands.register(app)
edit_commands.register(app)
insight_commands.register(app)
guide_commands.register(app)
serve_command.register(app)
safety_commands.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="innerpace", standalone_mode=False)
    except UserError as exc:
        typer.echo(text("cli.error", message=exc), err=True)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # usage errors: show the usage line and the problem
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(text("cli.error", message=exc), err=True)
        return int(getattr(exc, "exit_code", 2))
    except (typer.Abort, KeyboardInterrupt):
        typer.echo(text("cli.stopped"), err=True)
        return 130
    return result if isinstance(result, int) else 0
