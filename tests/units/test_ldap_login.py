"""Signing in through the login form with a directory password, against a real slapd."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.units.ldap_directory import (  # noqa: F401 (fixtures)
    BARU,
    BUDI,
    SITI,
    directory_fixture,
    slapd_fixture,
)
from units.models import Membership, Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory")]


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in_as(client) -> User | None:
    response = client.get(reverse("home"))
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def test_directory_password_signs_in_the_account_with_that_email(client):
    budi = UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, BUDI.password)
    assert response.status_code == 302 and response.url == reverse("home")
    assert _signed_in_as(client) == budi
    assert client.session["_auth_user_backend"] == "units.ldap.DirectoryBackend"


def test_email_is_matched_in_any_case(client):
    budi = UserFactory(email=BUDI.mail)
    assert _login(client, "Budi@Kemenag.go.id", BUDI.password).status_code == 302
    assert _signed_in_as(client) == budi


def test_account_is_matched_by_nip_before_email(client):
    """Her portal account has another address: the directory's NIP finds it, whether she
    types her NIP or her directory address."""
    siti = UserFactory(email="siti@example.id", nip=SITI.nip)
    UserFactory(email=SITI.mail)  # an older account with her directory address loses to the NIP
    assert _login(client, SITI.nip, SITI.password).status_code == 302
    assert _signed_in_as(client) == siti
    client.logout()
    assert _login(client, SITI.mail, SITI.password).status_code == 302
    assert _signed_in_as(client) == siti


def test_directory_password_is_never_stored(client):
    budi = UserFactory(email=BUDI.mail)
    stored = budi.password
    assert _login(client, BUDI.mail, BUDI.password).status_code == 302
    budi.refresh_from_db()
    assert budi.password == stored and not budi.check_password(BUDI.password)


def test_local_password_still_works_with_the_directory_on(client, personas):
    from tests.conftest import PASSWORD

    assert _login(client, "operator.a@example.id", PASSWORD).status_code == 302
    assert client.session["_auth_user_backend"] == "units.backends.MembershipsBackend"


def test_wrong_directory_password_is_refused(client):
    UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, "bukan-sandinya")
    assert response.status_code == 200
    assert "Email atau kata sandi salah" in response.content.decode()
    assert _signed_in_as(client) is None


def test_wrong_directory_passwords_are_counted_by_axes_and_lock_out(client, settings):
    UserFactory(email=BUDI.mail)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, BUDI.mail, "bukan-sandinya").status_code == 200
    assert AccessAttempt.objects.get(username=BUDI.mail).failures_since_start == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    assert _login(client, BUDI.mail, "bukan-sandinya").status_code == 429
    # Locked: even the right directory password is refused while the lock lasts.
    assert _login(client, BUDI.mail, BUDI.password).status_code == 429
    assert _signed_in_as(client) is None


def test_unknown_person_is_refused_and_no_account_is_made(client):
    response = _login(client, BARU.mail, BARU.password)
    assert response.status_code == 200
    assert "Anda belum terdaftar di ZI Portal" in response.content.decode()
    assert not User.objects.filter(email__iexact=BARU.mail).exists()
    assert _signed_in_as(client) is None


def test_unknown_person_with_a_wrong_password_learns_nothing(client):
    response = _login(client, BARU.mail, "bukan-sandinya")
    assert "Email atau kata sandi salah" in response.content.decode()
    assert "belum terdaftar" not in response.content.decode()


def test_create_users_makes_a_role_less_account_without_a_usable_password(client, settings):
    settings.ZI_LDAP_CREATE_USERS = True
    assert _login(client, BARU.nip, BARU.password).status_code == 302
    made = User.objects.get(email=BARU.mail)
    assert (made.nip, made.full_name) == (BARU.nip, BARU.name)
    assert not made.has_usable_password()
    assert not made.is_staff and not made.is_superuser
    assert not Membership.objects.filter(user=made).exists()
    assert _signed_in_as(client) == made
    entry = LogEntry.objects.get_for_object(made).filter(additional_data__isnull=False).get()
    assert entry.additional_data["action"] == "zi.directory.account_created"
    # The next sign-in finds the account; no second one.
    client.logout()
    assert _login(client, BARU.mail, BARU.password).status_code == 302
    assert User.objects.filter(email=BARU.mail).count() == 1
    # Without a portal password, a reset link is not sent to it (Django's rule).
    client.logout()
    client.post(reverse("password_reset"), {"email": BARU.mail})
    assert mail.outbox == []


def test_inactive_account_is_refused(client):
    UserFactory(email=BUDI.mail, is_active=False)
    assert _login(client, BUDI.mail, BUDI.password).status_code == 200
    assert _signed_in_as(client) is None


def test_service_account_is_refused(client):
    from api.models import ServiceAccount

    account = UserFactory(email=BUDI.mail)
    ServiceAccount.objects.create(user=account, description="Sinkron SIMPEG")
    assert _login(client, BUDI.mail, BUDI.password).status_code == 200
    assert _signed_in_as(client) is None


def test_roles_come_from_the_portal_not_the_directory(client, tree):
    budi = UserFactory(email=BUDI.mail)
    MembershipFactory(user=budi, unit=tree.kankemenag_a, role=Role.OPERATOR)
    assert _login(client, BUDI.mail, BUDI.password).status_code == 302
    user = _signed_in_as(client)
    assert [m.role for m in user._zi_memberships] == [Role.OPERATOR]
    assert not user.is_staff and user.get_all_permissions() == set()


def test_login_form_asks_for_email_or_nip_when_the_directory_is_on(client):
    assert "Email atau NIP" in client.get(reverse("login")).content.decode()


def test_off_when_the_server_is_unset(client, settings):
    """The same person, directory and password: without ZI_LDAP_SERVER_URI it is only a
    wrong local password."""
    settings.ZI_LDAP_SERVER_URI = ""
    UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, BUDI.password)
    assert response.status_code == 200
    assert "Email atau kata sandi salah" in response.content.decode()
    assert "Email atau NIP" not in response.content.decode()


def test_active_directory_filter_finds_people_by_user_principal_name(client, settings):
    """As in README's Active Directory example: userPrincipalName or sAMAccountName."""
    settings.ZI_LDAP_USER_FILTER = (
        "(|(userPrincipalName=%(user)s)(sAMAccountName=%(user)s)(mail=%(user)s))"
    )
    budi = UserFactory(email=BUDI.mail)
    assert _login(client, "budi@kemenag.local", BUDI.password).status_code == 302
    assert _signed_in_as(client) == budi
    client.logout()
    assert _login(client, "budi", BUDI.password).status_code == 302


def test_filter_characters_in_the_username_are_escaped(client):
    """A typed '*' is a literal, not a wildcard that would match everyone."""
    UserFactory(email=BUDI.mail)
    assert _login(client, "*", BUDI.password).status_code == 200
    assert _login(client, "budi*", BUDI.password).status_code == 200


def test_start_tls_with_the_directorys_ca_signs_in(client, settings, slapd):
    settings.ZI_LDAP_START_TLS = True
    settings.ZI_LDAP_CA_FILE = str(slapd.ca_file)
    budi = UserFactory(email=BUDI.mail)
    assert _login(client, BUDI.mail, BUDI.password).status_code == 302
    assert _signed_in_as(client) == budi


def test_start_tls_refuses_a_certificate_from_another_ca(client, settings, slapd):
    settings.ZI_LDAP_START_TLS = True
    settings.ZI_LDAP_CA_FILE = str(slapd.other_ca_file)
    UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, BUDI.password)
    assert response.status_code == 200
    assert "Direktori akun (LDAP) tidak dapat dihubungi" in response.content.decode()
    assert _signed_in_as(client) is None
