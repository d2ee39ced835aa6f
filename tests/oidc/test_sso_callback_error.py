"""The provider's error answer (/oidc/callback/?error=...) shows the failure message; it signs
out only a session that started that sign-in (its state), so a link elsewhere cannot log
people out of the portal."""

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_foreign_error_link_does_not_sign_anyone_out(browser, personas):
    assert browser.sso_sign_in("sari").url == f"{browser.portal}/"
    page = browser.get("/oidc/callback/?error=access_denied&state=bogus")
    assert page.status_code == 200
    assert browser.signed_in()
    browser.get("/oidc/callback/?error=access_denied")  # without any state
    assert browser.signed_in()


def test_the_error_of_a_sign_in_this_browser_started_is_shown(browser, personas):
    start = browser.http.get(
        f"{browser.portal}/oidc/authenticate/", allow_redirects=False, timeout=20
    )
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    page = browser.get(f"/oidc/callback/?error=access_denied&state={state}")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "Masuk dengan SSO Kemenag gagal" in page.text
    assert not browser.signed_in()
    # The state is used up: the code for it would no longer be accepted.
    late = browser.get(f"/oidc/callback/?code=x&state={state}")
    assert "Masuk dengan SSO Kemenag gagal" in late.text
