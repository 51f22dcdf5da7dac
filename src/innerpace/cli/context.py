"""What every command shares: the chosen data folder, and opening the journal from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import typer

from innerpace.services import Journal


@dataclass
class State:
    data_dir: str | None = None

    def open(self, *, demo: bool = False) -> Journal:
        folder = Path(self.data_dir).expanduser() if self.data_dir else None
        return Journal.open(folder, demo=demo)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    return obj if obj is not None else State()


def print_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))
