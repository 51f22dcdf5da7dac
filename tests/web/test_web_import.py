"""The import page: files, folders and archives from the browser, with the same report."""

import io
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
RUN_FIT = DATA / "fit" / "fitparse--garmin-fenix-5-run.fit"


def post_files(client, web, files, origin=True):
    csrf = web.csrf_of(client.get("/import").text)
    headers = {"Origin": web.base} if origin else {}
    return client.post(f"/import?csrf={csrf}", files=files, headers=headers)


def test_the_import_page_offers_files_and_folders(client):
    page = client.get("/import").text
    assert 'type="file"' in page and "webkitdirectory" in page
    assert 'enctype="multipart/form-data"' in page


def test_files_and_a_zip_come_in_with_a_report(client, web, journal):
    before = journal.store.counts()["runs"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("watch/run.fit", RUN_FIT.read_bytes())
    response = post_files(
        client,
        web,
        [
            ("files", ("export.zip", archive.getvalue(), "application/zip")),
            ("files", ("notes.txt", b"a shopping list", "text/plain")),
        ],
    )
    assert response.status_code == 200
    assert "1 activity brought in" in response.text
    assert "1 skipped (not activities)" in response.text  # notes.txt, found in the folder
    assert journal.store.counts()["runs"] == before + 1
    again = post_files(client, web, [("files", ("run.fit", RUN_FIT.read_bytes(), "x"))])
    assert "Nothing new" in again.text and "1 already here" in again.text
    assert not list((journal.data_dir / "runtime").glob("upload-*"))


def test_an_import_can_be_taken_back_out(client, web, journal):
    post_files(client, web, [("files", ("run.fit", RUN_FIT.read_bytes(), "x"))])
    (batch,) = [b for b in journal.imports() if b.runs]
    csrf = web.csrf_of(client.get("/import").text)
    response = client.post(
        f"/imports/{batch.id}/undo", data={"csrf": csrf}, headers={"Origin": web.base}
    )
    assert response.status_code == 303
    assert all(b.id != batch.id for b in journal.imports())


def test_an_upload_is_refused_cross_origin_and_changes_nothing(client, web, journal):
    before = journal.store.counts()
    csrf = web.csrf_of(client.get("/import").text)
    response = client.post(
        f"/import?csrf={csrf}",
        files=[("files", ("run.fit", RUN_FIT.read_bytes(), "x"))],
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert journal.store.counts() == before


def test_an_empty_upload_gets_a_calm_message(client, web):
    csrf = web.csrf_of(client.get("/import").text)
    response = client.post(
        f"/import?csrf={csrf}",
        files=[("files", ("", b"", "application/octet-stream"))],
        headers={"Origin": web.base},
    )
    assert response.status_code == 400
    assert "choose at least one file" in response.text


def test_folder_paths_cannot_escape_the_upload_folder():
    from innerpace.web.uploads import safe_relative as _safe_name

    assert _safe_name("../../etc/passwd", 0) == Path("etc/passwd")
    assert _safe_name("/abs/run.fit", 0) == Path("abs/run.fit")
    assert _safe_name("..", 3) == Path("upload-3")
