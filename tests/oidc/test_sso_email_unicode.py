"""An e-mail claim that is not plain ASCII never matches an account: on PostgreSQL a
case-insensitive comparison folds the dotless ı to I, so "operator.a@example.ıd" would find
"operator.a@example.id". Run with DATABASE_URL=postgres://... to see that folding."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "claimed",
    ["operator.a@example.\u0131d", "operator.a@exa\u212ample.id"],
    ids=["dotless_i", "kelvin_sign"],
)
def test_a_non_ascii_e_mail_claim_matches_no_one(browser, personas, claimed):
    browser.provider.set_claims("sari", email=claimed)
    page = browser.sso_sign_in("sari")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "belum terdaftar" in page.text
    assert not browser.signed_in()


def test_a_non_ascii_e_mail_claim_creates_no_account(browser, personas, settings):
    from units.models import User

    settings.ZI_OIDC_CREATE_USERS = True
    browser.provider.set_claims("asing", email="orang.asing@example.\u0131d")
    browser.sso_sign_in("asing")
    assert not browser.signed_in()
    assert not User.objects.filter(full_name="Orang Asing").exists()
