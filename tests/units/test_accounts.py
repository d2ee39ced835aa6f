"""Login, lockout, password reset and the idle session."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from units.sessions import REFRESH_EVERY_SECONDS


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_by_email_in_any_case(client, personas):
    response = _login(client, "OPERATOR.A@example.id", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_wrong_password_gets_a_translated_error(client, personas):
    response = _login(client, "operator.a@example.id", "salah")
    assert response.status_code == 200
    assert "Email atau kata sandi salah" in response.content.decode()


def test_five_failures_lock_the_account_for_this_address_with_a_clear_message(client, personas):
    for _ in range(4):
        assert _login(client, "operator.a@example.id", "salah").status_code == 200
    locked = _login(client, "operator.a@example.id", "salah")
    assert locked.status_code == 429
    assert "dikunci selama 15 menit" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert _login(client, "operator.a@example.id", PASSWORD).status_code == 429


def test_lockout_is_per_username_so_colleagues_can_still_log_in(client, personas):
    for _ in range(5):
        _login(client, "operator.a@example.id", "salah")
    assert _login(client, "pimpinan.a@example.id", PASSWORD).status_code == 302


def test_password_reset_by_email_lets_the_person_choose_a_new_password(client, personas):
    client.post(reverse("password_reset"), {"email": "operator.a@example.id"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "Kata-Sandi-Baru-2026"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert _login(client, "operator.a@example.id", new).status_code == 302


def test_password_validators_refuse_a_weak_password(client_for):
    client = client_for("operator")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "terlalu pendek" in response.content.decode()


@pytest.mark.parametrize("idle_seconds", [REFRESH_EVERY_SECONDS + 1])
def test_activity_pushes_the_session_expiry_forward(client_for, idle_seconds, settings):
    client = client_for("operator")
    client.get(reverse("home"))
    session = client.session
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert session.get_expiry_age() == 8 * 3600
    touched = session["_touched"]
    session["_touched"] = touched - idle_seconds
    session.save()
    client.get(reverse("home"))
    assert client.session["_touched"] >= touched


def test_logout_ends_the_session(client_for):
    client = client_for("operator")
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
