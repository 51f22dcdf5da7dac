"""The ``innerpace`` command: thin commands over :mod:`innerpace.services`.

``main(argv) -> int`` runs one command and returns its exit code: 0 ok, 1 a problem the user can
fix (one line, no traceback), 2 a usage error. A plain daily command line (``checkin``,
``moment``, ``reflect``, ``search``, ``runs``, ``log-run``) runs without loading Typer
(:mod:`innerpace.cli.daily`); everything else, help and usage errors included, goes to the Typer
app in :mod:`innerpace.cli.typer_app`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    from innerpace.cli import daily

    quick = daily.run(args)
    if quick is not None:
        return quick
    from innerpace.cli.typer_app import main as full

    return full(args)


def __getattr__(name: str) -> Any:
    if name == "app":  # the Typer app, loaded when asked for
        from innerpace.cli.typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
