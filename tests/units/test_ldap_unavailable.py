"""A directory that is down, hangs or refuses the portal's own account: the login form says
so, within ZI_LDAP_TIMEOUT, and local accounts keep signing in."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.units.ldap_directory import (  # noqa: F401 (fixtures)
    BUDI,
    PEOPLE,
    SEARCH_DN,
    SEARCH_PASSWORD,
    directory_fixture,
    slapd_fixture,
)

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Direktori akun (LDAP) tidak dapat dihubungi"
TIMEOUT = 1.0


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _configure(settings, uri):
    settings.ZI_LDAP_SERVER_URI = uri
    settings.ZI_LDAP_BIND_DN = SEARCH_DN
    settings.ZI_LDAP_BIND_PASSWORD = SEARCH_PASSWORD
    settings.ZI_LDAP_USER_SEARCH_BASE = PEOPLE
    settings.ZI_LDAP_TIMEOUT = TIMEOUT


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: a hung directory."""
    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    listener.close()


def test_directory_down_is_a_clear_error_not_a_500(client, settings, closed_port):
    _configure(settings, f"ldap://127.0.0.1:{closed_port}/")
    UserFactory(email=BUDI.mail)
    started = time.monotonic()
    response = _login(client, BUDI.mail, BUDI.password)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert elapsed < TIMEOUT + 1


def test_hung_directory_gives_up_within_the_timeout(client, settings, silent_server):
    _configure(settings, f"ldap://127.0.0.1:{silent_server}/")
    UserFactory(email=BUDI.mail)
    started = time.monotonic()
    response = _login(client, BUDI.mail, BUDI.password)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert TIMEOUT * 0.8 <= elapsed < TIMEOUT * 2 + 1


def test_local_accounts_sign_in_at_once_while_the_directory_hangs(
    client, settings, silent_server, personas
):
    _configure(settings, f"ldap://127.0.0.1:{silent_server}/")
    started = time.monotonic()
    response = _login(client, "operator.a@example.id", PASSWORD)
    assert response.status_code == 302
    assert time.monotonic() - started < TIMEOUT * 0.8


@pytest.mark.usefixtures("directory")
def test_portal_search_account_refused_by_the_directory_is_reported(client, settings):
    """A wrong ZI_LDAP_BIND_PASSWORD is the office's error, not the person's: say so."""
    settings.ZI_LDAP_BIND_PASSWORD = "not-the-search-password"
    UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, BUDI.password)
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()


@pytest.mark.usefixtures("directory")
def test_wrong_password_is_not_reported_as_an_unavailable_directory(client):
    UserFactory(email=BUDI.mail)
    response = _login(client, BUDI.mail, "bukan-sandinya")
    assert UNAVAILABLE not in response.content.decode()
    assert "Email atau kata sandi salah" in response.content.decode()
