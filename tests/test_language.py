from django.urls import reverse


def test_portal_speaks_indonesian_even_to_an_english_browser(client_for):
    response = client_for("operator").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Selamat datang" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_language_switch_turns_the_portal_english(client_for):
    client = client_for("operator")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert "Welcome" in page
    assert "Satker operator" in page
