"""The command line, the use-cases and the store speak only through the reviewed words.

What ``innerpace`` prints, asks or refuses is looked up with ``text(...)``; the code keeps only
layout (indents, columns) and units. A word typed straight into an ``echo``, ``print``,
``prompt`` or a user-facing error would dodge review, so this scan finds it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "innerpace"
SCANNED = sorted(
    [
        *(PACKAGE / "cli").glob("*.py"),
        *(PACKAGE / "services").glob("*.py"),
        *(PACKAGE / "store").glob("*.py"),
        *(PACKAGE / "web" / "views").glob("*.py"),
    ]
)

SPEAKERS = frozenset({"echo", "print", "prompt"})  # typer.echo, console.print, typer.prompt
REFUSALS = frozenset(
    {
        "UserError",
        "NotFound",
        "DataDirError",
        "JournalNotEmpty",
        "JournalDamaged",
        "JournalLocked",
        "WrongPassphrase",
        "BackupProblem",
        "JournalInUse",
        "KeyFileProblem",
        "KeyFileDamaged",
    }
)
UNITS = frozenset({"min", "km"})  # table cells may carry a unit after a number
WORD = re.compile(r"[A-Za-z]{2,}")


def _literal_parts(node: ast.expr) -> list[str]:
    """The literal text in a string, an f-string (not its format specs) or a ``+`` of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def inline_words(source: str) -> list[tuple[int, str]]:
    """(line, words) for every user-facing call whose first argument spells out words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        if _called(node) not in SPEAKERS | REFUSALS:
            continue
        spelled = [
            w for part in _literal_parts(node.args[0]) for w in WORD.findall(part) if w not in UNITS
        ]
        if spelled:
            found.append((node.lineno, " ".join(spelled)))
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_sentence_is_typed_inline(path):
    found = inline_words(path.read_text("utf-8"))
    where = "\n".join(f"{path.name}:{line}: {words}" for line, words in found)
    assert not found, "move these words into innerpace/words/messages.toml:\n" + where


# --- the scan itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'typer.echo("Nothing found.")',
        'typer.echo(f"Kept {n} runs.")',
        'console.print("  could not read " + name)',
        'raise UserError(f"there is no run {run_id}")',
        'raise NotFound("gone")',
        'typer.prompt("New passphrase", hide_input=True)',
    ],
)
def test_the_scan_finds_inline_words(line):
    assert inline_words(line)


@pytest.mark.parametrize(
    "line",
    [
        'typer.echo(text("cli.search.nothing"))',
        'typer.echo("")',
        'typer.echo("  " + line)',
        "typer.echo(f\"{row['id']:>5}  {row['made']:<16}\")",
        "typer.echo(f\"{row['minutes']:>4g} min  {row['title']}\")",
        "raise UserError(str(exc))",
        'print_json({"id": 1})',
    ],
)
def test_the_scan_lets_layout_and_units_pass(line):
    assert not inline_words(line)
