"""What every command shares: the chosen data folder, and opening the journal from it."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from innerpace.errors import UserError
from innerpace.services import Journal
from innerpace.services.journal import JournalLocked
from innerpace.words import text

if TYPE_CHECKING:
    import typer


def read_secret_file(path: str) -> str:
    """A passphrase from a file: its first line, without the line ending."""
    try:
        content = Path(path).expanduser().read_text("utf-8")
    except OSError as exc:
        reason = exc.strerror or exc
        raise UserError(text("cli.passphrase.unreadable_file", path=path, reason=reason)) from None
    lines = content.splitlines()
    if not lines or not lines[0]:
        raise UserError(text("cli.passphrase.empty_file", path=path))
    return lines[0]


@dataclass
class State:
    data_dir: str | None = None
    passphrase_file: str | None = None
    recovery_key: str | None = None

    def passphrase(self) -> str | None:
        """``--passphrase-file``, else ``INNERPACE_PASSPHRASE``, else None."""
        if self.passphrase_file:
            return read_secret_file(self.passphrase_file)
        return os.environ.get("INNERPACE_PASSPHRASE") or None

    def recovery(self) -> str | None:
        return self.recovery_key or os.environ.get("INNERPACE_RECOVERY_KEY") or None

    def open(self, *, demo: bool = False, prompt: bool | None = None) -> Journal:
        """Open the journal; an encrypted one asks for its passphrase on a terminal."""
        folder = Path(self.data_dir).expanduser() if self.data_dir else None
        try:
            return Journal.open(
                folder, demo=demo, passphrase=self.passphrase(), recovery_key=self.recovery()
            )
        except JournalLocked:
            if not (sys.stdin.isatty() if prompt is None else prompt):
                raise
        passphrase = ask_secret("cli.passphrase.prompt")
        return Journal.open(folder, demo=demo, passphrase=passphrase)


def ask_secret(message_key: str) -> str:
    """A passphrase asked for on the terminal, hidden as it is typed."""
    import typer  # only to ask for a passphrase

    return str(typer.prompt(text(message_key), hide_input=True))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    return obj if obj is not None else State()


def echo(message: str = "", *, err: bool = False) -> None:
    """One line to the terminal (stderr with ``err``), as ``typer.echo`` would write it."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def print_json(value: object) -> None:
    echo(json.dumps(value, indent=2, ensure_ascii=False))
