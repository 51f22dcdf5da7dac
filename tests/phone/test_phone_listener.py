"""The real phone listener on a second loopback address (127.0.0.2), never a real network."""

from __future__ import annotations

import html
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from innerpace.domain import utc_now
from innerpace.phone.authority import der
from innerpace.services import Journal
from innerpace.web import LocalServer
from innerpace.web.phone.listener import PhoneAccess, attach

PHONE_HOST = "127.0.0.2"


def _can_bind(host: str) -> bool:
    try:
        with socket.socket() as sock:
            sock.bind((host, 0))
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _can_bind(PHONE_HOST), reason="this system has no 127.0.0.2 on its loopback"
)


@pytest.fixture
def served(journal, tmp_path):
    server = LocalServer(journal, port=0)
    access = attach(server.app, PhoneAccess(journal, host=PHONE_HOST, port=0))
    server.start()
    desk = httpx.Client(
        base_url=server.url.rstrip("/"),
        headers={"authorization": f"token {server.token}"},
        follow_redirects=False,
    )
    try:
        yield server, access, desk, tmp_path / "ca.pem"
    finally:
        desk.close()
        server.stop()


def switch(desk, on: bool) -> None:
    answer = desk.post("/settings/phone", data={"on": "1" if on else "0"})
    assert answer.status_code == 303, answer.text


def csrf_of(page: str) -> str:
    """The hidden ``csrf`` field of the page's forms (empty for a script holding the token)."""
    found = re.search(r'<input type="hidden" name="csrf" value="([^"]*)">', page)
    assert found is not None, "the page has no form"
    return html.unescape(found.group(1))


def pairing_link(desk) -> str:
    """Press "Show a pairing code" on the Settings page, as its form posts it."""
    csrf = csrf_of(desk.get("/settings/phone").text)
    page = desk.post("/settings/phone/code", data={"csrf": csrf}).text
    assert "<svg" in page
    return html.unescape(re.search(r'class="pairing-link">([^<]+)<', page).group(1))


def phone_client(access, ca: Path) -> httpx.Client:
    ca.write_bytes(access.credentials.authority.cert_pem)
    return httpx.Client(base_url=access.url.rstrip("/"), verify=trusting(ca))


def trusting(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


def pair(phone: httpx.Client, link: str, origin: str) -> None:
    code = link.split("#", 1)[1]
    answer = phone.post(
        "/pair", json={"code": code, "name": "test phone"}, headers={"origin": origin}
    )
    assert answer.status_code == 200, answer.text


def test_off_by_default_then_on_and_off_from_settings(served):
    server, access, desk, ca = served
    assert not access.running
    assert "Phone access is off" in desk.get("/settings/phone").text
    switch(desk, True)
    assert access.running and access.url.startswith(f"https://{PHONE_HOST}:")
    phone = phone_client(access, ca)
    assert phone.get("/pair").status_code == 200  # verified against innerpace's own authority
    switch(desk, False)
    assert not access.running
    with pytest.raises(httpx.ConnectError):
        phone.get("/pair")
    assert server.url.startswith("http://127.0.0.1:")
    assert desk.get("/settings").status_code == 200  # the 127.0.0.1 app is unchanged


def test_plain_http_is_refused_and_the_certificate_names_the_served_address(served):
    _server, access, desk, ca = served
    switch(desk, True)
    with pytest.raises(httpx.HTTPError):
        httpx.get(access.url.replace("https://", "http://") + "pair", timeout=5)
    context = ssl.create_default_context(cafile=None)
    context.load_verify_locations(cadata=access.credentials.authority.cert_pem.decode())
    with (
        socket.create_connection((PHONE_HOST, access.port)) as raw,
        context.wrap_socket(raw, server_hostname=PHONE_HOST) as tls,
    ):
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
        names = {value for _kind, value in tls.getpeercert()["subjectAltName"]}
    assert PHONE_HOST in names


def test_pair_send_unpair_through_the_real_listener(served, journal):
    _server, access, desk, ca = served
    switch(desk, True)
    phone = phone_client(access, ca)
    origin = access.url.rstrip("/")
    pair(phone, pairing_link(desk), origin)
    token = phone.get("/api/state").json()["csrf"]
    entry = {
        "client_id": "real-0000001",
        "kind": "reflection",
        "text": "Out the door.",
        "made_at": utc_now().isoformat(),
    }
    headers = {"origin": origin, "x-csrf-token": token}
    assert phone.post("/api/entries", json=entry, headers=headers).status_code == 200
    page = desk.get("/settings/phone").text
    assert "test phone" in page
    device_id = re.search(r"/settings/phone/devices/(\d+)/unpair", page).group(1)
    assert desk.post(f"/settings/phone/devices/{device_id}/unpair").status_code == 303
    refused = phone.get("/api/state")
    assert refused.status_code == 403 and "Pair this phone" in refused.text
    assert [r.text for r in journal.reflections()] == ["Out the door."]


def test_the_certificate_is_renewed_in_a_running_listener(served):
    _server, access, desk, ca = served
    switch(desk, True)
    before = access.credentials.leaf.cert_pem
    assert not access.renew_if_due(utc_now())
    assert access.renew_if_due(utc_now() + timedelta(days=70))
    assert access.credentials.leaf.cert_pem != before
    # The running listener now presents the new certificate (dated from the simulated day, so
    # read here without judging its dates).
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((PHONE_HOST, access.port)) as raw,
        context.wrap_socket(raw) as tls,
    ):
        presented = tls.getpeercert(binary_form=True)
    assert presented == der(access.credentials.leaf.cert_pem)


KILL_SCRIPT = r"""
import sys
from pathlib import Path
from innerpace.services import Journal
from innerpace.web.server import serve
from innerpace.web.phone.listener import PhoneAccess

folder, port = Path(sys.argv[1]), int(sys.argv[2])
with Journal.open(folder) as journal:
    access = PhoneAccess(journal, host="127.0.0.2", port=port, wanted=True)
    serve(journal, port=0, open_browser=False, phone=access,
          on_ready=lambda line: print(line, flush=True))
"""


def signed_in_through_the_file(signin_file: Path) -> httpx.Client:
    """A desktop browser that opened the printed sign-in file: its form posts the one-time key
    from a ``file://`` page (``Origin: null``), the answer sets the session cookie, and from
    then on the browser is on the journal's own pages (its own origin on every post)."""
    page = signin_file.read_text()
    action = re.search(r'<form id="signin" method="post" action="([^"]+)">', page)
    key = re.search(r'<input type="hidden" name="key" value="([^"]+)">', page)
    assert action is not None and key is not None, page
    action_url = html.unescape(action.group(1))
    assert action_url.startswith("http://127.0.0.1:") and action_url.endswith("/auth")
    desk_url = action_url.removesuffix("/auth")
    desk = httpx.Client(base_url=desk_url, follow_redirects=False, timeout=10)
    answer = desk.post(
        action_url, data={"key": html.unescape(key.group(1))}, headers={"origin": "null"}
    )
    assert answer.status_code == 200, answer.text
    assert desk.cookies, "the sign-in answer set no session cookie"
    desk.headers.update({"origin": desk_url, "sec-fetch-site": "same-origin"})
    assert desk.get("/").status_code == 200  # where the signing-in page moves on to
    return desk


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _start(folder: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(folder), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if "Phone access is on" in line:
            return process
        if time.monotonic() > deadline:
            break
    process.kill()
    raise AssertionError("the server did not start")


ENTRIES = 400  # enough that every kill below lands while the phone is still sending


def test_kill_9_while_the_phone_sends_loses_nothing_and_keeps_nothing_twice(tmp_path):
    folder = tmp_path / "journal"
    port = _free_port(PHONE_HOST)
    with Journal.open(folder):
        pass
    process = _start(folder, port)
    try:
        desk = signed_in_through_the_file(next((folder / "runtime").glob("open-*.html")))
        with Journal.open(folder) as reader:
            from innerpace.phone.keys import AUTHORITY

            ca_pem = reader.store.phone.credential(AUTHORITY)[0]
        (tmp_path / "ca.pem").write_bytes(ca_pem)
        origin = f"https://{PHONE_HOST}:{port}"
        phone = httpx.Client(base_url=origin, verify=trusting(tmp_path / "ca.pem"), timeout=5)
        pair(phone, pairing_link(desk), origin)
        desk.close()
        outbox = {
            f"kill-entry-{i:05d}": {
                "client_id": f"kill-entry-{i:05d}",
                "kind": "reflection",
                "text": f"entry {i}",
                "made_at": utc_now().isoformat(),
            }
            for i in range(ENTRIES)
        }
        kills = 0
        rounds = 0
        delivered_in_first_round = 0
        chance = random.Random(16)
        while outbox and rounds < 12:
            rounds += 1
            token_csrf = phone.get("/api/state").json()["csrf"]
            headers = {"origin": origin, "x-csrf-token": token_csrf}
            killer = None
            if kills < 3:  # kill -9 at a moment nobody chose, while the phone is sending
                killer = threading.Timer(chance.uniform(0.03, 0.15), os.kill, (process.pid, 9))
                killer.start()
                kills += 1
            for client_id, entry in list(outbox.items()):
                try:
                    answer = phone.post("/api/entries", json=entry, headers=headers)
                except httpx.HTTPError:
                    break  # the outbox keeps it and tries later
                if answer.status_code == 200:
                    del outbox[client_id]  # emptied only once the computer has it
            if rounds == 1:
                delivered_in_first_round = ENTRIES - len(outbox)
            if killer is not None:
                killer.join()
                process.wait()
                process = _start(folder, port)
                phone = httpx.Client(
                    base_url=origin,
                    verify=trusting(tmp_path / "ca.pem"),
                    timeout=5,
                    cookies=phone.cookies,
                )
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    finally:  # a failing run leaves no server behind
        if process.poll() is None:
            process.kill()
            process.wait()
    assert kills == 3 and not outbox
    assert delivered_in_first_round < ENTRIES  # the first kill landed while the phone sent
    with Journal.open(folder) as journal:
        texts = [r.text for r in journal.reflections()]
        assert sorted(texts) == sorted(f"entry {i}" for i in range(ENTRIES))  # each exactly once
        assert journal.store.phone.receipt_count() == ENTRIES


def test_an_own_certificate_is_served_and_no_authority_is_offered(journal, tmp_path):
    from innerpace.phone.authority import Names, issue_leaf, make_authority

    now = utc_now()
    their_ca = make_authority(Names((PHONE_HOST,)), now, label="their own")  # as mkcert would
    leaf = issue_leaf(their_ca, Names((PHONE_HOST,)), now)
    (tmp_path / "mine.crt").write_bytes(leaf.cert_pem)
    (tmp_path / "mine.key").write_bytes(leaf.key_pem)
    (tmp_path / "their-ca.pem").write_bytes(their_ca.cert_pem)
    server = LocalServer(journal, port=0)
    access = PhoneAccess(
        journal,
        host=PHONE_HOST,
        port=0,
        cert_file=tmp_path / "mine.crt",
        key_file=tmp_path / "mine.key",
        wanted=True,
    )
    attach(server.app, access)
    server.start()
    try:
        for _ in range(200):
            if access.running:
                break
            time.sleep(0.02)
        phone = httpx.Client(
            base_url=access.url.rstrip("/"), verify=trusting(tmp_path / "their-ca.pem")
        )
        page = phone.get("/authority")
        assert "a certificate you chose" in page.text
        assert phone.get("/authority.crt").status_code == 404
        assert journal.store.phone.credential("authority") is None  # none was made
    finally:
        server.stop()
