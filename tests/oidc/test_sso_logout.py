"""Logging out of a session begun with SSO ends the portal's and the provider's sessions."""

import pytest

from units.models import UserSession

pytestmark = pytest.mark.django_db(transaction=True)


def test_logout_ends_the_portal_session_and_the_providers(browser, personas):
    operator = personas["operator"]
    assert browser.sso_sign_in("sari").url == f"{browser.portal}/"
    # The session is indexed like a password login's ("Sesi aktif", units/sessions.py).
    assert UserSession.objects.filter(user=operator).count() == 1

    page = browser.log_out()
    # Through the provider's end_session endpoint and back to the portal's login page.
    assert any(step.url.startswith(f"{browser.provider.url}/o/logout/") for step in page.history)
    assert "id_token_hint=" in next(s.url for s in page.history if "/o/logout/" in s.url)
    assert page.url == f"{browser.portal}/accounts/login/"
    assert not browser.signed_in()
    assert not UserSession.objects.filter(user=operator).exists()
    # The provider asks for its password again: its session ended too.
    again = browser.http.get(f"{browser.portal}/oidc/authenticate/", timeout=20)
    assert browser.at_provider_login(again)


def test_without_an_end_session_endpoint_only_the_portal_session_ends(browser, personas, settings):
    settings.ZI_OIDC_END_SESSION_ENDPOINT = ""
    browser.sso_sign_in("sari")
    page = browser.log_out()
    assert page.url == f"{browser.portal}/accounts/login/"
    assert not any(browser.provider.url in step.url for step in page.history)
    assert not browser.signed_in()
    # Still signed in at the provider: SSO signs the person straight back in.
    assert browser.sso_sign_in("sari").url == f"{browser.portal}/"
