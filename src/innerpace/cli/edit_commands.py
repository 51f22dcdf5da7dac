"""Changing your mind: ``edit``, ``delete``, ``trash`` (and ``trash restore``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from innerpace.cli.context import print_json, state
from innerpace.domain import CheckInKind
from innerpace.domain.times import iso_utc
from innerpace.errors import UserError
from innerpace.presentation import anchor_words, format_day
from innerpace.words import text

if TYPE_CHECKING:
    from innerpace.services import Journal

KINDS_HELP = "checkin, moment, reflection, wellbeing or run"

edit_app = typer.Typer(
    help="Correct something you made: a check-in, moment, reflection, well-being answer or run.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
trash_app = typer.Typer(
    help="Recently deleted: kept 30 days, then gone for good. Restore anything in it.",
    invoke_without_command=True,
    rich_markup_mode=None,
)


@edit_app.command("checkin")
def edit_checkin(
    ctx: typer.Context,
    checkin_id: int = typer.Argument(..., metavar="ID", help="The check-in's id."),
    feeling: int | None = typer.Option(None, "--feeling", help="Feeling Scale, -5 to +5."),
    arousal: int | None = typer.Option(None, "--arousal", help="Felt arousal, 1 to 6."),
    mood: str | None = typer.Option(
        None, "--mood", help="A day mood's level on its own scale: 1 to 5, or its word (good)."
    ),
    note: str | None = typer.Option(None, "--note", help="A new note ('' clears it)."),
    run: int | None = typer.Option(None, "--run", help="Tie it to this run instead."),
    tag: list[str] = typer.Option(
        None, "--tag", help="Its tags, replacing the old (repeat; '' clears them)."
    ),
) -> None:
    """Change a check-in's answers, note, tags or run (a day mood's level with --mood)."""
    with state(ctx).open() as journal:
        if journal.checkin(checkin_id).kind is CheckInKind.DAY:
            _edit_day_mood(journal, checkin_id, feeling, arousal, mood, note, run, tag)
            return
        if mood is not None:
            raise UserError(text("cli.day_mood.mood_not_day", id=checkin_id))
        saved = journal.edit_checkin(
            checkin_id, feeling=feeling, arousal=arousal, note=note, run_id=run, tags=tag or None
        )
    if saved.run_id:
        typer.echo(text("cli.edit.checkin_with_run", id=saved.id, run=saved.run_id))
    else:
        typer.echo(text("cli.edit.checkin", id=saved.id))


def _edit_day_mood(
    journal: Journal,
    checkin_id: int,
    feeling: int | None,
    arousal: int | None,
    mood: str | None,
    note: str | None,
    run: int | None,
    tag: list[str] | None,
) -> None:
    """A day mood takes --mood, --note and --tag; the journal refuses a feeling or a run."""
    if feeling is not None or arousal is not None:
        try:
            journal.edit_checkin(checkin_id, feeling=feeling, arousal=arousal)
        except UserError as exc:
            raise UserError(text("cli.day_mood.feeling_on_day", reason=str(exc))) from None
    if run is not None:
        journal.edit_checkin(checkin_id, run_id=run)  # refused: a day mood joins no run
    saved = journal.edit_day_mood(checkin_id, mood=mood, note=note, tags=tag or None)
    answer = saved.responses[0]
    item_id, value = answer.answers[0]
    typer.echo(
        text(
            "cli.day_mood.changed",
            id=saved.id,
            day=format_day(saved.at.astimezone()),
            mood=anchor_words(answer.instrument_id, item_id, value) or f"{value:g}",
        )
    )


@edit_app.command("moment")
def edit_moment(
    ctx: typer.Context,
    moment_id: int = typer.Argument(..., metavar="ID", help="The moment's id."),
    at: str | None = typer.Option(None, "--at", help="Where: 7km, 700m, 42min or 1:05:00."),
    tag: list[str] = typer.Option(None, "--tag", help="Its tags, replacing the old (repeat)."),
    note: str | None = typer.Option(None, "--note", help="A new note ('' clears it)."),
) -> None:
    """Move a moment, or change its tags or note."""
    with state(ctx).open() as journal:
        saved = journal.edit_moment(moment_id, at=at, tags=tag or None, note=note)
    typer.echo(text("cli.edit.moment", id=saved.id))


@edit_app.command("reflection")
def edit_reflection(
    ctx: typer.Context,
    reflection_id: int = typer.Argument(..., metavar="ID", help="The reflection's id."),
    private: bool | None = typer.Option(
        None, "--private/--shared", help="Keep it out of shared reports, or not."
    ),
) -> None:
    """Rewrite a reflection in your $EDITOR (or pipe the new text in)."""
    from innerpace.cli.feeling_commands import _edit

    with state(ctx).open() as journal:
        current = journal.reflection(reflection_id)
        if sys.stdin.isatty():
            written: str | None = _edit(current.text)
        else:
            written = sys.stdin.read() or None
        saved = journal.edit_reflection(reflection_id, text=written, private=private)
    typer.echo(text("cli.edit.reflection", id=saved.id, words=len(saved.text.split())))


@edit_app.command("wellbeing")
def edit_wellbeing(
    ctx: typer.Context,
    wellbeing_id: int = typer.Argument(..., metavar="ID", help="The well-being answer's id."),
    answers: str = typer.Option(..., "--answers", help="Five answers 0–5, e.g. 3,3,2,4,3"),
) -> None:
    """Replace the five answers of a well-being check."""
    try:
        values = [float(v) for v in answers.split(",")]
    except ValueError:
        raise UserError(text("cli.wellbeing.not_numbers", answers=repr(answers))) from None
    with state(ctx).open() as journal:
        saved = journal.edit_wellbeing(wellbeing_id, answers=values)
    typer.echo(text("cli.edit.wellbeing", id=saved.id))


@edit_app.command("run")
def edit_run(
    ctx: typer.Context,
    run_id: int = typer.Argument(..., metavar="ID", help="The run's id."),
    title: str | None = typer.Option(None, "--title", help="A title ('' clears it)."),
    setting: str | None = typer.Option(None, "--setting", help="road, trail, track, treadmill…"),
    company: str | None = typer.Option(None, "--company", help="alone or with-others."),
) -> None:
    """Change a run's title, setting or company (an import never overwrites them)."""
    with state(ctx).open() as journal:
        saved = journal.edit_run(
            run_id,
            name=title,
            setting=setting.lower() if setting else None,
            company=company.lower().replace("_", "-") if company else None,
        )
    typer.echo(text("cli.edit.run", id=saved.id))


def delete(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KINDS_HELP),
    item_id: int = typer.Argument(..., metavar="ID", help="Its id."),
) -> None:
    """Move something you made to Recently deleted (kept 30 days; `innerpace trash` shows it)."""
    with state(ctx).open() as journal:
        item = journal.delete(kind, item_id)
    typer.echo(text("cli.trash.deleted", title=item.title, kind=item.kind, id=item.id))


@trash_app.callback()
def trash(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What is in Recently deleted, most recent first."""
    if ctx.invoked_subcommand is not None:
        return
    with state(ctx).open() as journal:
        items = journal.trash()
    if as_json:
        print_json(
            [
                {"kind": i.kind, "id": i.id, "title": i.title, "deleted": iso_utc(i.deleted_at)}
                for i in items
            ]
        )
        return
    if not items:
        typer.echo(text("cli.trash.empty"))
    for item in items:
        until = f"{item.expires_at:%d %b %Y}"
        typer.echo(
            text("cli.trash.line", kind=item.kind, id=item.id, title=item.title, until=until)
        )


@trash_app.command("restore")
def restore(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KINDS_HELP),
    item_id: int = typer.Argument(..., metavar="ID", help="Its id."),
) -> None:
    """Bring something back from Recently deleted, as it was."""
    with state(ctx).open() as journal:
        journal.restore(kind, item_id)
    typer.echo(text("cli.trash.restored", kind=kind, id=item_id))


def register(app: typer.Typer) -> None:
    app.add_typer(edit_app, name="edit")
    app.command("delete")(delete)
    app.add_typer(trash_app, name="trash")
