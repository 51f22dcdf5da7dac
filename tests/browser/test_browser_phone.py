"""The phone, for real: Chromium at phone size trusting innerpace's own authority, on 127.0.0.2.

The authority goes into an NSS database in a fresh HOME (as an installed profile would put it
in the phone's trust store); nothing else is trusted. The pairing code is read from the QR image
the Settings page shows. Pictures go to a temporary folder; ``INNERPACE_SCREENSHOTS=1`` refreshes
the ones in ``docs/screenshots/``.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from innerpace.domain import utc_now
from innerpace.phone.authority import Credential, Names, issue_leaf
from innerpace.phone.keys import AUTHORITY
from innerpace.services import Journal
from innerpace.web import LocalServer
from innerpace.web.phone.listener import PhoneAccess, attach, load_into

from .conftest import CHROMIUM, LAUNCH_ARGS, _truthy, sign_in_through_the_file

PHONE_HOST = "127.0.0.2"
OUTSIDE_HOST = "127.0.0.3"
PHONE = {"width": 390, "height": 844}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _require_tools() -> None:
    missing = [tool for tool in ("certutil",) if shutil.which(tool) is None]
    if missing or not CHROMIUM.exists():
        reason = "the phone browser tests need chromium and certutil (Debian libnss3-tools)"
        if _truthy(os.environ.get("CI")):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("INNERPACE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


# -- reading the QR code the page shows -----------------------------------------------------------
def png_to_gray(data: bytes):
    """A Playwright screenshot (8-bit RGB/RGBA PNG, not interlaced) as a grey numpy image."""
    import numpy as np

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    image = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw[start + 1 : start + 1 + stride], dtype=np.uint8).astype(np.int32)
        out = line.copy()
        if kind == 1:
            for x in range(channels, stride):
                out[x] = (out[x] + out[x - channels]) & 0xFF
        elif kind == 2:
            out = (line + previous) & 0xFF
        elif kind == 3:
            for x in range(stride):
                left = out[x - channels] if x >= channels else 0
                out[x] = (line[x] + ((left + previous[x]) >> 1)) & 0xFF
        elif kind == 4:
            for x in range(stride):
                a = out[x - channels] if x >= channels else 0
                b = previous[x]
                c = previous[x - channels] if x >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                out[x] = (line[x] + pred) & 0xFF
        image[y] = out
        previous = out
    pixels = image.reshape(height, width, channels)
    return pixels[:, :, 0].astype(np.uint8)


def read_qr(png: bytes) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(png_to_gray(png))
    assert found, "no QR code found in the picture"
    return found[0].text


# -- the set-up: a journal, the server, the authority trusted by a fresh browser profile ---------
@pytest.fixture(scope="module")
def phone_world(browser, tmp_path_factory) -> Iterator[SimpleNamespace]:
    """``browser`` (the shared one) lends its Playwright; this module launches its own Chromium
    with a HOME whose NSS store trusts innerpace's authority."""
    _require_tools()
    chromium = browser.browser_type
    base = tmp_path_factory.mktemp("phone")
    journal = Journal.open(base / "journal")
    server = LocalServer(journal, port=0)
    access = attach(server.app, PhoneAccess(journal, host=PHONE_HOST, port=0))
    # Make the authority now (the listener would on start), to put it in the browser's store.
    access._prepare(utc_now())
    authority_pem = access.credentials.authority.cert_pem
    ca_file = base / "innerpace-authority.pem"
    ca_file.write_bytes(authority_pem)
    home = base / "home"
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{nssdb}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nssdb}",
            "-n",
            "innerpace",
            "-t",
            "C,,",
            "-i",
            str(ca_file),
        ],
        check=True,
    )
    server.start()
    env = {**os.environ, "HOME": str(home)}
    trusting = chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, env=env
    )
    try:
        yield SimpleNamespace(
            journal=journal,
            server=server,
            access=access,
            browser=trusting,
            base=base,
            chromium=chromium,
            env=env,
        )
    finally:
        trusting.close()
        server.stop()
        journal.close()


def desktop_page(world) -> Any:
    """The computer's browser, signed in by opening the printed sign-in file."""
    context = world.browser.new_context(viewport={"width": 1100, "height": 1700})
    page = context.new_page()
    server = world.server
    landing = sign_in_through_the_file(page, server.redirect_file.as_uri(), server.url)
    assert landing.status == 200
    return page


def phone_page(world) -> tuple[Any, Any, list[str]]:
    context = world.browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def outbox_says(page, words: str, timeout: float = 25_000) -> None:
    page.locator("#outbox").filter(has_text=words).wait_for(timeout=timeout)


def send_and_wait(page, button: str, words: str = "Everything is on the computer.") -> None:
    """Press a save button, then wait until the outbox line says ``words`` about that entry."""
    page.evaluate("document.getElementById('outbox').textContent = ''")
    page.get_by_role("button", name=button).click()
    outbox_says(page, words)


def switch(desk, on: bool) -> None:
    desk.goto(desk.url.split("/settings")[0] + "/settings/phone")
    label = "Turn phone access on" if on else "Turn phone access off"
    desk.get_by_role("button", name=label).click()
    desk.get_by_role("heading", name=f"Phone access is {'on' if on else 'off'}").wait_for()


def test_pair_by_qr_check_in_offline_outbox_and_unpair(phone_world, shots):
    world = phone_world
    journal = world.journal
    desk = desktop_page(world)
    desk.goto(world.server.url + "settings")
    desk.get_by_role("link", name="Pair a phone").click()
    desk.get_by_role("heading", name="Phone access is off").wait_for()
    switch(desk, True)
    desk.get_by_role("button", name="Show a pairing code").click()
    qr = desk.locator("#pairing-qr svg")
    qr.wait_for()
    desk.screenshot(path=str(shots / "phone-pairing-settings.png"), full_page=True)
    link = read_qr(qr.screenshot())
    assert link.startswith(f"https://{PHONE_HOST}:{world.access.port}/pair#")

    context, page, errors = phone_page(world)
    page.goto(link)  # no certificate warning: the authority is trusted
    assert page.evaluate("location.href") == f"https://{PHONE_HOST}:{world.access.port}/pair"
    assert page.evaluate("window.isSecureContext")
    page.locator("#device-name").fill("Kitchen test phone")
    page.screenshot(path=str(shots / "phone-pairing.png"), full_page=True)
    page.get_by_role("button", name="Pair this phone").click()
    page.wait_for_url("**/authority")
    assert "Certificate Trust Settings" in page.content()
    page.screenshot(path=str(shots / "phone-authority.png"), full_page=True)
    assert [d.name for d in journal.store.phone.devices()] == ["Kitchen test phone"]
    assert all("#" not in entry for entry in page.evaluate("[location.href]"))

    page.get_by_role("link", name="Open innerpace").click()
    page.wait_for_url(f"https://{PHONE_HOST}:{world.access.port}/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    outbox_says(page, "Everything is on the computer.")

    # Before the run, at the door.
    page.locator('label:has(input[name="when"][value="before"])').click()
    page.locator('label:has(input[name="feeling"][value="3"])').click()
    page.locator('label:has(input[name="arousal"][value="4"])').click()
    page.locator("#checkin-note").fill("shoes on")
    page.screenshot(path=str(shots / "phone-checkin.png"), full_page=True)
    send_and_wait(page, "Save check-in", "Everything is on the computer.")
    (before,) = journal.store.list_checkins()
    assert before.kind.value == "before" and before.note == "shoes on"

    # The run arrives (logged here by hand); after it, on the doorstep.
    run = journal.log_run(at=utc_now() - timedelta(minutes=45), minutes=40, name="Canal loop")
    page.reload()
    outbox_says(page, "Everything is on the computer.")
    # a run ended minutes ago: "After a run" is offered first, as on the computer's Today page
    expect(page.locator('input[name="when"][value="after"]')).to_be_checked()
    page.locator('label:has(input[name="when"][value="after"])').click()
    page.locator("#run-choice").select_option(str(run.id))
    page.locator('label:has(input[name="feeling"][value="4"])').click()
    send_and_wait(page, "Save check-in", "Everything is on the computer.")
    kinds = {c.kind.value: c for c in journal.store.list_checkins()}
    assert kinds["after"].run_id == run.id

    # A moment, now; a few words; the weekly questions.
    page.get_by_role("button", name="A moment").click()
    page.locator('label.tag:has(input[value="release"])').click()
    page.locator("#moment-note").fill("the last hill")
    page.screenshot(path=str(shots / "phone-moment.png"))
    send_and_wait(page, "Mark it now", "Everything is on the computer.")
    (moment,) = journal.store.moments_for_run(run.id)
    assert moment.tags == ("release",) and moment.note == "the last hill"

    page.get_by_role("button", name="A few words").click()
    page.locator("#words-text").fill("Lighter than when I left.")
    send_and_wait(page, "Keep these words", "Everything is on the computer.")
    assert journal.reflections()[0].text == "Lighter than when I left."

    journal.change_setting("country", "US")
    page.get_by_role("button", name="Well-being").click()
    for fieldset in page.locator(".who5-item").all():
        fieldset.locator('input[value="1"]').check()
    page.get_by_role("button", name="Keep my answers").click()
    page.locator("#support a[href^='tel:']").first.wait_for()
    page.locator("#support").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "phone-wellbeing.png"))
    assert len(journal.wellbeing_checks()) == 1

    # Offline: the shell opens from the service worker, the entry waits in the outbox.
    checkins_before = len(journal.store.list_checkins())
    context.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="Check in").wait_for()
    page.locator('label:has(input[name="when"][value="rest"])').click()
    page.locator('label:has(input[name="feeling"][value="1"])').click()
    send_and_wait(page, "Save check-in", "1 entry is waiting")
    page.screenshot(path=str(shots / "phone-outbox.png"), full_page=True)
    assert len(journal.store.list_checkins()) == checkins_before
    # Closed and opened again, still offline: the entry is still waiting (IndexedDB).
    page.close()
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"https://{PHONE_HOST}:{world.access.port}/")
    outbox_says(page, "1 entry is waiting")
    context.set_offline(False)
    outbox_says(page, "Everything is on the computer.")
    assert len(journal.store.list_checkins()) == checkins_before + 1

    # The computer's phone access is off; the entry waits, then goes once when it is back.
    switch(desk, False)
    page.locator('label:has(input[name="when"][value="before"])').click()
    page.locator('label:has(input[name="feeling"][value="2"])').click()
    page.locator("#checkin-note").fill("sent once")
    send_and_wait(page, "Save check-in", "1 entry is waiting")
    switch(desk, True)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    outbox_says(page, "Everything is on the computer.")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    sent = [c for c in journal.store.list_checkins() if c.note == "sent once"]
    assert len(sent) == 1

    # Unpair on the computer: the phone's next request is refused.
    desk.goto(world.server.url + "settings/phone")
    desk.get_by_role("button", name="Unpair Kitchen test phone").click()
    desk.get_by_text("No phone is paired.").wait_for()
    status = page.evaluate("fetch('/api/state').then(r => r.status)")
    assert status == 403
    page.reload()
    outbox_says(page, "no longer paired")
    assert errors == []
    context.close()
    desk.context.close()


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        body = b"<!doctype html><title>outside</title><p>outside the constraints"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def tls_server(host: str, credential: Credential, folder: Path) -> Iterator[int]:
    from innerpace.phone.keys import ListenerCredentials

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    load_into(context, ListenerCredentials(credential, None), folder)
    httpd = http.server.HTTPServer((host, 0), _Hello)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def _bindable(host: str) -> bool:
    try:
        with socket.socket() as sock:
            sock.bind((host, 0))
        return True
    except OSError:
        return False


def test_the_browser_refuses_a_certificate_outside_the_authoritys_names(phone_world):
    world = phone_world
    if not _bindable(OUTSIDE_HOST):
        pytest.skip("no 127.0.0.3 on this loopback")
    kept = world.journal.store.phone.credential(AUTHORITY)
    authority = Credential(*kept)
    now = utc_now()
    inside = issue_leaf(authority, Names((PHONE_HOST,)), now)
    outside = issue_leaf(authority, Names((OUTSIDE_HOST,)), now)
    page = world.browser.new_page()
    with tls_server(PHONE_HOST, inside, world.base) as port:
        page.goto(f"https://{PHONE_HOST}:{port}/")  # same authority, a name it may sign
        assert "outside the constraints" in page.content()
    with tls_server(OUTSIDE_HOST, outside, world.base) as port:
        with pytest.raises(Exception) as refused:
            page.goto(f"https://{OUTSIDE_HOST}:{port}/")
        assert "ERR_CERT" in str(refused.value)
    page.close()


def test_the_warning_path_works_without_installing_anything(phone_world, tmp_path):
    """A person who installs nothing sees the browser's certificate warning and goes on anyway
    (in Chromium's interstitial, by typing its bypass word). Pairing and check-ins work; the
    browser refuses the service worker there, so the page cannot open without the computer."""
    world = phone_world
    access = world.access
    if not access.running:
        switch(desktop_page(world), True)
    untrusting_home = tmp_path / "home"
    untrusting_home.mkdir()
    browser = world.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=LAUNCH_ARGS,
        env={**os.environ, "HOME": str(untrusting_home)},
    )
    try:
        desk = desktop_page(SimpleNamespace(browser=browser, server=world.server))
        desk.goto(world.server.url + "settings/phone")
        desk.get_by_role("button", name="Show a pairing code").click()
        link = read_qr(desk.locator("#pairing-qr svg").screenshot())
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        with pytest.raises(Exception) as warned:
            page.goto(link)
        assert "ERR_CERT_AUTHORITY_INVALID" in str(warned.value)  # the warning, not the page
        for _attempt in range(5):  # "Proceed anyway", once the warning page is ready for it
            page.wait_for_timeout(300)
            page.keyboard.type("thisisunsafe")
            with contextlib.suppress(Exception):
                page.locator("#device-name").wait_for(timeout=3_000)
                break
        page.locator("#device-name").fill("Warning path phone")
        page.get_by_role("button", name="Pair this phone").click()
        page.wait_for_url("**/authority")
        fingerprint = page.locator("#authority-fingerprint").inner_text().replace("\n", ":")
        assert fingerprint == access.credentials.authority_fingerprint
        page.goto(access.url)
        page.locator('label:has(input[name="when"][value="before"])').click()
        page.locator('label:has(input[name="feeling"][value="-1"])').click()
        page.locator("#checkin-note").fill("warning path")
        send_and_wait(page, "Save check-in", "Everything is on the computer.")
        assert [c.note for c in world.journal.store.list_checkins()].count("warning path") == 1
        page.wait_for_timeout(500)
        registrations = page.evaluate(
            "navigator.serviceWorker.getRegistrations().then(r => r.length)"
        )
        assert registrations == 0
    finally:
        browser.close()
