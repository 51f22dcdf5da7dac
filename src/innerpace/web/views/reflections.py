"""Reflections: the editor with its autosaved draft, the Journal page and its search.

Reflection text is Markdown written by the person, but it may also come from imported files, so
it is rendered with raw HTML turned off and then sanitized to a short list of tags.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import CheckIn, Reflection
from innerpace.errors import NotFound, UserError
from innerpace.instruments import InvalidAnswer, get_instrument
from innerpace.services import Journal
from innerpace.web.views.render import journal_of, render

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
DRAFT_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
JOURNAL_LIMIT = 200
_BETWEEN_TAGS = re.compile(r">\n+<")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def markdown_html(text: str | None) -> Markup:
    """Markdown as inert HTML: raw HTML off, then only plain text tags and safe links kept."""
    rendered = _markdown().render(text or "")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(_BETWEEN_TAGS.sub("><", clean.strip()))  # noqa: S704 - sanitized just above


def marked_snippet(snippet: str) -> Markup:
    """A search snippet with its match marks (STX … ETX) as ``<mark>``; all else escaped."""
    out: list[str] = []
    inside = False
    for char in snippet:
        if char == "\x02" and not inside:
            out.append("<mark>")
            inside = True
        elif char == "\x03" and inside:
            out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(char)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))  # noqa: S704 - every character escaped above


# -- the editor --------------------------------------------------------------------------
def _int_or_none(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise NotFound(wording.text("web.edit.no_run")) from None


def draft_key_for(run_id: int | None, today: date | None = None) -> str:
    """One draft per run, or one per day for words not tied to a run."""
    if run_id is not None:
        return f"run-{run_id}"
    return f"day-{(today or datetime.now().astimezone().date()).isoformat()}"


def _checked_key(key: str) -> str:
    if not DRAFT_KEY.match(key):
        raise NotFound(wording.text("web.edit.no_draft"))
    return key


def prompt_text(prompt_id: str | None) -> tuple[str | None, str]:
    """The prompt's id and words; a fixed gentle question when there is none."""
    if prompt_id:
        try:
            from innerpace.prompts import get_prompt

            prompt = get_prompt(prompt_id)
            return prompt.id, prompt.text
        except (ImportError, LookupError, ValueError):
            pass
    return None, wording.text("reflection.gentle_prompt")


def prompt_for_run(journal: Journal, run_id: int) -> str | None:
    """A prompt id that fits this run, the same one each time the run's page is opened."""
    try:
        from innerpace.prompts import choose_prompt
    except ImportError:
        return None
    detail = journal.run_detail(run_id, with_series=False)
    tags = tuple(t for m in detail.moments for t in m.tags)
    return choose_prompt(
        kind="after",
        pre_feeling=detail.listing.pre_feeling,
        post_feeling=detail.listing.post_feeling,
        duration_s=detail.run.duration_s,
        moment_tags=tags,
        company=detail.run.company.value,
        seed=run_id,
    ).id


def clock_of(timestamp: float) -> str:
    """``07:42`` on this computer's clock (with the day when it was not today)."""
    moment = datetime.fromtimestamp(timestamp).astimezone()
    if moment.date() == datetime.now().astimezone().date():
        return f"{moment:%H:%M}"
    return f"{moment:%H:%M} on {moment:%a} {moment.day} {moment:%b}"


def editor_context(
    journal: Journal,
    *,
    key: str | None,
    run_id: int | None,
    prompt_id: str | None,
    text: str | None = None,
) -> dict[str, Any]:
    """Everything the editor page shows: the prompt, the run, the draft if there is one."""
    draft = journal.saved_draft(key) if key else None
    if draft is not None:
        run_id = run_id if run_id is not None else draft.run_id
        prompt_id = prompt_id or draft.prompt_id
    detail = journal.run_detail(run_id, with_series=False) if run_id is not None else None
    if prompt_id is None and detail is not None:
        prompt_id = prompt_for_run(journal, run_id or 0)
    key = key or draft_key_for(run_id)
    prompt_id, words = prompt_text(prompt_id)
    restored = None
    if text is None and draft is not None:
        text = draft.text
        restored = clock_of(draft.updated_ts)
    return {
        "key": key,
        "run": None if detail is None else detail.run,
        "run_id": run_id,
        "prompt_id": prompt_id or "",
        "prompt": words,
        "text": text or "",
        "restored": restored,
        "saved_ts": int(draft.updated_ts * 1000) if draft else 0,
        "reflection_id": None,
    }


async def new(request: Request) -> Response:
    """``GET /reflections/new?run=ID&prompt=ID`` (or ``?key=`` for an open draft)."""
    journal = journal_of(request)
    params = request.query_params
    key = params.get("key")
    if key is not None:
        _checked_key(key)
        if key.startswith("reflection-") and key[len("reflection-") :].isdigit():
            return RedirectResponse(f"/reflections/{key[len('reflection-') :]}/edit", 303)
    run_id = _int_or_none(params.get("run"))
    if key is None:
        existing = journal.saved_draft(draft_key_for(run_id))
        key = draft_key_for(run_id) if existing is not None else None
    context = editor_context(journal, key=key, run_id=run_id, prompt_id=params.get("prompt"))
    return render(request, "reflection_edit.html", context)


def reflection_of(journal: Journal, reflection_id: int) -> Reflection:
    """One reflection by id (a calm 404 when there is none, or it was deleted)."""
    return journal.reflection(reflection_id)


def edit_key(reflection_id: int) -> str:
    return f"reflection-{reflection_id}"


def existing_context(journal: Journal, reflection: Reflection, **extra: Any) -> dict[str, Any]:
    """The editor reopened on words already kept: a newer draft of them first, if there is one."""
    key = edit_key(reflection.id or 0)
    draft = journal.saved_draft(key)
    text = extra.pop("text", None)
    context = editor_context(
        journal,
        key=key,
        run_id=reflection.run_id,
        prompt_id=reflection.prompt_id,
        text=text if text is not None else (None if draft else reflection.text),
    )
    context["reflection_id"] = reflection.id
    context.update(extra)
    return context


async def edit(request: Request) -> Response:
    """``GET /reflections/{id}/edit``: the same editor, with the same autosave."""
    journal = journal_of(request)
    reflection = reflection_of(journal, int(request.path_params["reflection_id"]))
    return render(request, "reflection_edit.html", existing_context(journal, reflection))


async def save(request: Request) -> Response:
    """``POST /reflections``: keep the words, remove the draft, go back to the run or Journal."""
    journal = journal_of(request)
    form = await request.form()
    text = str(form.get("text", ""))
    key = str(form.get("key", "")) or None
    if key is not None:
        _checked_key(key)
    run_id = _int_or_none(str(form.get("run", "")))
    prompt_id = str(form.get("prompt", "")) or None
    existing = _int_or_none(str(form.get("reflection", "")))
    try:
        if existing is not None:
            reflection = reflection_of(journal, existing)
            run_id = reflection.run_id
            journal.edit_reflection(existing, text=text, draft_key=key)
        else:
            journal.reflect(text, run_id=run_id, prompt_id=prompt_id, draft_key=key)
    except NotFound:
        raise
    except UserError as exc:
        if existing is not None:
            context = existing_context(journal, reflection, text=text)
        else:
            context = editor_context(
                journal, key=key, run_id=run_id, prompt_id=prompt_id, text=text
            )
        context["restored"] = None
        return render(request, "reflection_edit.html", {**context, "message": str(exc)}, 400)
    target = f"/runs/{run_id}#reflections" if run_id is not None else "/journal"
    return RedirectResponse(target, status_code=303)


async def save_draft(request: Request) -> Response:
    """``POST /drafts/{key}``: keep what is being typed (called every few seconds)."""
    journal = journal_of(request)
    key = _checked_key(request.path_params["key"])
    form = await request.form()
    run_id = _int_or_none(str(form.get("run", "")))
    if run_id is not None:
        journal.run_detail(run_id, with_series=False)  # a calm 404 for a run that is not there
    prompt_id = str(form.get("prompt", "")) or None
    try:
        journal.save_draft(key, str(form.get("text", "")), run_id=run_id, prompt_id=prompt_id)
    except UserError as exc:
        return JSONResponse({"saved": False, "message": str(exc)}, status_code=400)
    draft = journal.saved_draft(key)
    stamp = draft.updated_ts if draft is not None else 0.0
    return JSONResponse({"saved": True, "at": clock_of(stamp), "ts": int(stamp * 1000)})


async def discard_draft(request: Request) -> Response:
    """``POST /drafts/{key}/discard``: let an open draft go, on purpose."""
    journal = journal_of(request)
    journal.discard_draft(_checked_key(request.path_params["key"]))
    return RedirectResponse("/journal", status_code=303)


# -- the Journal page --------------------------------------------------------------------
def _drafts(journal: Journal) -> list[dict[str, Any]]:
    return [
        {
            "key": d.key,
            "text": d.text,
            "run_id": d.run_id,
            "prompt_id": d.prompt_id,
            "at": clock_of(d.updated_ts),
            "preview": d.text[:160],
        }
        for d in journal.saved_drafts()
        if d.text.strip()
    ]


def _results(journal: Journal, query: str) -> tuple[list[Any], str | None]:
    if not query.strip():
        return [], None
    try:
        return journal.search(query), None
    except UserError as exc:
        return [], str(exc)


def run_labels(journal: Journal, reflections: list[Reflection]) -> dict[int, str]:
    """Each run these reflections belong to, named by date and title (never by its number)."""
    from innerpace.web.formatting import label

    labels: dict[int, str] = {}
    for run_id in {r.run_id for r in reflections if r.run_id is not None}:
        try:
            labels[run_id] = label(journal.run_detail(run_id, with_series=False).run)
        except NotFound:
            continue
    return labels


def day_mood(checkin: CheckIn) -> dict[str, Any]:
    """A day mood as the Journal shows it: when, the scale's short name, the answer's word (or
    its number), and its tags."""
    response = checkin.responses[0]
    item_id, value = response.answers[0]
    try:
        instrument = get_instrument(response.instrument_id)
        label = instrument.short
        item = next((i for i in instrument.items if i.id == item_id), None)
        word = item.anchor(value) if item is not None else None
    except InvalidAnswer:
        label, word = response.instrument_id, None
    return {
        "id": checkin.id,
        "at": checkin.at,
        "label": label,
        "mood": word or f"{value:g}",
        "tags": checkin.tags,
        "note": checkin.note,
    }


# -- a day mood, changed on its own scale --------------------------------------------------
DAY_MOODS_HERE = "/journal#moods-heading"


def _day_mood_context(checkin: CheckIn, **extra: Any) -> dict[str, Any]:
    """The change form: the scale the mood was answered on, each level with its own word."""
    response = checkin.responses[0]
    item_id, value = response.answers[0]
    try:
        instrument = get_instrument(response.instrument_id, response.instrument_version)
        item = instrument.item(item_id)
    except InvalidAnswer:
        raise NotFound(wording.text("services.day_mood.no_day_mood", id=checkin.id)) from None
    values: dict[str, Any] = {
        "checkin": checkin,
        "title": instrument.title,
        "question": item.text,
        "levels": [(level, item.anchor(level) or "") for level in item.values],
        "chosen": f"{value:g}",
        "note": checkin.note or "",
        "tags": ", ".join(checkin.tags),
        "message": None,
        "back": DAY_MOODS_HERE,
    }
    values.update(extra)
    return values


async def day_mood_form(request: Request) -> Response:
    """``GET /day-moods/{id}/edit``: the day's level on its own scale, its note and tags."""
    checkin = journal_of(request).day_mood(int(request.path_params["item_id"]))
    return render(request, "day_mood_edit.html", _day_mood_context(checkin))


async def day_mood_save(request: Request) -> Response:
    """``POST /day-moods/{id}``: keep the change, or show the form again with what was typed."""
    journal = journal_of(request)
    checkin = journal.day_mood(int(request.path_params["item_id"]))
    form = await request.form()
    mood = str(form.get("mood", "")).strip()
    note = str(form.get("note", ""))
    given_tags = form.get("tags")  # absent: the tags stay; empty: cleared
    tags = ", ".join(checkin.tags) if given_tags is None else str(given_tags)
    try:
        if not mood:
            raise UserError(wording.text("web.day_mood.choose"))
        journal.edit_day_mood(
            checkin.id or 0,
            mood=mood,
            note=note,
            tags=None if given_tags is None else [tags],
        )
    except UserError as exc:
        context = _day_mood_context(checkin, chosen=mood, note=note, tags=tags, message=str(exc))
        return render(request, "day_mood_edit.html", context, status=400)
    return RedirectResponse(f"/journal?done=saved#day-mood-{checkin.id}", status_code=303)


async def page(request: Request) -> Response:
    """``GET /journal``: reflections newest first, open drafts on top, and a search box."""
    journal = journal_of(request)
    query = request.query_params.get("q", "").strip()[:200]
    results, problem = _results(journal, query)
    reflections = [] if query else journal.reflections()
    shown = reflections[:JOURNAL_LIMIT] + [r for r, _ in results]
    moods = [] if query else journal.day_moods()
    return render(
        request,
        "journal.html",
        {
            "query": query,
            "results": results,
            "problem": problem,
            "drafts": _drafts(journal),
            "reflections": reflections[:JOURNAL_LIMIT],
            "run_labels": run_labels(journal, shown),
            "more": max(0, len(reflections) - JOURNAL_LIMIT),
            "day_moods": [day_mood(c) for c in moods[:JOURNAL_LIMIT]],
            "more_moods": max(0, len(moods) - JOURNAL_LIMIT),
        },
    )
