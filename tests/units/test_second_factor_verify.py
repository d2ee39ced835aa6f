"""Signing in with a second factor: wrong, right, replayed and recovery codes."""

import pytest
from django.urls import reverse

from tests.units.second_factor_helpers import (
    audit_codes,
    code_for,
    enrol,
    give_code,
    password_login,
    required,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("required")
VERIFY = reverse("second_factor:verify")


def _other_than(code: str) -> str:
    return "123456" if code != "123456" else "654321"


def test_tpn_with_a_device_gives_a_code_before_any_page(client, personas):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    assert client.get(reverse("units:list")).url == VERIFY + "?next=%2Funits%2F"

    wrong = give_code(client, _other_than(code_for(device)), next="/units/")
    assert wrong.status_code == 400
    assert "Kode salah" in wrong.content.decode()
    assert client.get(reverse("home")).url == VERIFY

    key_before = client.session.session_key
    right = give_code(client, code_for(device), next="/units/")
    assert right.status_code == 302 and right.url == "/units/"
    assert client.session.session_key != key_before  # a new key once fully signed in
    assert client.get(reverse("units:list")).status_code == 200


def test_a_code_already_used_is_refused_in_a_new_session(client, personas, django_user_model):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    code = code_for(device)
    password_login(client, tpn)
    assert give_code(client, code).status_code == 302

    client.post(reverse("logout"))
    password_login(client, tpn)
    replayed = give_code(client, code)
    assert replayed.status_code == 400
    assert client.get(reverse("home")).url == VERIFY
    device.refresh_from_db()
    assert device.last_t >= 0  # django-otp remembers the time step it accepted


def test_a_recovery_code_works_once(client, personas):
    tpn = personas["tpn"]
    _device, codes = enrol(tpn)
    password_login(client, tpn)
    used = give_code(client, codes[0].upper())  # as typed from a printout
    assert used.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert "zi.second_factor.recovery_used" in audit_codes(tpn)

    client.post(reverse("logout"))
    password_login(client, tpn)
    again = give_code(client, codes[0])
    assert again.status_code == 400
    assert client.get(reverse("home")).url == VERIFY
    assert give_code(client, codes[1]).status_code == 302


def test_an_offsite_next_address_is_not_followed(client, personas):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    assert give_code(client, code_for(device), next="https://evil.example/").url == "/"
