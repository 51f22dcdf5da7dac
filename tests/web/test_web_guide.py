"""The Guided runs page: choosing, previewing and downloading a session."""

import io

import soundfile as sf


def test_the_guided_runs_page_lists_the_sessions_and_the_pacer(client):
    page = client.get("/guide")
    assert page.status_code == 200
    for title in ("A first quiet run", "Breathe 3:2", "Body scan", "Long quiet"):
        assert title in page.text
    assert 'id="pacer"' in page.text
    assert "/static/pacer.js" in page.text
    assert "<script>" not in page.text.replace('<script src="', "")


def test_a_session_renders_to_a_file_of_the_asked_length(client, tmp_path):
    response = client.get("/guide/hard-day.flac?cadence=172&minutes=1&download=1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/flac"
    assert 'filename="hard-day.flac"' in response.headers["content-disposition"]
    data, rate = sf.read(io.BytesIO(response.content))
    assert len(data) == 60 * rate
    assert abs(data).max() <= 10 ** (-1 / 20)  # peak at most -1 dBFS


def test_nothing_rendered_is_left_behind(client, journal):
    assert client.get("/guide/hard-day.ogg?minutes=1&cadence=170").status_code == 200
    runtime = journal.data_dir / "runtime"
    assert not [p for p in runtime.glob("guide-*")]


def test_bad_guide_requests_get_a_calm_message(client):
    for url, status in [
        ("/guide/nope.flac?minutes=1&cadence=170", 400),
        ("/guide/hard-day.flac?cadence=300&minutes=1", 400),
        ("/guide/hard-day.aiff?minutes=1&cadence=170", 400),
        ("/guide/hard-day.flac?minutes=abc", 400),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert "Traceback" not in response.text


def test_the_guide_needs_a_session(anonymous):
    assert anonymous.get("/guide").status_code == 403
    assert anonymous.get("/guide/hard-day.flac?minutes=1").status_code == 403
