"""Settings in the browser: support country, quiet numbers, no coordinates."""


def save(client, web, **fields):
    csrf = web.csrf_of(client.get("/settings").text)
    return client.post("/settings", data={"csrf": csrf, **fields}, headers={"Origin": web.base})


def test_quiet_numbers_hide_distance_and_pace_everywhere(client, web, ids):
    assert "5.8 km" in client.get("/").text
    run_page = client.get(f"/runs/{ids['full']}").text
    assert "Pace" in run_page and "5.8 km" in run_page
    response = save(client, web, country="gb", quiet_numbers="1")
    assert response.status_code == 303
    assert "5.8 km" not in client.get("/").text
    run_page = client.get(f"/runs/{ids['full']}").text
    assert "Pace" not in run_page and "5.8 km" not in run_page
    assert "Kept GB, the United Kingdom." in client.get("/settings?saved=1").text


def test_settings_are_kept_and_validated(client, web, journal):
    save(client, web, country="ie", no_coordinates="1")
    assert journal.settings() == {"country": "IE", "quiet_numbers": "0", "keep_coordinates": "0"}
    bad = save(client, web, country="Atlantis")
    assert bad.status_code == 400
    assert "two-letter code, such as FR for France; “Atlantis” is not one" in bad.text
    assert 'value="Atlantis"' in bad.text  # what was typed stays in the box
    assert "Nothing was saved." in bad.text
    assert journal.setting("country") == "IE"


def test_a_country_name_is_read_or_plainly_refused_never_cut_to_two_letters(client, web, journal):
    save(client, web, country="New Zealand")
    assert journal.setting("country") == "NZ"
    refused = save(client, web, country="France")
    assert refused.status_code == 400
    assert journal.setting("country") == "NZ"  # not "FR" behind the person's back


def test_a_country_without_contacts_is_kept_and_says_so(client, web, journal):
    assert save(client, web, country="fr").status_code == 303
    assert journal.setting("country") == "FR"
    page = client.get("/settings?saved=1").text
    assert "innerpace has no checked support contacts for FR yet" in page
    assert "Kept." not in page.replace("Kept FR.", "")


def test_settings_cannot_be_changed_from_another_site(client, web, journal):
    csrf = web.csrf_of(client.get("/settings").text)
    response = client.post(
        "/settings",
        data={"csrf": csrf, "quiet_numbers": "1"},
        headers={"Origin": "http://localhost:9"},
    )
    assert response.status_code == 403
    assert journal.setting("quiet_numbers") == "0"
