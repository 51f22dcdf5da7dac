"""Each guard of the local web server, checked over HTTP."""

from __future__ import annotations

import warnings

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from innerpace.web.security import CONTENT_SECURITY_POLICY, COOKIE_NAME, Guard, middleware

TOKEN = "launch-token-for-tests-0123456789abcdefghijk"  # the same as the ``web`` fixture's
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}


# -- 2. Host allow-list ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "host",
    ["evil.example:8765", "127.0.0.1.nip.io:8765", "attacker.localhost:8765", "127.0.0.1:9999", ""],
)
def test_a_foreign_host_header_gets_400(client, host):
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Along the river" not in response.text


def test_a_rebinding_host_is_refused_even_for_the_health_check(app):
    rebinding = TestClient(app, base_url=f"http://evil.example:{PORT}")
    assert rebinding.get("/healthz").status_code == 400


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LOCALHOST:{PORT}"])
def test_our_own_host_names_are_accepted(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


# -- 3. Token, cookie, Authorization --------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/runs/1", "/runs/999", "/anything"])
def test_without_a_session_every_page_is_403(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 403
    assert "open the link" in response.text
    assert "Along the river" not in response.text


def _key_of(client) -> str:
    return client.app.state.guard.signin_key


def test_the_posted_key_sets_a_strict_http_only_cookie_from_a_page_of_our_own(anonymous):
    key = _key_of(anonymous)
    # The sign-in file is a file:// page: its post is cross-site, with "Origin: null".
    response = anonymous.post(
        "/auth", data={"key": key}, headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 200
    # Not a redirect: the step to "/" starts on our own page, so the browser sends the cookie.
    assert '<meta http-equiv="refresh" content="0;url=/">' in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}_{PORT}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    assert key not in cookie and TOKEN not in cookie
    assert anonymous.get("/").status_code == 200


def test_the_sign_in_key_works_once_and_a_fresh_one_replaces_it(anonymous, app):
    fresh: list[str] = []
    app.state.guard.on_new_signin_key = fresh.append
    key = _key_of(anonymous)
    assert anonymous.post("/auth", data={"key": key}).status_code == 200
    second = TestClient(app, base_url=BASE, follow_redirects=False)
    again = second.post("/auth", data={"key": key})
    assert again.status_code == 403
    assert "already been used" in again.text
    assert "set-cookie" not in again.headers
    assert fresh == [_key_of(anonymous)] and fresh[0] != key
    assert second.post("/auth", data={"key": fresh[0]}).status_code == 200


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={TOKEN}", "?key=x"])
def test_a_get_never_signs_in(anonymous, query):
    """A key in a URL would stay in the browser's history: only a posted key signs in."""
    response = anonymous.get(f"/auth{query}")
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert "open the link" in response.text


@pytest.mark.parametrize("key", ["", "wrong", TOKEN])
def test_a_wrong_posted_key_gets_a_calm_403(anonymous, key):
    response = anonymous.post("/auth", data={"key": key}, headers={"Origin": "null"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_a_forged_cookie_is_refused(anonymous):
    anonymous.cookies.set(f"{COOKIE_NAME}_{PORT}", "made-up.0000")
    assert anonymous.get("/").status_code == 403


def test_scripts_can_send_the_token_in_an_authorization_header(anonymous):
    assert anonymous.get("/", headers={"Authorization": f"token {TOKEN}"}).status_code == 200
    assert anonymous.get("/", headers={"Authorization": "token nope"}).status_code == 403
    assert anonymous.get("/", headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 403


def test_static_files_and_the_health_check_need_no_session(anonymous):
    assert anonymous.get("/static/style.css").status_code == 200
    health = anonymous.get("/healthz")
    assert health.status_code == 200
    assert health.text.strip() == "ok"


# -- 4. Origin, Sec-Fetch-Site, CSRF on the real app ----------------------------------------
def test_a_cross_origin_post_is_refused(client):
    for origin in [
        "http://localhost:9",
        "http://evil.example",
        "null",
        f"https://127.0.0.1:{PORT}",
    ]:
        assert client.post("/", headers={"Origin": origin}).status_code == 403


def test_a_same_origin_post_without_the_csrf_token_is_refused(client):
    assert client.post("/", headers={"Origin": BASE}).status_code == 403
    assert client.post("/", headers={"Origin": BASE, "X-CSRF-Token": "nope"}).status_code == 403


def test_a_same_origin_post_with_the_csrf_token_passes_the_guard(client, web):
    csrf = web.csrf_of(client.get("/").text)
    response = client.post("/", headers={"Origin": BASE, "X-CSRF-Token": csrf})
    assert response.status_code == 405  # past every guard; the home page takes no POST


@pytest.mark.parametrize("site", [None, "same-site", "cross-site"])
def test_a_heavy_get_from_another_page_is_refused(client, site):
    """A page on another local port is same-site and the cookie reaches us: it may not start a
    guided-run render. Only our own pages (same-origin) or the address bar (none) may."""
    headers = {"Sec-Fetch-Site": site} if site else {}
    client.headers.pop("sec-fetch-site", None)
    response = client.get("/guide/hard-day.wav?minutes=1&cadence=170", headers=headers)
    assert response.status_code == 403
    assert "open the link" in response.text


def test_a_heavy_get_from_our_own_page_is_served(client):
    response = client.get(
        "/guide/hard-day.wav?minutes=1&cadence=170", headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 200
    assert response.content[:4] == b"RIFF"


def test_a_post_without_a_session_is_refused(anonymous):
    assert anonymous.post("/auth", headers={"Origin": BASE}).status_code == 403
    assert anonymous.post("/checkins", headers={"Origin": BASE}).status_code == 403


# -- 4. The same middleware around a small app that takes a POST ----------------------------
async def echo(request: Request) -> PlainTextResponse:
    form = await request.form()
    return PlainTextResponse(f"got {form.get('note', '')}")


async def echo_body(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{len(await request.body())} bytes")


def test_the_shared_constants_agree(web):
    assert (web.token, web.port, web.base) == (TOKEN, PORT, BASE)


@pytest.fixture
def guarded():
    guard = Guard(token=TOKEN, port=PORT, max_body=1000)
    app = Starlette(
        routes=[
            Route("/echo", echo, methods=["POST"]),
            Route("/body", echo_body, methods=["POST"]),
        ],
        middleware=middleware(guard, forbidden_page=b"refused", error_page=b"error"),
    )
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    cookie = guard.new_session()
    client.cookies.set(guard.cookie_name, cookie)
    session_id = guard.session_id(cookie)
    assert session_id is not None
    return client, guard.csrf_for(session_id)


def test_a_form_with_the_csrf_field_goes_through_and_keeps_its_body(guarded):
    client, csrf = guarded
    response = client.post("/echo", data={"csrf": csrf, "note": "calm"}, headers={"Origin": BASE})
    assert response.status_code == 200
    assert response.text == "got calm"


def test_a_multipart_upload_with_the_csrf_token_in_its_address_goes_through(guarded):
    client, csrf = guarded
    response = client.post(
        f"/echo?csrf={csrf}",
        data={"note": "calm"},
        files={"f": ("a.txt", b"x")},
        headers={"Origin": f"http://localhost:{PORT}", "Host": f"localhost:{PORT}"},
    )
    assert response.status_code == 200
    assert response.text == "got calm"


def test_a_multipart_upload_is_never_read_by_the_guard(guarded):
    """The token in an upload's body would make the guard buffer the whole upload: refused."""
    client, csrf = guarded
    response = client.post(
        "/echo",
        data={"csrf": csrf, "note": "calm"},
        files={"f": ("a.txt", b"x")},
        headers={"Origin": f"http://localhost:{PORT}", "Host": f"localhost:{PORT}"},
    )
    assert response.status_code == 403


def test_a_csrf_header_goes_through(guarded):
    client, csrf = guarded
    response = client.post(
        "/echo", data={"note": "x"}, headers={"Origin": BASE, "X-CSRF-Token": csrf}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no Origin at all
        {"Origin": "http://localhost:9"},
        {"Origin": f"http://localhost:{PORT}"},  # an allowed origin, but not this Host's own
        {"Origin": BASE, "Sec-Fetch-Site": "same-site"},
        {"Origin": BASE, "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_post_from_elsewhere_is_refused_even_with_the_csrf_token(guarded, headers):
    client, csrf = guarded
    response = client.post("/echo", data={"csrf": csrf, "note": "x"}, headers=headers)
    assert response.status_code == 403
    assert response.text == "refused"


def test_a_form_with_a_wrong_csrf_field_is_refused(guarded):
    client, csrf = guarded
    response = client.post(
        "/echo",
        data={"csrf": csrf[:-1] + ("1" if csrf.endswith("0") else "0")},
        headers={"Origin": BASE},
    )
    assert response.status_code == 403


def test_sec_fetch_site_same_origin_or_none_is_accepted(guarded):
    client, csrf = guarded
    for site in ("same-origin", "none"):
        headers = {"Origin": BASE, "Sec-Fetch-Site": site, "X-CSRF-Token": csrf}
        assert client.post("/echo", data={"note": "x"}, headers=headers).status_code == 200


def test_scripts_with_the_token_need_no_csrf_but_a_matching_origin(guarded):
    client, _ = guarded
    client.cookies.clear()
    auth = {"Authorization": f"token {TOKEN}"}
    assert client.post("/echo", data={"note": "x"}, headers=auth).status_code == 200
    same = {**auth, "Origin": BASE}
    assert client.post("/echo", data={"note": "x"}, headers=same).status_code == 200
    other = {**auth, "Origin": "http://localhost:9"}
    assert client.post("/echo", data={"note": "x"}, headers=other).status_code == 403


# -- 8. Body size limit ---------------------------------------------------------------------
def test_a_body_over_the_limit_by_content_length_gets_413(guarded):
    client, csrf = guarded
    headers = {"Origin": BASE, "X-CSRF-Token": csrf}
    assert client.post("/body", content=b"x" * 1000, headers=headers).text == "1000 bytes"
    assert client.post("/body", content=b"x" * 1001, headers=headers).status_code == 413


def test_a_streamed_body_over_the_limit_gets_413(guarded):
    client, csrf = guarded

    def chunks():
        for _ in range(10):
            yield b"x" * 300

    headers = {"Origin": BASE, "X-CSRF-Token": csrf}
    response = client.post("/body", content=chunks(), headers=headers)
    assert response.status_code == 413


def test_a_streamed_form_over_the_limit_gets_413_while_the_csrf_field_is_read(guarded):
    client, _ = guarded

    def chunks():
        for _ in range(10):
            yield b"note=" + b"x" * 300

    headers = {"Origin": BASE, "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/echo", content=chunks(), headers=headers).status_code == 413


def test_the_real_app_refuses_a_body_over_two_megabytes(client):
    big = b"x" * (2 * 1024 * 1024 + 1)
    assert client.post("/", content=big, headers={"Origin": BASE}).status_code == 413


# -- 5. Headers on every response -----------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/runs/1", 200),
        ("/runs/999", 404),
        ("/static/style.css", 200),
        ("/healthz", 200),
        ("/auth?token=wrong", 403),
        ("/auth", 303),
    ],
)
def test_every_response_carries_the_strict_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value
    assert "access-control-allow-origin" not in response.headers


def test_refusals_carry_the_strict_headers_too(anonymous):
    for response in (
        anonymous.get("/"),
        anonymous.get("/", headers={"Host": "evil.example"}),
        anonymous.post("/", content=b"x" * (3 * 1024 * 1024)),
    ):
        assert response.status_code in (400, 403, 413)
        for name, value in EXPECTED_HEADERS.items():
            assert response.headers[name] == value


def test_no_cors_preflight_is_granted(client):
    response = client.options(
        "/", headers={"Origin": "http://localhost:9", "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_an_unexpected_error_gets_a_plain_500_with_the_strict_headers():
    async def broken(request: Request) -> PlainTextResponse:
        raise RuntimeError("journal text must not leak")

    guard = Guard(token=TOKEN, port=PORT)
    app = Starlette(
        routes=[Route("/broken", broken)],
        middleware=middleware(guard, forbidden_page=b"refused", error_page=b"calm error"),
    )
    client = TestClient(app, base_url=BASE, raise_server_exceptions=False)
    response = client.get("/broken", headers={"Authorization": f"token {TOKEN}"})
    assert response.status_code == 500
    assert response.text == "calm error"
    assert "journal text" not in response.text
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value
