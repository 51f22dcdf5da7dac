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

# Every part of innerpace whose words reach a person: what the command line prints, what the web
# and phone pages answer, and every refusal the front ends show as it is (a ``UserError`` and its
# kin, an archive's budget, a guided run's plan and audio file, a question set's answers).
SPEAKING_PACKAGES = ("cli", "services", "store", "web", "export", "guide")
SPEAKING_MODULES = (
    "errors.py",
    "paths.py",
    "importer/budget.py",
    "instruments/model.py",
    "phone/inbox.py",
    "phone/pairing.py",
)
# What the scan leaves out, and why:
# - formats/ and the importer's readers: a ParseError's reason is a diagnostic of one file, shown
#   beside that file's name in the import report, in the parser's own terms;
# - guide/sessions.py: a SessionError names a line of a session file the person wrote;
# - domain/, demo/, insights/, instruments/__init__.py, prompts/, support/, words/: their errors
#   guard invariants or the shipped data files, and the services check input first; the
#   simulations in insights/ print tables for the make targets, not for a person's journal;
# - export/mapping.py: its refusals join the catalogue together with the export mapping's own
#   rework.
NOT_SCANNED = {"export/mapping.py"}
# Where a plain ValueError is a refusal a person reads (the guided-run use-case shows it as is).
PLAIN_REFUSALS = {"guide/plan.py", "guide/render.py"}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


SCANNED = sorted(
    p
    for p in [
        *(f for package in SPEAKING_PACKAGES for f in (PACKAGE / package).rglob("*.py")),
        *(PACKAGE / module for module in SPEAKING_MODULES),
    ]
    if _relative(p) not in NOT_SCANNED
)

SPEAKERS = frozenset(
    {"echo", "print", "prompt", "on_ready", "announce", "warn"}  # typer.echo, console.print, …
)
REFUSALS = frozenset(
    {
        "UserError",
        "NotFound",
        "DataDirError",
        "JournalNotEmpty",
        "JournalDamaged",
        "JournalLocked",
        "JournalInUse",
        "WrongPassphrase",
        "KeyFileProblem",
        "KeyFileDamaged",
        "BackupProblem",
        "ExportProblem",
        "UploadProblem",
        "ParseError",
        "RenderError",
        "VoiceUnavailable",
        "InvalidAnswer",
        "HTTPException",
    }
)
SAID_AS = frozenset({"message", "detail", "description"})  # dict keys and keywords of a reply
UNITS = frozenset({"min", "km"})  # table cells may carry a unit after a number
WORD = re.compile(r"[A-Za-z]{2,}")
# A plain-text answer spelled as bytes: a capitalised sentence ending in a full stop.
SENTENCE = re.compile(rb"^[A-Z][A-Za-z'-]* [^\x00]*[.:]\s*$")


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


def _words(node: ast.expr) -> str:
    return " ".join(
        w for part in _literal_parts(node) for w in WORD.findall(part) if w not in UNITS
    )


def inline_words(source: str, plain_refusals: bool = False) -> list[tuple[int, str]]:
    """(line, words) for every user-facing call, reply field or plain-text answer that spells
    out words."""
    refusals = REFUSALS | {"ValueError"} if plain_refusals else REFUSALS
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            said = []
            if node.args and _called(node) in SPEAKERS | refusals:
                said.append(node.args[0])
            said += [k.value for k in node.keywords if k.arg in SAID_AS]
            found += [(node.lineno, w) for w in map(_words, said) if w]
        elif isinstance(node, ast.Dict):
            said = [
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value in SAID_AS
            ]
            found += [(node.lineno, w) for w in map(_words, said) if w]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, bytes)
            and SENTENCE.match(node.value)
        ):
            found.append((node.lineno, node.value.decode("utf-8", "replace").strip()))
    return found


@pytest.mark.parametrize("path", SCANNED, ids=_relative)
def test_no_sentence_is_typed_inline(path):
    found = inline_words(path.read_text("utf-8"), _relative(path) in PLAIN_REFUSALS)
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
        'on_ready(f"innerpace is open at {url}")',
        'raise ParseError(f"the archive names {name!r} twice", name)',
        'raise HTTPException(status_code=413, detail="That request is too large.")',
        'JSONResponse({"ok": False, "message": "That was not an entry."})',
        'body = b"This address does not belong to innerpace.\\n"',
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
        'JSONResponse({"ok": False, "message": text("web.phone.not_an_entry")})',
        'MAGIC = b"SQLite format 3\\x00"',
        'headers = [(b"content-type", b"text/plain; charset=utf-8")]',
        'raise ValueError(f"{name!r} is not an export table")',
    ],
)
def test_the_scan_lets_layout_and_units_pass(line):
    assert not inline_words(line)


def test_a_plain_value_error_counts_where_it_reaches_a_person():
    line = 'raise ValueError(f"Minutes should be a number, not {minutes!r}.")'
    assert inline_words(line, plain_refusals=True) and not inline_words(line)


def test_the_lists_name_real_files():
    named = [PACKAGE / m for m in (*SPEAKING_MODULES, *NOT_SCANNED, *PLAIN_REFUSALS)]
    assert [p for p in named if not p.is_file()] == []
    assert all((PACKAGE / package).is_dir() for package in SPEAKING_PACKAGES)
