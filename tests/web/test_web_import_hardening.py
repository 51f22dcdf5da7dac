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
        "/import",
        files=files,
        headers={"Origin": web.base, "X-CSRF-Token": csrf},
    )


def test_a_malformed_export_through_the_web_is_a_400_page(client, web):
    body = _zip({"journal.json": b'{"innerpace-export": 1, "runs": [{"id": "x"}]}'})
    response = _upload(client, web, [("files", ("broken-export.zip", body, "application/zip"))])
    assert response.status_code == 400
    assert "runs" in response.text
    assert "Traceback" not in response.text
