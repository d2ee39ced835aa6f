"""A TPN member signing in with SSO still gives the portal's second factor, unless the admin
trusts the provider's MFA claim (ZI_OIDC_TRUST_AMR) and the ID token's `amr` says MFA."""

import pytest

from tests.oidc.conftest import NIP_TPN
from units.models import UserSession

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY = "/akun/faktor-kedua/verifikasi/"
ENROL = "/akun/faktor-kedua/daftar/"


@pytest.fixture
def tpn(personas, settings):
    settings.ZI_REQUIRE_SECOND_FACTOR = True
    user = personas["tpn"]
    user.nip = NIP_TPN
    user.save()
    return user


def _enrolled(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def test_tpn_with_an_app_is_sent_to_the_verify_page(browser, tpn):
    _enrolled(tpn)
    page = browser.sso_sign_in("tpn")
    assert page.url.startswith(f"{browser.portal}{VERIFY}")
    assert browser.get("/").url.startswith(f"{browser.portal}{VERIFY}")


def test_tpn_without_an_app_is_sent_to_enrol(browser, tpn):
    page = browser.sso_sign_in("tpn")
    assert page.url.startswith(f"{browser.portal}{ENROL}")


def test_the_providers_mfa_is_not_trusted_unless_the_admin_says_so(browser, tpn):
    _enrolled(tpn)
    browser.provider.set_claims("tpn", amr=["pwd", "otp"])
    page = browser.sso_sign_in("tpn")
    assert page.url.startswith(f"{browser.portal}{VERIFY}")


def test_trusted_mfa_claim_stands_in_for_the_portals_code(browser, tpn, settings):
    settings.ZI_OIDC_TRUST_AMR = True
    _enrolled(tpn)
    browser.provider.set_claims("tpn", amr=["pwd", "mfa"])
    page = browser.sso_sign_in("tpn")
    assert page.url == f"{browser.portal}/"
    assert tpn.email in page.text
    assert UserSession.objects.filter(user=tpn).count() == 1


def test_trusted_but_a_password_only_amr_still_needs_the_portals_code(browser, tpn, settings):
    settings.ZI_OIDC_TRUST_AMR = True
    _enrolled(tpn)
    page = browser.sso_sign_in("tpn")  # amr ["pwd"]
    assert page.url.startswith(f"{browser.portal}{VERIFY}")


@pytest.mark.parametrize(
    "amr",
    [["otp"], ["swk"], ["pwd", "pin"], ["pwd", "rba", "geo"], "mfa"],
    ids=["one_otp", "one_software_key", "two_things_known", "no_second_factor", "not_a_list"],
)
def test_trusted_but_one_factor_in_amr_still_needs_the_portals_code(browser, tpn, settings, amr):
    settings.ZI_OIDC_TRUST_AMR = True
    _enrolled(tpn)
    browser.provider.set_claims("tpn", amr=amr)
    page = browser.sso_sign_in("tpn")
    assert page.url.startswith(f"{browser.portal}{VERIFY}")


def test_trusted_password_and_otp_in_amr_stand_in_for_the_portals_code(browser, tpn, settings):
    settings.ZI_OIDC_TRUST_AMR = True
    _enrolled(tpn)
    browser.provider.set_claims("tpn", amr=["pwd", "otp"])
    assert browser.sso_sign_in("tpn").url == f"{browser.portal}/"
