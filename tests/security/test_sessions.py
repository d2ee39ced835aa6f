"""Sessions: a new key at login, a real logout, the idle and absolute limits, no browser
caching of signed-in pages, and the cookie flags."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def _login(client):
    return client.post(
        reverse("login"), {"username": "operator.a@example.id", "password": PASSWORD}
    )


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _with_cookie(key: str) -> Client:
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = key
    return stranger


def _is_signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_login_gives_a_new_session_key_so_a_planted_one_is_worthless(client, personas):
    # An attacker plants a session they hold (e.g. via a shared kiosk browser) before the victim
    # logs in on it.
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert _login(client).status_code == 302
    assert _session_key(client) != planted.session_key
    assert not SessionStore().exists(planted.session_key)
    assert not _is_signed_in(_with_cookie(planted.session_key))
    assert _is_signed_in(client)


def test_a_session_key_made_up_by_the_client_is_never_adopted(client, personas):
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    _login(client)
    assert _session_key(client) != "a" * 32
    assert not Session.objects.filter(session_key="a" * 32).exists()


def test_logout_by_get_is_refused(client_for):
    client = client_for("operator")
    assert client.get(reverse("logout")).status_code == 405
    assert _is_signed_in(client)


def test_after_logout_the_old_session_cookie_no_longer_signs_in(client, personas):
    _login(client)
    old_key = _session_key(client)
    assert _is_signed_in(_with_cookie(old_key))
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = _with_cookie(old_key).get(reverse("home"))
    assert replay.status_code == 302 and replay.url.startswith(reverse("login"))


def test_a_session_idle_past_its_limit_is_over(client, personas):
    _login(client)
    client.get(reverse("home"))
    stored = Session.objects.get(session_key=_session_key(client))
    # The expiry is pushed forward only by activity (units.middleware.IdleSessionMiddleware):
    # a session last used 8 hours and a second ago expired a second ago.
    assert stored.expire_date > timezone.now() + timedelta(hours=7, minutes=55)
    stored.expire_date = timezone.now() - timedelta(seconds=1)
    stored.save()
    # Sessions are cached (cached_db) with the same expiry, so that copy lapses at this moment too.
    cache.delete(SessionStore(session_key=stored.session_key).cache_key)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_ends_twelve_hours_after_login_however_active(client, personas):
    _login(client)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_started"] -= 12 * 60 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # logged out, not just redirected once


def test_signed_in_pages_are_not_stored_by_the_browser(client, personas):
    _login(client)
    cache_control = client.get(reverse("home"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_session_and_csrf_cookies_are_httponly_secure_and_same_site(client, personas):
    # The tests run on the production settings (debug off).
    page = client.get(reverse("login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = _login(client)
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 8 * 60 * 60


def test_login_does_not_say_whether_an_account_exists(client, personas):
    unknown = client.post(
        reverse("login"), {"username": "tidak.ada@example.id", "password": "salah-sekali"}
    )
    wrong = client.post(
        reverse("login"), {"username": "operator.a@example.id", "password": "salah-sekali"}
    )
    assert unknown.status_code == wrong.status_code == 200
    assert "Email atau kata sandi salah" in unknown.content.decode()
    assert "Email atau kata sandi salah" in wrong.content.decode()


def test_password_reset_does_not_say_whether_an_account_exists(client, personas):
    unknown = client.post(reverse("password_reset"), {"email": "tidak.ada@example.id"})
    known = client.post(reverse("password_reset"), {"email": "operator.a@example.id"})
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == reverse("password_reset_done")
