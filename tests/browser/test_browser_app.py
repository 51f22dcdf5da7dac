"""The web app in real Chromium: signing in, reading, and every guard holding."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from innerpace.web.security import CONTENT_SECURITY_POLICY


@pytest.fixture
def sign_in(sign_in):
    return lambda page, served: sign_in(page, served.server)


def test_the_launch_link_signs_in_and_lands_on_the_runs(open_page, served, sign_in):
    page, watch = open_page()
    response = sign_in(page, served)
    assert page.url == served.server.url  # no key in the address bar
    assert response.status == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert page.get_by_role("heading", name="Recent runs and walks").is_visible()
    assert page.get_by_text("Morning by the lake").is_visible()
    assert page.get_by_text("no check-in after").first.is_visible()
    (cookie,) = page.context.cookies()
    assert cookie["name"] == f"innerpace_session_{served.server.port}"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert served.server.token not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # out of reach of scripts

    page.get_by_text("Morning by the lake").click()
    page.wait_for_url(f"**/runs/{served.ids['calm']}")
    assert page.get_by_role("heading", name="How it felt").is_visible()
    assert page.get_by_text("clarity").is_visible()
    assert page.get_by_text("was this a moment?").is_visible()
    reflection = page.locator(".reflection-text")
    assert reflection.inner_text() == "Quiet water.\nLighter on the way back."
    assert watch.errors == []
    assert watch.dialogs == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard(open_page, served, sign_in):
    page, watch = open_page(390, 844)
    sign_in(page, served)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing spills sideways on a phone
    assert watch.errors == []


def test_without_the_link_the_browser_sees_a_calm_403(open_page, served):
    page, _ = open_page()
    response = page.goto(served.server.url)
    assert response is not None and response.status == 403
    assert page.get_by_text("open the link").is_visible()
    assert "Morning by the lake" not in page.content()


def test_hostile_text_in_a_run_is_shown_literally_and_stays_inert(open_page, served, sign_in):
    page, watch = open_page()
    sign_in(page, served)
    literal = served.script + served.img
    assert page.get_by_text(literal).is_visible()
    page.goto(f"{served.server.url}runs/{served.ids['hostile']}")
    assert page.get_by_role("heading", name=literal).is_visible()
    assert page.locator(".note").inner_text() == served.img
    assert page.locator(".reflection-text").inner_text() == served.script + "\n" + served.img
    assert page.locator("main img").count() == 0
    assert page.locator("script").count() == 1  # only our own htmx
    page.wait_for_timeout(200)
    assert watch.dialogs == []
    assert watch.errors == []


def test_a_dns_rebinding_name_gets_400(open_page, served, sign_in):
    page, _ = open_page()
    sign_in(page, served)
    response = page.goto(f"http://{served.rebind}:{served.server.port}/")
    assert response is not None and response.status == 400
    assert "Morning by the lake" not in page.content()
    direct = page.request.get(
        served.server.url, headers={"Host": f"evil.example:{served.server.port}"}
    )
    assert direct.status == 400


def test_a_post_with_a_foreign_origin_is_refused(open_page, served, sign_in):
    page, _ = open_page()
    sign_in(page, served)
    response = page.request.post(served.server.url, headers={"Origin": "http://localhost:9"})
    assert response.status == 403


def test_same_origin_fetches_need_the_csrf_token(open_page, served, sign_in):
    page, watch = open_page()
    sign_in(page, served)
    csrf = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    without = page.evaluate("fetch('/', {method: 'POST'}).then(r => r.status)")
    with_token = page.evaluate(
        "t => fetch('/', {method: 'POST', headers: {'X-CSRF-Token': t}}).then(r => r.status)", csrf
    )
    assert without == 403
    assert with_token == 405  # past every guard; the home page takes no POST
    assert all("403" in e or "405" in e for e in watch.errors)


ATTACK_PAGE = """<!doctype html><html><body>
<form id="f" method="post" action="{target}">
<input name="csrf" value="guessed"><input name="note" value="from elsewhere"></form>
<script>document.getElementById('f').submit();</script>
</body></html>"""


@pytest.fixture
def attacker(served):
    """A page on another port of this computer that posts a form to innerpace on load."""
    body = ATTACK_PAGE.format(target=served.server.url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_form_posted_from_another_local_port_is_refused(open_page, served, attacker, sign_in):
    page, _ = open_page()
    sign_in(page, served)  # the session cookie is set, and the other port is same-site
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.goto(attacker)
    response = posted.value
    assert response.url == served.server.url
    assert response.request.header_value("cookie") is not None  # SameSite let it through
    assert response.status == 403  # the Origin check did not
    assert "from elsewhere" not in page.content()
