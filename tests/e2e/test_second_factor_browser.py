"""Browser: a TPN signs in with their password, is sent to enrol a second factor, types the
secret shown on the page into an "authenticator" (django-otp's TOTP), confirms with its code,
sees ten recovery codes once, and reaches the page they asked for and the home page."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD
from tests.e2e.conftest import NEEDS_BROWSER, expect

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def _app_code(secret: str) -> str:
    """What an authenticator app shows for a secret typed by hand (groups of four)."""
    key = secret.replace(" ", "")
    app = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    app.time = time.time()
    return f"{app.token():06d}"


def test_a_tpn_enrols_a_second_factor_at_first_sign_in(open_browser, step, personas, settings):
    settings.ZI_REQUIRE_SECOND_FACTOR = True
    tpn = open_browser("tpn")
    with step("2fa-01-password-then-enrolment", tpn) as page:
        tpn.goto("/accounts/login/")
        page.fill("input[name=username]", personas["tpn"].email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan faktor kedua")
        expect(page.locator(".qr-code svg")).to_be_visible()
        tpn.assert_clean()
    with step("2fa-02-no-other-page-before-enrolment", tpn) as page:
        tpn.goto("/units/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan faktor kedua")
        tpn.assert_clean()
    with step("2fa-03-confirmed-recovery-codes-shown", tpn) as page:
        secret = page.locator("#totp-secret").inner_text()
        page.fill("input[name=code]", _app_code(secret))
        page.get_by_role("button", name="Konfirmasi").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kode pemulihan")
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        tpn.assert_clean()
    with step("2fa-04-the-page-asked-for-then-home", tpn) as page:
        page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Unit kerja")
        tpn.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
        tpn.assert_clean()
