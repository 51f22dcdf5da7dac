"""The phone app's routes and guards, through Starlette's test client (no network).

The listener itself (TLS, on and off) is tested in ``test_phone_listener.py``.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import pytest
from starlette.routing import Mount, Route

from innerpace.domain import utc_now
from innerpace.phone.authority import served_names
from innerpace.phone.keys import credentials_for
from innerpace.web import create_app
from innerpace.web.phone.app import PHONE_ROUTES, create_phone_app
from innerpace.web.phone.guard import DEVICE_COOKIE
from innerpace.web.phone.listener import PhoneAccess

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

HOST = "127.0.0.2"
PORT = 8766
ORIGIN = f"https://{HOST}:{PORT}"


@pytest.fixture
def access(journal):
    access = PhoneAccess(journal, host=HOST, port=PORT)
    access.host = HOST
    access.names = served_names([HOST], "kitchen")
    access.credentials = credentials_for(journal.store.phone, access.names, utc_now())
    return access


@pytest.fixture
def app(access):
    return create_phone_app(access, port=PORT, allowed_hosts=(HOST, "kitchen.local"))


def client(app) -> TestClient:
    return TestClient(app, base_url=ORIGIN)


def pair(app, access, name="Ada's phone") -> TestClient:
    browser = client(app)
    code, _ = access.codes.issue(utc_now())
    answer = browser.post("/pair", json={"code": code, "name": name}, headers={"origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    assert DEVICE_COOKIE in browser.cookies
    return browser


def csrf(browser) -> str:
    return browser.get("/api/state").json()["csrf"]


def send(browser, entry, token=None, origin=ORIGIN):
    headers = {"x-csrf-token": token if token is not None else csrf(browser)}
    if origin:
        headers["origin"] = origin
    return browser.post("/api/entries", json=entry, headers=headers)


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_an_unpaired_phone_gets_only_the_pairing_page(app):
    browser = client(app)
    for path in ("/", "/api/state", "/settings", "/anything"):
        answer = browser.get(path)
        assert answer.status_code == 403
        assert "Pair this phone" in answer.text and "csrf" not in answer.text
    assert browser.post("/api/entries", json={}, headers={"origin": ORIGIN}).status_code == 403
    assert browser.get("/pair").status_code == 200
    assert browser.get("/authority").status_code == 200


def test_the_pairing_cookie_is_httponly_secure_strict_and_only_a_hash_is_kept(app, access):
    browser = client(app)
    code, _ = access.codes.issue(utc_now())
    answer = browser.post("/pair", json={"code": code, "name": "Ada"}, headers={"origin": ORIGIN})
    cookie = answer.headers["set-cookie"]
    for part in ("HttpOnly", "Secure", "SameSite=strict", "Path=/", DEVICE_COOKIE + "="):
        assert part in cookie
    key = browser.cookies[DEVICE_COOKIE]
    (device,) = access.journal.store.phone.devices()
    assert device.name == "Ada"
    folder = access.journal.store.path.parent
    kept = b"".join(p.read_bytes() for p in folder.glob("journal.db*"))
    assert len(kept) > 0 and key.encode() not in kept  # only its hash is in the journal


@pytest.mark.parametrize("case", ["wrong", "expired", "reused", "no-origin", "other-origin"])
def test_pairing_is_refused_for_a_bad_code_or_origin(app, access, case):
    browser = client(app)
    code, _ = access.codes.issue(utc_now() - timedelta(minutes=6 if case == "expired" else 0))
    headers = {"origin": ORIGIN}
    if case == "wrong":
        code = "not-the-code-at-all"
    if case == "reused":
        pair_first = browser.post("/pair", json={"code": code, "name": "a"}, headers=headers)
        assert pair_first.status_code == 200
        browser = client(app)
    if case == "no-origin":
        headers = {}
    if case == "other-origin":
        headers = {"origin": "https://evil.example"}
    answer = browser.post("/pair", json={"code": code, "name": "b"}, headers=headers)
    assert answer.status_code == 403
    assert DEVICE_COOKIE not in browser.cookies
    expected_devices = 1 if case == "reused" else 0
    assert len(access.journal.store.phone.devices()) == expected_devices
    if case in ("wrong", "expired", "reused"):
        assert {"wrong": "not one", "expired": "run out", "reused": "already used"}[
            case
        ] in answer.json()["message"]


def test_pairing_attempts_are_rate_limited(app, access):
    browser = client(app)
    code, _ = access.codes.issue(utc_now())
    for i in range(10):
        browser.post("/pair", json={"code": f"guess-{i:04d}-xxxx"}, headers={"origin": ORIGIN})
    answer = browser.post("/pair", json={"code": code, "name": "x"}, headers={"origin": ORIGIN})
    assert answer.status_code == 429
    assert access.journal.store.phone.devices() == []


def test_a_paired_phone_sends_entries_once_and_sees_the_last_runs(app, access, journal):
    run = journal.log_run(at=utc_now() - timedelta(hours=2), minutes=30, name="River loop")
    browser = pair(app, access)
    state = browser.get("/api/state").json()
    assert [r["title"] for r in state["runs"]] == ["River loop"]
    assert set(state["runs"][0]) == {"id", "day", "time", "title", "has_after"}
    entry = {
        "client_id": "phone-entry-0001",
        "kind": "checkin",
        "when": "after",
        "feeling": 3,
        "run_id": run.id,
        "made_at": stamp(utc_now() - timedelta(minutes=80)),
    }
    first, again = send(browser, entry), send(browser, entry)
    assert first.status_code == again.status_code == 200
    assert not first.json()["again"] and again.json()["again"]
    assert first.json()["run_id"] == run.id
    assert len(journal.store.list_checkins()) == 1


def test_wellbeing_answers_bring_the_support_card_with_tap_to_call_numbers(app, access, journal):
    journal.change_setting("country", "US")
    browser = pair(app, access)
    answer = send(
        browser,
        {
            "client_id": "who5-low-0001",
            "kind": "wellbeing",
            "answers": [0, 1, 0, 1, 0],
            "made_at": stamp(utc_now()),
        },
    )
    card = answer.json()["card"]
    assert card["level"] == "prominent"
    assert any(c["tel"] == "tel:988" for c in card["contacts"])


def test_a_refused_entry_says_why_and_keeps_nothing(app, access, journal):
    browser = pair(app, access)
    answer = send(
        browser,
        {
            "client_id": "bad-feel-0001",
            "kind": "checkin",
            "when": "before",
            "feeling": 12,
            "made_at": stamp(utc_now()),
        },
    )
    assert answer.status_code == 422 and answer.json()["message"]
    assert journal.store.list_checkins() == []


@pytest.mark.parametrize("problem", ["no-csrf", "wrong-csrf", "no-origin", "cross-site"])
def test_writes_need_our_origin_and_the_csrf_token(app, access, journal, problem):
    browser = pair(app, access)
    token = csrf(browser)
    headers = {"origin": ORIGIN, "x-csrf-token": token}
    if problem == "no-csrf":
        del headers["x-csrf-token"]
    if problem == "wrong-csrf":
        headers["x-csrf-token"] = "0" * 64
    if problem == "no-origin":
        del headers["origin"]
    if problem == "cross-site":
        headers["sec-fetch-site"] = "cross-site"
    entry = {
        "client_id": "guarded-0001",
        "kind": "reflection",
        "text": "hi",
        "made_at": stamp(utc_now()),
    }
    assert browser.post("/api/entries", json=entry, headers=headers).status_code == 403
    assert journal.reflections() == []


def test_only_our_host_names_are_answered(app):
    browser = client(app)
    for host in ("rebind.example:8766", "127.0.0.1:8766", f"{HOST}:9999", ""):
        assert browser.get("/pair", headers={"host": host}).status_code == 400
    assert browser.get("/pair", headers={"host": "kitchen.local:8766"}).status_code == 200


def test_bodies_over_the_phone_limit_are_refused(app, access, journal):
    browser = pair(app, access)
    entry = {
        "client_id": "too-big-0001",
        "kind": "reflection",
        "text": "x" * 300_000,
        "made_at": stamp(utc_now()),
    }
    assert send(browser, entry).status_code == 413
    assert journal.reflections() == []


def test_strict_headers_with_a_manifest_and_a_worker_allowed(app):
    answer = client(app).get("/pair")
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "manifest-src 'self'" in csp
    assert "worker-src 'self'" in csp and "script-src 'self'" in csp
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_an_unpaired_phone_loses_access_at_once(app, access):
    browser = pair(app, access)
    assert browser.get("/api/state").status_code == 200
    (device,) = access.journal.store.phone.devices()
    access.journal.store.phone.remove_device(device.id)
    answer = browser.get("/api/state")
    assert answer.status_code == 403 and "Pair this phone" in answer.text
    assert browser.get("/").status_code == 403


def desktop_paths() -> list[tuple[str, str]]:
    app = create_app_for_listing()
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append(("GET", route.path + "/style.css"))
            continue
        assert isinstance(route, Route)
        path = route.path.replace("{run_id:int}", "1").replace("{moment_id:int}", "1")
        path = path.replace("{batch:int}", "1").replace("{key}", "k").replace("{session}", "s")
        path = path.replace("{fmt}", "wav").replace("{device_id:int}", "1")
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((method, path))
    return found


def create_app_for_listing():
    class _Nothing:
        pass

    return create_app(_Nothing(), token="t" * 40, port=8765)  # type: ignore[arg-type]


def test_every_desktop_route_is_absent_on_the_phone_listener(app, access):
    phone_paths = set(PHONE_ROUTES)
    browser = pair(app, access)
    token = csrf(browser)
    checked = 0
    for method, path in desktop_paths():
        if (path, method) in phone_paths:
            continue
        answer = browser.request(method, path, headers={"origin": ORIGIN, "x-csrf-token": token})
        assert answer.status_code in (404, 405), (method, path, answer.status_code)
        checked += 1
    assert checked >= 25
    for path in ("/import", "/settings", "/journal", "/insights", "/auth", "/guide", "/today"):
        assert client(app).get(path).status_code == 403  # unpaired: the pairing page only


def test_the_authority_downloads(app):
    browser = client(app)
    profile = browser.get("/authority.mobileconfig")
    assert profile.headers["content-type"] == "application/x-apple-aspen-config"
    assert b"com.apple.security.root" in profile.content
    der = browser.get("/authority.crt")
    assert der.headers["content-type"] == "application/x-x509-ca-cert"
    assert der.content[:1] == b"\x30"
    assert browser.get("/authority.pem").text.startswith("-----BEGIN CERTIFICATE-----")
    page = browser.get("/authority").text
    assert "Certificate Trust Settings" in page and "CA certificate" in page


DESK_TOKEN = "desk-token-for-tests-0123456789abcdefghijk"


def desk_client(journal, access=None) -> TestClient:
    app = create_app(journal, token=DESK_TOKEN, port=8765)
    if access is not None:
        from innerpace.web.phone.listener import attach

        attach(app, access)
    return TestClient(
        app,
        base_url="http://127.0.0.1:8765",
        headers={"authorization": f"token {DESK_TOKEN}"},
        follow_redirects=False,
    )


def test_settings_has_a_pair_a_phone_section(journal):
    page = desk_client(journal).get("/settings").text
    assert "Pair a phone" in page and 'href="/settings/phone"' in page


def test_the_pair_a_phone_page_starts_off_and_lists_phones(journal, access):
    access.journal.store.phone.add_device("Old phone", "cd" * 32, utc_now())
    page = desk_client(journal, access).get("/settings/phone").text
    assert "Phone access is off" in page and "Old phone" in page
    assert "Show a pairing code" not in page  # only once it is on
    assert not access.running


def test_unpairing_an_unknown_phone_is_a_calm_404(journal, access):
    answer = desk_client(journal, access).post("/settings/phone/devices/99/unpair")
    assert answer.status_code == 404


def test_the_desktop_phone_page_needs_the_desktop_session(journal, access):
    app = create_app(journal, token=DESK_TOKEN, port=8765)
    stranger = TestClient(app, base_url="http://127.0.0.1:8765")
    assert stranger.get("/settings/phone").status_code == 403
    assert stranger.post("/settings/phone", data={"on": "1"}).status_code == 403


def test_the_app_manifest_and_its_icons_are_served(app, access):
    browser = client(app)
    manifest = browser.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/" and body["display"] == "standalone"
    for icon in body["icons"]:
        answer = browser.get(icon["src"])
        assert answer.status_code == 200 and answer.headers["content-type"] == icon["type"]
    paired = pair(app, access)
    worker = paired.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "/api/" in worker.text  # the worker says it never keeps what /api/ answers
