"""A small journal, the app over it, and clients with and without a session."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from innerpace.domain import (
    CheckIn,
    CheckInKind,
    Lap,
    LapTrigger,
    Moment,
    MomentStatus,
    Reflection,
    Run,
    Setting,
)
from innerpace.instruments import get_instrument
from innerpace.services import Journal
from innerpace.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "launch-token-for-tests-0123456789abcdefghijk"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def answers(feeling: int, arousal: int) -> tuple:
    return (
        get_instrument("fs").response({"feeling": feeling}),
        get_instrument("fas").response({"arousal": arousal}),
    )


def fill(journal: Journal) -> dict[str, int]:
    """Three runs: one with everything, one with hostile text everywhere, one with no check-in."""
    tz = timezone(timedelta(hours=2))
    start = datetime(2026, 5, 2, 7, 30, tzinfo=tz)
    laps = (
        Lap(start=start, elapsed_s=330, distance_m=1000, trigger=LapTrigger.DISTANCE, avg_hr=141),
        Lap(
            start=start + timedelta(seconds=330),
            elapsed_s=1590,
            distance_m=4800,
            trigger=LapTrigger.MANUAL,
            avg_hr=150,
        ),
    )
    full = Run(
        start=start,
        utc_offset_min=120,
        duration_s=1920,
        moving_s=1880,
        distance_m=5800,
        setting=Setting.TRAIL,
        name="Along the river",
        avg_hr=147,
        max_hr=166,
        avg_cadence_spm=168,
        elevation_gain_m=42,
        elevation_loss_m=40,
        laps=laps,
        device="Forerunner 255",
        source="fit",
    )
    full_id = journal.store.add_run(full)
    journal.store.add_checkin(
        CheckIn(
            at=start - timedelta(minutes=4),
            kind=CheckInKind.BEFORE,
            run_id=full_id,
            responses=answers(-1, 2),
            note="a heavy week",
        )
    )
    journal.store.add_checkin(
        CheckIn(
            at=start + timedelta(minutes=40),
            kind=CheckInKind.AFTER,
            run_id=full_id,
            responses=answers(3, 3),
            delay_s=480,
        )
    )
    journal.store.add_moment(
        Moment(run_id=full_id, at_s=1260, at_m=4100, tags=("release",), note="the bridge")
    )
    journal.store.add_moment(
        Moment(run_id=full_id, at_s=1920 - 1590, status=MomentStatus.SUGGESTED, source="lap")
    )
    journal.store.add_reflection(
        Reflection(
            text="First line.\nSecond line, after the bridge.",
            created=start + timedelta(hours=1),
            run_id=full_id,
        )
    )
    hostile = journal.log_run(
        at=datetime(2026, 5, 4, 18, 0, tzinfo=UTC), minutes=30, km=5.0, name=SCRIPT + IMG
    )
    assert hostile.id is not None
    journal.store.add_checkin(
        CheckIn(
            at=hostile.start - timedelta(minutes=2),
            kind=CheckInKind.BEFORE,
            run_id=hostile.id,
            responses=answers(0, 3),
            note=IMG,
        )
    )
    journal.store.add_moment(Moment(run_id=hostile.id, at_s=600, note=SCRIPT))
    journal.store.add_reflection(
        Reflection(text=f"# heading\n{SCRIPT}\n{IMG}", created=hostile.end, run_id=hostile.id)
    )
    quiet = journal.log_run(at=datetime(2026, 5, 6, 6, 0, tzinfo=tz), minutes=25)
    assert quiet.id is not None
    return {"full": full_id, "hostile": hostile.id, "quiet": quiet.id}


@pytest.fixture
def ids(journal: Journal) -> dict[str, int]:
    return fill(journal)


@pytest.fixture
def app(journal: Journal, ids: dict[str, int]):
    return create_app(journal, token=TOKEN, port=PORT)


@pytest.fixture
def anonymous(app) -> TestClient:
    """A browser that has not opened the launch link."""
    return TestClient(app, base_url=BASE, follow_redirects=False)


def sign_in(client: TestClient) -> TestClient:
    """Post the app's one-time sign-in key to ``/auth``, as the sign-in file does."""
    key = client.app.state.guard.signin_key
    response = client.post("/auth", data={"key": key}, headers={"Origin": "null"})
    assert response.status_code == 200, response.text
    assert response.cookies or "set-cookie" in response.headers
    return client


@pytest.fixture
def client(app) -> TestClient:
    """A browser signed in by posting the sign-in key, as the sign-in file does. Like a real
    browser on our own pages, it says ``Sec-Fetch-Site: same-origin``."""
    signed_in = sign_in(TestClient(app, base_url=BASE, follow_redirects=False))
    signed_in.headers["sec-fetch-site"] = "same-origin"
    return signed_in


def csrf_of(page: str) -> str:
    """The CSRF token a page hands to htmx in ``hx-headers``."""
    marker = '"X-CSRF-Token": "'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def web() -> SimpleNamespace:
    """The constants and helpers the web tests share."""
    return SimpleNamespace(
        token=TOKEN,
        port=PORT,
        base=BASE,
        script=SCRIPT,
        img=IMG,
        TestClient=TestClient,
        csrf_of=csrf_of,
        fill=fill,
        sign_in=sign_in,
    )
