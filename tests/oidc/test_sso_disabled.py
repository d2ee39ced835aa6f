"""SSO off (ZI_OIDC_CLIENT_ID empty, the default): its pages answer 404, no button."""

from django.urls import reverse

BUTTON = "Masuk dengan SSO Kemenag"


def test_sso_pages_answer_404_and_the_login_page_has_no_button(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert BUTTON not in client.get(reverse("login")).content.decode()


def test_the_login_page_offers_sso_when_it_is_on(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = "zi-portal"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.id/authorize"
    page = client.get(reverse("login") + "?next=/people/").content.decode()
    assert BUTTON in page
    assert 'href="/oidc/authenticate/?next=/people/"' in page


def test_the_password_form_never_runs_a_code_exchange(client, personas, settings, mocker):
    settings.OIDC_RP_CLIENT_ID = "zi-portal"
    exchange = mocker.patch("mozilla_django_oidc.auth.OIDCAuthenticationBackend.get_token")
    client.post(
        reverse("login") + "?code=stolen&state=x",
        {"username": "nobody@example.id", "password": "salah"},
    )
    exchange.assert_not_called()
