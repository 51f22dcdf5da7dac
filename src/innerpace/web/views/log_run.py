"""``/runs/new``: log a run by hand — minutes, a distance if you know it, where, with whom, when
it ended (now, unless you say otherwise)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, TypeVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace import words as wording
from innerpace.domain import Company, Setting, Sport
from innerpace.errors import UserError
from innerpace.web.views.render import journal_of, render

E = TypeVar("E", bound=StrEnum)
MAX_TITLE = 120
SETTINGS = (
    ("", "Not said"),
    (Setting.ROAD.value, "Road"),
    (Setting.TRAIL.value, "Trail"),
    (Setting.TRACK.value, "Track"),
    (Setting.TREADMILL.value, "Treadmill"),
    (Setting.INDOOR.value, "Indoors"),
)
COMPANIES = (
    ("", "Not said"),
    (Company.ALONE.value, "Alone"),
    (Company.WITH_OTHERS.value, "With others"),
)
SPORTS = (
    (Sport.RUNNING.value, "A run"),
    (Sport.WALKING.value, "A walk"),
    (Sport.HIKING.value, "A hike"),
)


def choice(kind: type[E], value: str, default: E) -> E:
    """The enum member a form field names; ``default`` for an empty or unknown value."""
    try:
        return kind(value)
    except ValueError:
        return default


def _now() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)


def blank_form() -> dict[str, str]:
    now = _now()
    return {
        "minutes": "",
        "km": "",
        "setting": "",
        "company": "",
        "sport": Sport.RUNNING.value,
        "name": "",
        "ended_day": now.date().isoformat(),
        "ended_time": f"{now:%H:%M}",
    }


def form_context(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "typed": blank_form(),
        "settings_choices": SETTINGS,
        "company_choices": COMPANIES,
        "sport_choices": SPORTS,
        "message": None,
    }
    values.update(extra)
    return values


def _number(typed: str, empty_key: str | None, bad_key: str) -> float | None:
    typed = typed.strip().replace(",", ".")
    if not typed:
        if empty_key:
            raise UserError(wording.text(empty_key))
        return None
    try:
        return float(typed)
    except ValueError:
        raise UserError(wording.text(bad_key, value=typed[:20])) from None


def typed_time(
    day: str,
    clock: str,
    unclear_key: str = "web.log_run.ended_unclear",
    zone: tzinfo | None = None,
) -> datetime:
    """The moment a form's date and time fields name, on ``zone``'s clock (this computer's when
    None); now when both are left empty. ``unclear_key`` names the refusal for anything else."""
    if not day.strip() and not clock.strip():
        return _now()
    try:
        when = datetime.combine(
            date.fromisoformat(day.strip()), time.fromisoformat(clock.strip() or "00:00")
        )
    except ValueError:
        raise UserError(wording.text(unclear_key)) from None
    return when.replace(tzinfo=zone) if zone is not None else when.astimezone()


def read_form(form: FormData) -> dict[str, Any]:
    """The run the form describes, checked in the page's own terms (nothing kept on a refusal)."""
    typed = {key: str(form.get(key, "")) for key in blank_form()}
    minutes = _number(typed["minutes"], "web.log_run.minutes_needed", "web.log_run.minutes_number")
    assert minutes is not None
    if not 0 < minutes <= 24 * 60:
        raise UserError(wording.text("web.log_run.minutes_range", value=f"{minutes:g}"))
    km = _number(typed["km"], None, "web.log_run.km_number")
    if km is not None and not 0 <= km <= 1000:
        raise UserError(wording.text("web.log_run.km_range", value=f"{km:g}"))
    ended = typed_time(typed["ended_day"], typed["ended_time"])
    if ended > datetime.now().astimezone() + timedelta(minutes=5):
        raise UserError(wording.text("web.log_run.ended_future"))
    name = " ".join(typed["name"].split())
    if len(name) > MAX_TITLE:
        raise UserError(wording.text("web.log_run.title_too_long", limit=MAX_TITLE))
    return {
        "ended": ended,
        "minutes": minutes,
        "km": km,
        "setting": choice(Setting, typed["setting"], Setting.UNKNOWN),
        "company": choice(Company, typed["company"], Company.UNKNOWN),
        "sport": choice(Sport, typed["sport"], Sport.RUNNING),
        "name": name or None,
    }


async def page(request: Request) -> Response:
    return render(request, "log_run.html", form_context())


async def save(request: Request) -> Response:
    """``POST /runs``: keep the run; a form it can't read comes back as typed, with why."""
    journal = journal_of(request)
    form = await request.form()
    try:
        run = journal.log_run(**read_form(form))
    except UserError as exc:
        typed = {key: str(form.get(key, "")) for key in blank_form()}
        context = form_context(typed=typed, message=str(exc))
        return render(request, "log_run.html", context, status=400)
    return RedirectResponse(f"/runs/{run.id}?logged=1", status_code=303)
