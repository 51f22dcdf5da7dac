"""The daily commands' work: ``checkin``, ``moment``, ``reflect``, ``search``, ``runs``,
``log-run``, without Typer.

Typer (with the validation it brings) takes longer to load than a whole jrnl entry, so these
commands, which people type every day, are parsed here with the standard library when the line is
plain; ``--help``, anything unusual and every usage error go to the full Typer app, which calls
the same functions below. ``tests/cli/test_cli_daily_fast.py`` checks that both parsers hand
these functions the same values.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from innerpace.cli.context import State, echo, print_json
from innerpace.domain import Company, Setting, Sport
from innerpace.domain.times import iso_utc
from innerpace.errors import UserError
from innerpace.instruments import get_instrument
from innerpace.presentation import feeling_words, format_distance, format_duration
from innerpace.words import text

E = TypeVar("E", bound=Enum)


def choice(enum: type[E], value: str, option: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum)
        message = text("cli.runs.not_one_of", option=option, allowed=allowed, value=repr(value))
        raise UserError(message) from None


def parse_at(given: str | None, option: str = "--at") -> datetime:
    if given is None:
        return datetime.now().astimezone()
    raw = given.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise UserError(text("cli.runs.not_a_time", option=option, given=repr(given))) from None
    # A time without an offset is the local clock's time, as a runner would type it.
    return value.astimezone() if value.tzinfo is None else value


def edit_in_editor(initial: str) -> str:
    """Open $EDITOR on a private temporary file and return what was written."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "nano"
    fd, path = tempfile.mkstemp(prefix="innerpace-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        os.chmod(path, 0o600)
        try:
            subprocess.run([*shlex.split(editor), path], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            failed = text("cli.reflect.editor_failed", editor=repr(editor), reason=exc)
            raise UserError(failed) from None
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    finally:
        os.unlink(path)


def checkin(
    state: State,
    *,
    before: bool,
    after: bool,
    rest: bool,
    feeling: int,
    arousal: int | None,
    at: str | None,
    run: int | None,
    note: str | None,
    as_json: bool,
    tags: list[str] | None = None,
) -> None:
    """Ten seconds: how do you feel right now?"""
    kinds = [k for k, on in (("before", before), ("after", after), ("rest", rest)) if on]
    if len(kinds) != 1:
        raise UserError(text("cli.checkin.choose_kind"))
    with state.open() as journal:
        saved = journal.check_in(
            kinds[0],
            feeling=feeling,
            arousal=arousal,
            at=parse_at(at) if at else None,
            run_id=run,
            note=note,
            tags=tags or [],
        )
        prompt = journal.prompt_for(saved)
    data = {
        "id": saved.id,
        "kind": saved.kind.value,
        "at": iso_utc(saved.at),
        "run": saved.run_id,
        "delay_s": saved.delay_s,
        "feeling": feeling,
        "arousal": arousal,
        "tags": list(saved.tags),
        "prompt": {"id": prompt.id, "text": prompt.text},
    }
    if as_json:
        print_json(data)
        return
    label = get_instrument("fs").items[0].anchor(float(feeling))
    felt = f"{feeling:+d}{' ' + label if label else ''}"
    if saved.run_id:
        kept = text(
            "cli.checkin.kept_with_run", kind=saved.kind.value, feeling=felt, run=saved.run_id
        )
    else:
        kept = text("cli.checkin.kept", kind=saved.kind.value, feeling=felt)
    echo(kept)
    echo(text("cli.checkin.prompt", prompt=prompt.text))
    if saved.run_id:
        hint = text("cli.checkin.reflect_run", run=saved.run_id, prompt=prompt.id)
    else:
        hint = text("cli.checkin.reflect", prompt=prompt.id)
    echo("  " + hint)


def moment(
    state: State,
    *,
    run: int,
    at: str | None,
    tag: list[str] | None,
    note: str | None,
    confirm: int | None,
    dismiss: int | None,
    as_json: bool,
) -> None:
    """Mark a moment in a run, or keep / set aside one a lap press suggested."""
    chosen = [x for x in (at, confirm, dismiss) if x is not None]
    if len(chosen) != 1:
        raise UserError(text("cli.moment.choose_one"))
    with state.open() as journal:
        detail = journal.run_detail(run, with_series=False)
        if at is not None:
            saved = journal.add_moment(run, at, tags=tag or (), note=note)
        else:
            moment_id = confirm if confirm is not None else dismiss
            if moment_id not in {m.id for m in detail.moments}:
                raise UserError(text("cli.moment.not_in_run", run=run, moment=moment_id))
            if confirm is not None:
                saved = journal.confirm_moment(confirm, tags=tag or (), note=note)
            else:
                saved = journal.dismiss_moment(moment_id or 0)
    data = {
        "id": saved.id,
        "run": saved.run_id,
        "at_s": saved.at_s,
        "at_m": saved.at_m,
        "tags": list(saved.tags),
        "note": saved.note,
        "status": saved.status.value,
    }
    if as_json:
        print_json(data)
    else:
        said = {"moment": saved.id, "run": run, "status": saved.status.value}
        if saved.tags:
            echo(text("cli.moment.status_with_tags", tags=", ".join(saved.tags), **said))
        else:
            echo(text("cli.moment.status", **said))


def reflect(
    state: State,
    *,
    run: int | None,
    prompt: str | None,
    day: str | None,
    private: bool,
    as_json: bool,
) -> None:
    """Write a reflection in your $EDITOR (or pipe it in). Markdown is welcome."""
    question = None
    if prompt is not None:
        from innerpace.prompts import UnknownPrompt, get_prompt

        try:
            question = get_prompt(prompt)
        except UnknownPrompt as exc:
            raise UserError(str(exc)) from None
    when = None
    if day is not None:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise UserError(text("cli.reflect.not_a_day", day=repr(day))) from None
    with state.open() as journal:
        if run is not None:
            journal.run_detail(run, with_series=False)
        if sys.stdin.isatty():
            header = f"<!-- {question.text} -->\n\n" if question else ""
            written = edit_in_editor(header)
            if question:
                written = written.replace(header.strip(), "", 1)
        else:
            written = sys.stdin.read()
        saved = journal.reflect(
            written, run_id=run, day=when, prompt_id=question.id if question else None,
            private=private,
        )  # fmt: skip
    if as_json:
        print_json({"id": saved.id, "run": saved.run_id, "chars": len(saved.text)})
    else:
        echo(text("cli.reflect.kept", words=len(saved.text.split())))


def search(state: State, *, words: list[str], as_json: bool) -> None:
    """Search your reflections."""
    with state.open() as journal:
        hits = journal.search(" ".join(words))
    rows: list[dict[str, str | int | None]] = [
        {"id": r.id, "run": r.run_id, "day": r.day.isoformat() if r.day else None,
         "created": iso_utc(r.created),
         "snippet": snippet.replace("\x02", "[").replace("\x03", "]")}
        for r, snippet in hits
    ]  # fmt: skip
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo(text("cli.search.nothing"))
    for row in rows:
        where = text("cli.search.in_run", run=row["run"]) if row["run"] else (row["day"] or "")
        echo(f"{str(row['created'])[:10]}  {where}: {row['snippet']}")


def runs(state: State, *, as_json: bool, sport: list[str] | None, limit: int | None) -> None:
    """List runs, newest first, with how you felt before and after."""
    sports = [choice(Sport, s, "--sport").value for s in sport] if sport else None
    with state.open() as journal:
        listings = journal.runs(sports=sports, limit=limit)
        quiet = journal.quiet_numbers
    if as_json:
        print_json([item.as_json() for item in listings])
        return
    if not listings:
        echo(text("cli.runs.none_yet"))
        return
    columns = ["id", "when", "before", "after", "name", "time"] + ([] if quiet else ["distance"])
    rows = []
    for item in listings:
        run = item.run
        row = [
            str(run.id),
            run.local_start.strftime("%a %d %b %Y %H:%M"),
            feeling_words(item.pre_feeling),
            feeling_words(item.post_feeling),
            run.name or "",
            format_duration(run.duration_s),
        ]
        rows.append(row + ([] if quiet else [format_distance(run.distance_m)]))
    for line in table_lines(columns, rows):
        echo(line)


def table_lines(columns: list[str], rows: list[list[str]]) -> list[str]:
    """A plain table: each column as wide as its widest cell, two spaces between columns."""
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [columns, *rows]
    ]


def log_run(
    state: State,
    *,
    at: str | None,
    ended: str | None,
    minutes: float,
    km: float | None,
    setting: str,
    company: str,
    sport: str,
    name: str | None,
    as_json: bool,
) -> None:
    """Log a run by hand: a treadmill run, or one without a watch."""
    start = parse_at(at) if at is not None else None
    end = parse_at(ended, option="--ended") if ended is not None else None
    with state.open() as journal:
        run = journal.log_run(
            at=start,
            ended=end,
            minutes=minutes,
            km=km,
            setting=choice(Setting, setting, "--setting"),
            company=choice(Company, company.replace("_", "-"), "--company"),
            sport=choice(Sport, sport, "--sport"),
            name=name,
        )
        listing = journal.runs(limit=1)
        data = next((i.as_json() for i in listing if i.run.id == run.id), {"id": run.id})
    if as_json:
        print_json(data)
    else:
        logged = text(
            "cli.runs.logged",
            run=run.id,
            duration=format_duration(run.duration_s),
            day=f"{run.local_start:%a %d %b %Y}",
            time=f"{run.local_start:%H:%M}",
        )
        echo(logged)


# -- the quick parser --------------------------------------------------------------------------
class _Unusual(Exception):
    """Something the quick parser leaves to the full app (help, a usage error, …)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # a usage error: Typer explains it the usual way
        raise _Unusual(message)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _parser(command: str) -> _Parser:
    p = _Parser(prog=f"innerpace {command}", add_help=False, allow_abbrev=False)
    flag = {"action": "store_true"}
    if command == "checkin":
        for name in ("--before", "--after", "--rest"):
            p.add_argument(name, **flag)  # type: ignore[arg-type]  # argparse's loose kwargs
        p.add_argument("--feeling", type=int, required=True)
        p.add_argument("--arousal", type=int)
        p.add_argument("--at")
        p.add_argument("--run", type=int)
        p.add_argument("--note")
        p.add_argument("--tag", action="append", dest="tags")
    elif command == "moment":
        p.add_argument("run", type=int)
        p.add_argument("--at")
        p.add_argument("--tag", action="append")
        p.add_argument("--note")
        p.add_argument("--confirm", type=int)
        p.add_argument("--dismiss", type=int)
    elif command == "reflect":
        p.add_argument("--run", type=int)
        p.add_argument("--prompt")
        p.add_argument("--day")
        p.add_argument("--private", **flag)  # type: ignore[arg-type]  # argparse's loose kwargs
    elif command == "search":
        p.add_argument("words", nargs="+")
    elif command == "runs":
        p.add_argument("--sport", action="append")
        p.add_argument("--limit", type=_positive)
    elif command == "log-run":
        p.add_argument("--at")
        p.add_argument("--ended")
        p.add_argument("--minutes", type=float, required=True)
        p.add_argument("--km", type=float)
        p.add_argument("--setting", default="unknown")
        p.add_argument("--company", default="unknown")
        p.add_argument("--sport", default="running")
        p.add_argument("--name")
    p.add_argument("--json", dest="as_json", **flag)  # type: ignore[arg-type]
    return p


COMMANDS: dict[str, Callable[..., None]] = {
    "checkin": checkin,
    "moment": moment,
    "reflect": reflect,
    "search": search,
    "runs": runs,
    "log-run": log_run,
}
_ROOT = {
    "--data-dir": "data_dir",
    "--passphrase-file": "passphrase_file",
    "--recovery-key": "recovery_key",
}


def parse(args: list[str]) -> tuple[str, State, dict[str, Any]] | None:
    """(command, state, values) for a plain daily command line, or None for the full app."""
    root: dict[str, str] = {}
    rest = list(args)
    while rest and rest[0].startswith("--"):
        name, has_value, value = rest[0].partition("=")
        if name not in _ROOT:
            return None
        if not has_value:
            if len(rest) < 2:
                return None
            value = rest[1]
            rest = rest[1:]
        root[_ROOT[name]] = value
        rest = rest[1:]
    if not rest or rest[0] not in COMMANDS or any(a in ("--help", "-h") for a in rest[1:]):
        return None
    command = rest[0]
    try:
        values = vars(_parser(command).parse_args(rest[1:]))
    except (_Unusual, ValueError):
        return None
    return command, State(**root), values


def run(args: list[str]) -> int | None:
    """Run a plain daily command line and return its exit code; None leaves it to Typer."""
    parsed = parse(args)
    if parsed is None:
        return None
    command, state, values = parsed
    try:
        COMMANDS[command](state, **values)
    except UserError as exc:
        echo(text("cli.error", message=exc), err=True)
        return 1
    except KeyboardInterrupt:
        echo(text("cli.stopped"), err=True)
        return 130
    return 0
