"""The directory sign-in's configuration checks (`manage.py check`, `check --deploy`)."""

import pytest

from units import ldap


@pytest.fixture
def configured(settings):
    settings.ZI_LDAP_SERVER_URI = "ldap://dc1.kemenag.local"
    settings.ZI_LDAP_USER_SEARCH_BASE = "ou=people,dc=kemenag,dc=local"
    settings.ZI_LDAP_START_TLS = False
    return settings


def test_nothing_to_say_while_off(settings):
    settings.ZI_LDAP_SERVER_URI = ""
    assert ldap.check_directory_settings(None) == [] and ldap.check_directory_tls(None) == []


def test_a_server_without_a_search_base_is_an_error(configured):
    configured.ZI_LDAP_USER_SEARCH_BASE = ""
    assert [e.id for e in ldap.check_directory_settings(None)] == ["zi_portal.E021"]


@pytest.mark.parametrize(
    ("uri", "start_tls", "warned"),
    [
        ("ldap://dc1.kemenag.local", False, True),
        ("ldaps://dc1.kemenag.local ldap://dc2.kemenag.local", False, True),
        ("ldap://dc1.kemenag.local", True, False),
        ("ldaps://dc1.kemenag.local:636 ldaps://dc2.kemenag.local", False, False),
        ("ldap://127.0.0.1:3389/", False, False),
    ],
)
def test_passwords_in_clear_over_the_network_are_a_deploy_warning(
    configured, uri, start_tls, warned
):
    configured.ZI_LDAP_SERVER_URI = uri
    configured.ZI_LDAP_START_TLS = start_tls
    assert bool(ldap.check_directory_tls(None)) is warned


def test_defaults_are_off_and_match_the_readme(settings):
    assert settings.ZI_LDAP_SERVER_URI == ""  # the test environment sets none
    assert settings.ZI_LDAP_USER_FILTER == "(|(mail=%(user)s)(employeeNumber=%(user)s))"
    assert (settings.ZI_LDAP_NIP_ATTR, settings.ZI_LDAP_EMAIL_ATTR) == ("employeeNumber", "mail")
    assert settings.ZI_LDAP_CREATE_USERS is False and settings.ZI_LDAP_TIMEOUT == 5
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    backends = settings.AUTHENTICATION_BACKENDS
    assert backends.index("units.backends.MembershipsBackend") < backends.index(
        "units.ldap.DirectoryBackend"
    )
