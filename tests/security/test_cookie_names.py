"""__Host- cookie names under HTTPS (production settings, as the tests run): the browser keeps
such a cookie only when Secure, with path "/" and no Domain, so a sibling subdomain or a plain
http page cannot plant a session or CSRF cookie. Local http development keeps Django's names."""

from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_settings import _manage


def test_production_names_its_cookies_with_the_host_prefix(client, personas):
    assert settings.SESSION_COOKIE_NAME == "__Host-zi_session"
    assert settings.CSRF_COOKIE_NAME == "__Host-zi_csrf"
    csrf = client.get(reverse("login")).cookies["__Host-zi_csrf"]
    response = client.post(
        reverse("login"), {"username": "operator.a@example.id", "password": PASSWORD}
    )
    session = response.cookies["__Host-zi_session"]
    for cookie in (csrf, session):
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert client.get(reverse("home")).status_code == 200  # the renamed cookie signs in


def test_local_http_development_keeps_the_plain_names():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sessionid csrftoken"
