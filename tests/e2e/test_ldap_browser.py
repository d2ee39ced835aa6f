"""Browser: with the directory on, a Kanwil reviewer types their NIP and directory password into
the login form (which asks for "Email atau NIP"), lands on the home page and opens their unit's
assessment; a TPN with an authenticator app is asked for its code after the directory password."""

import pytest

from assessments.models import Status
from tests.e2e.conftest import NEEDS_BROWSER, expect
from tests.units.ldap_directory import (  # noqa: F401 (fixtures)
    REVIEWER,
    TPN,
    directory_fixture,
    slapd_fixture,
)
from tests.units.second_factor_helpers import enrol

pytestmark = [
    pytest.mark.e2e,
    NEEDS_BROWSER,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("directory"),
]


def _sign_in(page, username, password):
    expect(page.get_by_label("Email atau NIP")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_a_reviewer_signs_in_with_the_directory_by_nip(open_browser, step, personas, assessment):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    reviewer = open_browser("reviewer")
    with step("ldap-01-nip-and-directory-password", reviewer) as page:
        reviewer.goto("/accounts/login/")
        _sign_in(page, REVIEWER.nip, REVIEWER.password)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
        reviewer.assert_clean()
    with step("ldap-02-own-scope", reviewer) as page:
        reviewer.goto(f"/assessments/{assessment.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(assessment.unit.name)
        reviewer.assert_clean()


def test_a_tpn_gives_the_code_after_the_directory_password(open_browser, step, personas, settings):
    settings.ZI_REQUIRE_SECOND_FACTOR = True
    enrol(personas["tpn"])
    tpn = open_browser("tpn")
    with step("ldap-03-tpn-asked-for-the-code", tpn) as page:
        tpn.goto("/accounts/login/")
        _sign_in(page, TPN.mail, TPN.password)
        expect(page.locator("input[name=code]")).to_be_visible()
        assert "/akun/faktor-kedua/verifikasi/" in page.url
        tpn.assert_clean()
