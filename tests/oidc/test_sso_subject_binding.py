"""An account is bound to the provider's identity (iss, sub) at its first SSO sign-in: a NIP
or e-mail claim that later names it from another identity is refused; an admin's reset of the
second factor unbinds it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.oidc.conftest import NIP_BUDI, Browser

pytestmark = pytest.mark.django_db(transaction=True)


def _refused_as_bound(user) -> bool:
    return LogEntry.objects.filter(
        object_pk=str(user.pk),
        additional_data__action="zi.oidc.refused",
        additional_data__reason="bound",
    ).exists()


@pytest.fixture
def budi(personas):
    budi = personas["operator_b"]
    budi.nip = NIP_BUDI
    budi.save()
    return budi


def test_the_first_sign_in_binds_and_later_ones_match_the_identity(browser, budi):
    assert browser.sso_sign_in("budi").url == f"{browser.portal}/"
    budi.refresh_from_db()
    assert budi.sso_subject.startswith(f"{browser.provider.issuer} ")
    # The NIP claim changes at the provider: the identity still finds the account.
    browser.provider.set_claims("budi", nip="199001012015011001")
    browser.http.cookies.clear()
    assert browser.sso_sign_in("budi").url == f"{browser.portal}/"


def test_another_identity_with_the_bound_accounts_nip_is_refused(browser, budi):
    browser.sso_sign_in("budi")
    browser.provider.set_claims("asing", nip=NIP_BUDI)  # someone edits their NIP at the provider
    attacker = Browser(browser.portal, browser.provider)
    page = attacker.sso_sign_in("asing")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "sudah terhubung dengan identitas SSO lain" in page.text
    assert not attacker.signed_in()
    assert _refused_as_bound(budi)


def test_a_recycled_e_mail_does_not_reach_the_bound_account(browser, personas):
    operator = personas["operator"]
    browser.sso_sign_in("sari")  # binds operator.a@example.id to Sari's identity
    browser.provider.set_claims("asing", email="operator.a@example.id", nip=None)
    attacker = Browser(browser.portal, browser.provider)
    assert "identitas SSO lain" in attacker.sso_sign_in("asing").text
    assert not attacker.signed_in()
    assert _refused_as_bound(operator)


def test_an_admins_reset_unbinds_the_account(browser, budi, personas, client):
    browser.sso_sign_in("budi")
    client.force_login(personas["admin"])
    page = client.get(reverse("units:person", args=[budi.pk]))
    assert "Terhubung dengan identitas SSO" in page.content.decode()
    client.post(reverse("second_factor:reset", args=[budi.pk]))
    budi.refresh_from_db()
    assert budi.sso_subject == ""
    browser.provider.set_claims("asing", nip=NIP_BUDI)  # the person's new identity
    newcomer = Browser(browser.portal, browser.provider)
    assert newcomer.sso_sign_in("asing").url == f"{browser.portal}/"
