"""A directory entry is tied to a portal account only when nothing contradicts it: its NIP
held by one entry alone, and an account found by e-mail holding no other NIP (real slapd)."""

import ldap
import ldap.modlist
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import UserFactory
from tests.units.ldap_directory import (  # noqa: F401 (fixtures)
    ADMIN_DN,
    ADMIN_PASSWORD,
    BARU,
    BUDI,
    PEOPLE,
    directory_fixture,
    slapd_fixture,
    ssha,
)
from units.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory")]
CONFLICT = "tidak cocok dengan akun ZI Portal"


@pytest.fixture
def add_entry(slapd):
    """Adds entries as the directory's admin for one test; removes them afterwards."""
    admin = ldap.initialize(slapd.uri)
    admin.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
    added = []

    def add(uid: str, password: str, **attrs: str) -> str:
        dn = f"uid={uid},{PEOPLE}"
        entry = {
            "objectClass": [b"inetOrgPerson"],
            "uid": [uid.encode()],
            "cn": [uid.encode()],
            "sn": [uid.encode()],
            "userPassword": [ssha(password).encode()],
            **{name: [value.encode()] for name, value in attrs.items()},
        }
        admin.add_s(dn, ldap.modlist.addModlist(entry))
        added.append(dn)
        return dn

    yield add
    for dn in added:
        admin.delete_s(dn)
    admin.unbind_s()


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(client) -> bool:
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


def _refused(user, reason) -> bool:
    return LogEntry.objects.filter(
        object_pk=str(user.pk),
        additional_data__action="zi.directory.refused",
        additional_data__reason=reason,
    ).exists()


def test_an_e_mail_match_to_an_account_with_another_nip_is_refused(client):
    # Baru's entry has his NIP, unknown to the portal; the account with his address has another.
    holder = UserFactory(email=BARU.mail, nip="198811112012121001")
    response = _login(client, BARU.mail, BARU.password)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert not _signed_in(client)
    assert _refused(holder, "nip_differs")


def test_an_entry_without_nip_does_not_reach_an_account_that_has_one(client, add_entry):
    holder = UserFactory(email="pegawai.lama@kemenag.go.id", nip="198811112012121001")
    add_entry("penerus", "Dir-Penerus-1!", mail="pegawai.lama@kemenag.go.id")  # recycled address
    response = _login(client, "pegawai.lama@kemenag.go.id", "Dir-Penerus-1!")
    assert CONFLICT in response.content.decode()
    assert not _signed_in(client)
    assert _refused(holder, "nip_differs")


def test_an_entry_without_nip_still_signs_in_an_account_without_one(client, add_entry):
    account = UserFactory(email="honorer@kemenag.go.id", nip="")
    add_entry("honorer", "Dir-Honorer-1!", mail="honorer@kemenag.go.id")
    assert _login(client, "honorer@kemenag.go.id", "Dir-Honorer-1!").status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == account


def test_a_second_entry_with_someones_nip_maps_to_no_one(client, add_entry):
    budi = UserFactory(email="budi.portal@example.id", nip=BUDI.nip)
    # Someone who can write their own employeeNumber copies Budi's.
    add_entry("peniru", "Dir-Peniru-1!", mail="peniru@kemenag.go.id", employeeNumber=BUDI.nip)
    response = _login(client, "peniru@kemenag.go.id", "Dir-Peniru-1!")
    assert CONFLICT in response.content.decode()
    assert not _signed_in(client)
    # While the duplicate exists, Budi's own entry is refused too (the directory must be fixed).
    assert CONFLICT in _login(client, BUDI.mail, BUDI.password).content.decode()
    assert not User.objects.filter(email="peniru@kemenag.go.id").exists()
    assert budi.is_active


def test_a_nip_with_filter_characters_is_never_searched_raw(client, add_entry, settings):
    # Only 18-digit NIPs are searched at all; an entry with "*" is treated as without NIP.
    account = UserFactory(email="bintang@kemenag.go.id", nip="")
    add_entry("bintang", "Dir-Bintang-1!", mail="bintang@kemenag.go.id", employeeNumber="*")
    assert _login(client, "bintang@kemenag.go.id", "Dir-Bintang-1!").status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == account


def test_a_non_ascii_e_mail_attribute_matches_no_one(client, add_entry, settings):
    # Active Directory's mail is a Unicode string (OpenLDAP's is IA5): displayName stands in.
    settings.ZI_LDAP_EMAIL_ATTR = "displayName"
    settings.ZI_LDAP_USER_FILTER = "(uid=%(user)s)"
    UserFactory(email="honorer@kemenag.go.id", nip="")
    add_entry("mirip", "Dir-Mirip-1!", displayName="honorer@kemenag.go.\u0131d")
    response = _login(client, "mirip", "Dir-Mirip-1!")
    assert "belum terdaftar di ZI Portal" in response.content.decode()
    assert not _signed_in(client)


def test_an_e_mail_attribute_in_capitals_still_matches(client, add_entry, settings):
    settings.ZI_LDAP_EMAIL_ATTR = "displayName"
    settings.ZI_LDAP_USER_FILTER = "(uid=%(user)s)"
    account = UserFactory(email="honorer@kemenag.go.id", nip="")
    add_entry("kapital", "Dir-Kapital-1!", displayName="Honorer@Kemenag.GO.id")
    assert _login(client, "kapital", "Dir-Kapital-1!").status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == account
