"""An ID token that does not verify (a provider's clock far off, an expired token, a header
without `kid`) refuses the sign-in with the failure message, never a server error; a clock a
few seconds off is tolerated (60 s leeway)."""

import jwt
import pytest
from django.core.exceptions import SuspiciousOperation

from units.oidc import PortalOIDCBackend

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_provider_clock_a_few_seconds_ahead_is_accepted(browser, personas):
    browser.provider.set_clock(5)
    page = browser.sso_sign_in("sari")
    assert page.url == f"{browser.portal}/"
    assert browser.signed_in()


@pytest.mark.parametrize("offset", [600, -40_000], ids=["issued_in_the_future", "expired"])
def test_an_id_token_outside_the_leeway_is_refused_cleanly(browser, personas, offset):
    browser.provider.set_clock(offset)  # -40000 s: past the provider's 10-hour token lifetime
    page = browser.sso_sign_in("sari")
    assert page.status_code == 200
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "Masuk dengan SSO Kemenag gagal" in page.text
    assert not browser.signed_in()


def test_a_token_without_kid_or_not_a_jwt_is_a_suspicious_operation(rf, settings, sso):
    backend = PortalOIDCBackend()
    backend.request = rf.get("/")
    without_kid = jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256")
    for token in (without_kid, "not-a-jwt", None):
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(token, nonce="n")
