"""Feelings from the terminal: ``checkin``, ``moment``, ``reflect``, ``search``, ``wellbeing``."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from datetime import date

import typer

from innerpace.cli.context import print_json, state
from innerpace.cli.journal_commands import parse_at
from innerpace.domain.times import iso_utc
from innerpace.errors import UserError
from innerpace.instruments import get_instrument
from innerpace.words import text


def checkin(
    ctx: typer.Context,
    before: bool = typer.Option(False, "--before", help="Before a run."),
    after: bool = typer.Option(False, "--after", help="After a run."),
    rest: bool = typer.Option(False, "--rest", help="On a rest day (two, spaced like a run)."),
    feeling: int = typer.Option(..., "--feeling", help="Feeling Scale, -5 (very bad) to +5."),
    arousal: int | None = typer.Option(None, "--arousal", help="Felt arousal, 1 (low) to 6."),
    at: str | None = typer.Option(None, "--at", help="When (default: now)."),
    run: int | None = typer.Option(None, "--run", help="Tie it to this run."),
    note: str | None = typer.Option(None, "--note", help="What are you carrying today?"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Ten seconds: how do you feel right now?"""
    kinds = [k for k, on in (("before", before), ("after", after), ("rest", rest)) if on]
    if len(kinds) != 1:
        raise UserError(text("cli.checkin.choose_kind"))
    with state(ctx).open() as journal:
        saved = journal.check_in(
            kinds[0],
            feeling=feeling,
            arousal=arousal,
            at=parse_at(at) if at else None,
            run_id=run,
            note=note,
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
    typer.echo(kept)
    typer.echo(text("cli.checkin.prompt", prompt=prompt.text))
    if saved.run_id:
        hint = text("cli.checkin.reflect_run", run=saved.run_id, prompt=prompt.id)
    else:
        hint = text("cli.checkin.reflect", prompt=prompt.id)
    typer.echo("  " + hint)


def moment(
    ctx: typer.Context,
    run: int = typer.Argument(..., help="The run's id."),
    at: str | None = typer.Option(None, "--at", help="Where: 7km, 700m, 42min or 1:05:00."),
    tag: list[str] = typer.Option(None, "--tag", help="release, tears, clarity, calm, … (repeat)"),
    note: str | None = typer.Option(None, "--note", help="A few words."),
    confirm: int | None = typer.Option(None, "--confirm", help="Keep this suggested moment."),
    dismiss: int | None = typer.Option(None, "--dismiss", help="Set this suggestion aside."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Mark a moment in a run, or keep / set aside one a lap press suggested."""
    chosen = [x for x in (at, confirm, dismiss) if x is not None]
    if len(chosen) != 1:
        raise UserError(text("cli.moment.choose_one"))
    with state(ctx).open() as journal:
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
            typer.echo(text("cli.moment.status_with_tags", tags=", ".join(saved.tags), **said))
        else:
            typer.echo(text("cli.moment.status", **said))


def moments(
    ctx: typer.Context,
    run: int = typer.Argument(..., help="The run's id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The moments of one run, suggested ones included."""
    with state(ctx).open() as journal:
        found = journal.run_detail(run).moments
    if as_json:
        print_json(
            [
                {"id": m.id, "at_s": m.at_s, "at_m": m.at_m, "tags": list(m.tags),
                 "note": m.note, "status": m.status.value, "source": m.source}
                for m in found
            ]
        )  # fmt: skip
        return
    if not found:
        typer.echo(text("cli.moment.none_yet", run=run))
    for m in found:
        where = []
        if m.at_s is not None:
            where.append(f"{m.at_s / 60:.0f} min")
        if m.at_m is not None:
            where.append(f"{m.at_m / 1000:.1f} km")
        tags = ", ".join(m.tags)
        typer.echo(f"{m.id:>5}  {' · '.join(where):<18} {m.status.value:<10} {tags}")


def _edit(initial: str) -> str:
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


def reflect(
    ctx: typer.Context,
    run: int | None = typer.Option(None, "--run", help="Write about this run."),
    prompt: str | None = typer.Option(None, "--prompt", help="A prompt id to start from."),
    day: str | None = typer.Option(None, "--day", help="A day (YYYY-MM-DD) instead of a run."),
    private: bool = typer.Option(False, "--private", help="Keep it out of shared reports."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
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
    with state(ctx).open() as journal:
        if run is not None:
            journal.run_detail(run, with_series=False)
        if sys.stdin.isatty():
            header = f"<!-- {question.text} -->\n\n" if question else ""
            written = _edit(header)
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
        typer.echo(text("cli.reflect.kept", words=len(saved.text.split())))


def search(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., help="Words to look for in your reflections."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search your reflections."""
    with state(ctx).open() as journal:
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
        typer.echo(text("cli.search.nothing"))
    for row in rows:
        where = text("cli.search.in_run", run=row["run"]) if row["run"] else (row["day"] or "")
        typer.echo(f"{str(row['created'])[:10]}  {where}: {row['snippet']}")


def wellbeing(
    ctx: typer.Context,
    answers: str | None = typer.Option(None, "--answers", help="Five answers 0–5, e.g. 3,3,2,4,3"),
    at: str | None = typer.Option(None, "--at", help="When (default: now)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The weekly well-being check (WHO-5): five questions about the last two weeks."""
    who5 = get_instrument("who5")
    if answers is not None:
        try:
            values = [float(v) for v in answers.split(",")]
        except ValueError:
            raise UserError(text("cli.wellbeing.not_numbers", answers=repr(answers))) from None
    else:
        if not sys.stdin.isatty():
            raise UserError(text("cli.wellbeing.needs_answers"))
        typer.echo(text("cli.wellbeing.scale", preamble=who5.preamble))
        values = [float(typer.prompt(f"  {item.text}", type=int)) for item in who5.items]
    with state(ctx).open() as journal:
        saved = journal.record_wellbeing(values, at=parse_at(at) if at else None)
        card = journal.wellbeing_card()
        country = journal.setting("country") or None
    total = who5.score(saved.response)
    data = {"id": saved.id, "at": iso_utc(saved.at), "score": total, "card": card.level.value}
    if as_json:
        print_json(data)
        return
    typer.echo(text("cli.wellbeing.kept", score=f"{total:.0f}"))
    if card.level.value != "none":
        from innerpace.support import card as card_words

        words = card_words(card.level.value, country)
        typer.echo("")
        typer.echo(words.title)
        typer.echo(words.body)
        for contact in words.contacts:
            how = " or ".join(contact.how)
            line = text("support.contact_line", name=contact.name, how=how, number=contact.number)
            typer.echo("  " + line)
        if words.no_contacts:
            typer.echo(words.no_contacts)
        typer.echo(words.emergency)


def settings(
    ctx: typer.Context,
    key: str | None = typer.Argument(None, help="A setting to show or change."),
    value: str | None = typer.Argument(None, help="Its new value."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show or change settings: country, quiet_numbers, keep_coordinates."""
    with state(ctx).open() as journal:
        if key is not None and value is not None:
            journal.change_setting(key, value)
        current = journal.settings()
    if key is not None and value is None:
        current = {key: journal.setting(key)} if key in current else current
    if as_json:
        print_json(current)
        return
    for name, val in current.items():
        typer.echo(f"{name:<18} {val or text('cli.settings.not_set')}")


def register(app: typer.Typer) -> None:
    app.command("checkin")(checkin)
    app.command("moment")(moment)
    app.command("moments")(moments)
    app.command("reflect")(reflect)
    app.command("search")(search)
    app.command("wellbeing")(wellbeing)
    app.command("settings")(settings)
