"""Signing in with SSO Kemenag against the real provider: who is matched, who is refused."""

import pytest
from auditlog.models import LogEntry

from tests.oidc.conftest import NIP_BUDI
from units.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=True)


def _audited(action: str, user) -> bool:
    return LogEntry.objects.filter(object_pk=str(user.pk), additional_data__action=action).exists()


def test_a_person_is_signed_in_by_their_nip_claim(browser, personas):
    budi = personas["operator_b"]
    budi.nip = NIP_BUDI  # the portal knows Budi under another e-mail than the provider's
    budi.save()
    page = browser.sso_sign_in("budi")
    assert page.url == f"{browser.portal}/"
    assert budi.email in page.text
    assert browser.signed_in()
    # A new session key at sign-in (no fixation of the key that carried the state).
    assert browser.session_before
    assert browser.http.cookies.get("zi_session") != browser.session_before
    assert _audited("zi.oidc.signed_in", budi)
    name = budi.full_name
    budi.refresh_from_db()
    # The portal's data is not overwritten by the claims (e-mail, name).
    assert (budi.email, budi.full_name) == ("operator.b@example.id", name)


def test_a_person_is_signed_in_by_their_verified_e_mail_in_any_case(browser, personas):
    page = browser.sso_sign_in("sari")  # the provider sends Operator.A@Example.id
    assert page.url == f"{browser.portal}/"
    assert "operator.a@example.id" in page.text


def test_an_unverified_e_mail_does_not_match(browser, personas):
    browser.provider.set_claims("sari", email_verified=False)
    page = browser.sso_sign_in("sari")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "belum terdaftar di ZI Portal" in page.text
    assert not browser.signed_in()


def test_an_unknown_person_is_refused_with_a_message_and_no_session(browser, personas):
    users = User.objects.count()
    page = browser.sso_sign_in("asing")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "Akun Anda belum terdaftar di ZI Portal" in page.text
    assert "minta admin unit Anda" in page.text
    assert not browser.signed_in()
    assert User.objects.count() == users


def test_an_inactive_account_is_refused(browser, personas):
    operator = personas["operator"]
    operator.is_active = False
    operator.save()
    page = browser.sso_sign_in("sari")
    assert "tidak aktif" in page.text
    assert not browser.signed_in()
    assert _audited("zi.oidc.refused", operator)


def test_a_service_account_never_signs_in_with_sso(browser, personas):
    from api.models import ServiceAccount

    operator = personas["operator"]
    ServiceAccount.objects.create(user=operator, created_by=personas["admin"])
    page = browser.sso_sign_in("sari")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "tidak aktif" in page.text
    assert not browser.signed_in()


def test_creating_accounts_makes_one_without_any_role_or_password(browser, personas, settings):
    settings.ZI_OIDC_CREATE_USERS = True
    page = browser.sso_sign_in("asing")
    assert page.url == f"{browser.portal}/"
    created = User.objects.get(email="orang.asing@example.id")
    assert created.full_name == "Orang Asing"
    assert created.nip == "199912312020121001"
    assert not created.has_usable_password()
    assert not Membership.objects.filter(user=created).exists()
    assert not created.is_staff and not created.is_superuser
    assert _audited("zi.oidc.account_created", created)


def test_refusals_do_not_lock_the_address_out_like_password_guesses(browser, personas):
    from axes.models import AccessAttempt

    from tests.oidc.conftest import Browser

    for _ in range(6):  # past AXES_FAILURE_LIMIT
        assert "belum terdaftar" in browser.sso_sign_in("asing").text
    assert not AccessAttempt.objects.exists()
    colleague = Browser(browser.portal, browser.provider)  # the same office address
    assert colleague.sso_sign_in("sari").url == f"{browser.portal}/"


def test_an_id_token_from_another_issuer_is_refused(browser, personas, settings):
    settings.ZI_OIDC_ISSUER = "https://sso.lain.example.id"
    page = browser.sso_sign_in("sari")
    assert page.url == f"{browser.portal}/accounts/login/"
    assert "Masuk dengan SSO Kemenag gagal" in page.text
    assert not browser.signed_in()


def test_a_callback_replayed_in_another_browser_signs_no_one_in(browser, personas):
    from tests.oidc.conftest import Browser

    page = browser.sso_sign_in("sari")
    callback = next(step.url for step in page.history if "/oidc/callback/" in step.url)
    attacker = Browser(browser.portal, browser.provider)
    replay = attacker.http.get(callback, timeout=20)
    assert replay.url == f"{browser.portal}/accounts/login/"
    assert not attacker.signed_in()


def test_sign_in_returns_to_the_page_asked_for_and_never_off_site(browser, personas):
    browser.sso_sign_in("sari", next_url="/akun/sesi/")
    assert browser.last.url == f"{browser.portal}/akun/sesi/"
    browser.http.cookies.clear()
    browser.sso_sign_in("sari", next_url="https://jahat.example.id/")
    assert browser.last.url == f"{browser.portal}/"


def test_an_e_mail_match_with_another_nip_in_the_portal_is_refused(browser, personas):
    operator = personas["operator"]
    operator.nip = "198001012005011001"
    operator.save()
    browser.provider.set_claims("sari", nip="198001012005011002")  # the same e-mail, not the NIP
    page = browser.sso_sign_in("sari")
    assert "NIP berbeda" in page.text
    assert not browser.signed_in()
    assert _audited("zi.oidc.refused", operator)
