"""The import page under pressure: malformed exports, odd upload names, big uploads."""

from __future__ import annotations

import io
import zipfile


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client, web, files):
    csrf = web.csrf_of(client.get("/import").text)
    return client.post(
        f"/import?csrf={csrf}",
        files=files,
        headers={"Origin": web.base, "X-CSRF-Token": csrf},
    )


def test_a_malformed_export_through_the_web_is_a_400_page(client, web):
    body = _zip({"journal.json": b'{"innerpace-export": 1, "runs": [{"id": "x"}]}'})
    response = _upload(client, web, [("files", ("broken-export.zip", body, "application/zip"))])
    assert response.status_code == 400
    assert "runs" in response.text
    assert "Traceback" not in response.text


def test_upload_names_that_clash_are_kept_apart_not_a_500(client, web, journal):
    gpx = (
        b'<?xml version="1.0"?><gpx version="1.1" creator="t" '
        b'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg/></trk></gpx>'
    )
    response = _upload(
        client,
        web,
        [
            ("files", ("a", b"just words", "text/plain")),
            ("files", ("a/b", gpx, "application/gpx+xml")),
            ("files", ("a/b", gpx, "application/gpx+xml")),
        ],
    )
    assert response.status_code == 200
    assert not list((journal.data_dir / "runtime").glob("upload-*"))


def test_a_huge_id_is_a_404_not_a_500(client):
    for path in ("/runs/99999999999999999999999", "/runs/9223372036854775808"):
        response = client.get(path)
        assert response.status_code == 404, path


def test_undoing_a_huge_batch_id_is_a_404_not_a_500(client, web):
    csrf = web.csrf_of(client.get("/import").text)
    response = client.post(
        "/imports/99999999999999999999999/undo",
        data={"csrf": csrf},
        headers={"Origin": web.base},
    )
    assert response.status_code == 404


def test_an_upload_over_the_limit_leaves_nothing_behind(client, web, journal, app):
    app.state.guard.max_upload = 1000
    response = _upload(client, web, [("files", ("big.gpx", b"x" * 5000, "text/plain"))])
    assert response.status_code == 413
    assert not list((journal.data_dir / "runtime").glob("upload-*"))


def test_the_import_form_sends_its_token_in_the_address(client):
    page = client.get("/import").text
    assert 'action="/import?csrf=' in page
    assert 'name="csrf"' not in page.split('class="card upload"')[1].split("</form>")[0]
