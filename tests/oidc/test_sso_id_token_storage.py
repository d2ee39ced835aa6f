"""The ID token (the logout's id_token_hint) is kept only in a session an SSO sign-in signed
in: a refused SSO attempt leaves none behind for a later password login to send."""

import re
from importlib import import_module

import pytest
from django.conf import settings as django_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _session(browser) -> dict:
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    return dict(store(session_key=browser.http.cookies.get("zi_session")).load())


def _password_login(browser, email: str):
    form = browser.get("/accounts/login/")
    return browser.http.post(
        f"{browser.portal}/accounts/login/",
        data={
            "csrfmiddlewaretoken": _CSRF.search(form.text).group(1),
            "username": email,
            "password": PASSWORD,
        },
        headers={"Referer": f"{browser.portal}/accounts/login/"},
        timeout=20,
    )


def test_an_sso_sign_in_keeps_the_id_token(browser, personas):
    assert browser.sso_sign_in("sari").url == f"{browser.portal}/"
    assert _session(browser).get("oidc_id_token")


def test_a_refused_sso_attempt_leaves_no_id_token_for_a_password_login(browser, personas):
    assert "belum terdaftar" in browser.sso_sign_in("asing").text
    assert "oidc_id_token" not in _session(browser)
    assert _password_login(browser, "operator.a@example.id").url == f"{browser.portal}/"
    assert browser.signed_in()
    assert "oidc_id_token" not in _session(browser)
    page = browser.log_out()
    assert not any("/o/logout/" in step.url for step in page.history)
    assert page.url == f"{browser.portal}/accounts/login/"


def test_a_password_login_after_an_sso_session_drops_its_id_token(browser, personas):
    assert browser.sso_sign_in("sari").url == f"{browser.portal}/"
    # Someone else signs in with a password in the same browser without logging out first.
    assert _password_login(browser, "operator.b@example.id").status_code == 200
    assert "oidc_id_token" not in _session(browser)
