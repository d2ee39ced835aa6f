"""Browser: "Masuk dengan SSO Kemenag" in Chromium, with the production cookie names
(__Host-, Secure), against the real test provider on loopback (tests/oidc_provider): the
provider's login page, back signed in, then Keluar through the provider's logout."""

import pytest

from tests.e2e.conftest import NEEDS_BROWSER, expect
from tests.oidc_provider import fixtures as _op
from tests.oidc_provider.fixtures import NIP_BUDI, configure_portal, password_of

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]

provider = _op.provider


def test_an_operator_signs_in_and_out_with_sso(open_browser, step, personas, provider, settings):
    configure_portal(settings, provider)
    operator = personas["operator_b"]
    operator.nip = NIP_BUDI
    operator.save()
    person = open_browser("operator_b")
    with step("sso-01-login-page-offers-sso", person) as page:
        person.goto("/accounts/login/")
        page.get_by_role("link", name="Masuk dengan SSO Kemenag").click()
        expect(page.get_by_role("heading", name="SSO test provider")).to_be_visible()
    with step("sso-02-signed-in-by-nip", person) as page:
        page.fill("input[name=username]", "budi")
        page.fill("input[name=password]", password_of("budi"))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
        expect(page.get_by_text(operator.email)).to_be_attached()
        person.assert_clean()
    with step("sso-03-logout-ends-both-sessions", person) as page:
        page.get_by_role("button", name=operator.get_short_name()).click()
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("heading", name="Masuk ke ZI Portal")).to_be_visible()
        page.get_by_role("link", name="Masuk dengan SSO Kemenag").click()
        expect(page.get_by_role("heading", name="SSO test provider")).to_be_visible()
