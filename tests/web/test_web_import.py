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
    assert "1 could not be read" in response.text  # notes.txt, chosen by name
    assert "<strong>notes.txt</strong>: not a FIT, GPX or TCX file" in response.text
    assert "<strong>export.zip</strong>:\n      1 activity brought in." in response.text
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


def test_a_strava_export_brought_in_says_what_was_left_out(client, web, journal):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "activities.csv",
            "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
            '1,"Aug 2, 2026, 12:20:32 PM",Rondje park,Run,1800,5.2,\n',
        )
        z.writestr("media/1.jpg", b"\xff\xd8")
        z.writestr("profile.csv", "x")
    response = post_files(client, web, [("files", ("export_1.zip", archive.getvalue(), "x"))])
    assert (
        "<strong>export_1.zip</strong>:\n      1 activity brought in, 1 note in your own words."
        in response.text
    )
    assert "1 photos left out: photos and videos are not imported" in response.text
    assert "1 account files left out: account data (profile, followers, posts)" in response.text


def test_own_daylio_moods_are_placed_once_from_the_page(client, web, journal):
    diary = (
        b"year,date,weekday,time,mood,activities,note\n"
        b'2018,29 March,Thursday,11:54 pm,happy,"socialise | eat out",""\n'
        b'2018,16 May,Wednesday,23:41,horrible,"","Did nothing today."\n'
    )
    first = post_files(client, web, [("files", ("daylio_export.csv", diary, "text/csv"))])
    assert "Your own Daylio moods" in first.text
    assert 'name="mood:happy"' in first.text and 'name="mood:horrible"' in first.text
    assert not [c for c in journal.store.list_checkins() if c.response("daylio")]
    csrf = web.csrf_of(first.text)
    refused = client.post(
        "/import/daylio-moods",
        data={"csrf": csrf, "mood:happy": "9"},
        headers={"Origin": web.base},
    )
    assert refused.status_code == 400 and "from 1 (awful) to 5 (rad)" in refused.text
    assert journal.daylio_levels() == {}
    placed = client.post(
        "/import/daylio-moods",
        data={"csrf": csrf, "mood:happy": "5", "mood:horrible": "1"},
        headers={"Origin": web.base},
    )
    assert placed.status_code == 303
    again = post_files(client, web, [("files", ("daylio_export.csv", diary, "text/csv"))])
    assert "Your own Daylio moods" not in again.text
    assert "2 moods" in again.text
    moods = [c.response("daylio") for c in journal.store.list_checkins() if c.response("daylio")]
    assert sorted(m.value("mood") for m in moods) == [1, 5]


def test_a_long_list_of_notes_is_cut_short_and_says_how_many_more(client, web, journal):
    rows = "".join(
        f'{i},"Aug {i % 28 + 1}, 2025, 7:00:00 AM",Run {i},Run,1800,5.0,activities/{i}.gpx\n'
        for i in range(1, 41)
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "activities.csv",
            "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
            + rows,
        )
    page = post_files(client, web, [("files", ("export_2.zip", archive.getvalue(), "x"))]).text
    assert page.count("is not in the export; imported from the table") == 25
    assert "and 15 more notes" in page
