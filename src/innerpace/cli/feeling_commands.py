"""Feelings from the terminal: ``checkin``, ``moment``, ``reflect``, ``search``, ``wellbeing``."""

from __future__ import annotations

import sys

import typer

from innerpace.cli import daily
from innerpace.cli.context import print_json, state
from innerpace.cli.daily import parse_at
from innerpace.domain.times import iso_utc
from innerpace.errors import UserError
from innerpace.instruments import get_instrument
from innerpace.presentation import format_duration
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
    note: str | None = typer.Option(None, "--note", help="A few words, if you like."),
    tag: list[str] = typer.Option(None, "--tag", help="A word of your own, e.g. rain (repeat)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Ten seconds: how do you feel right now?"""
    daily.checkin(
        state(ctx), before=before, after=after, rest=rest, feeling=feeling, arousal=arousal,
        at=at, run=run, note=note, tags=tag or [], as_json=as_json,
    )  # fmt: skip


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
    daily.moment(
        state(ctx), run=run, at=at, tag=tag, note=note, confirm=confirm, dismiss=dismiss,
        as_json=as_json,
    )  # fmt: skip


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
            where.append(format_duration(m.at_s))
        if m.at_m is not None:
            where.append(f"{m.at_m / 1000:.1f} km")
        tags = ", ".join(m.tags)
        typer.echo(f"{m.id:>5}  {' · '.join(where):<18} {m.status.value:<10} {tags}")


_edit = daily.edit_in_editor  # kept for `edit reflection`


def reflect(
    ctx: typer.Context,
    run: int | None = typer.Option(None, "--run", help="Write about this run."),
    prompt: str | None = typer.Option(None, "--prompt", help="A prompt id to start from."),
    day: str | None = typer.Option(None, "--day", help="A day (YYYY-MM-DD) instead of a run."),
    private: bool = typer.Option(False, "--private", help="Keep it out of shared reports."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Write a reflection in your $EDITOR (or pipe it in). Markdown is welcome."""
    daily.reflect(state(ctx), run=run, prompt=prompt, day=day, private=private, as_json=as_json)


def search(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., help="Words to look for in your reflections."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search your reflections."""
    daily.search(state(ctx), words=words, as_json=as_json)


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
