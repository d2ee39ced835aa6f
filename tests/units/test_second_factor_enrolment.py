"""A TPN without a second factor enrols before reaching any page; others may choose to."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.units.second_factor_helpers import (
    audit_codes,
    code_for,
    give_code,
    password_login,
    required,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("required")
ENROL = reverse("second_factor:enrol")


def test_tpn_without_a_device_is_sent_to_enrolment_and_reaches_no_other_page(client, personas):
    response = password_login(client, personas["tpn"])
    assert client.get(response.url).url == ENROL  # the home page the login sends to
    pages = ("home", "units:list", "units:people", "second_factor:security", "api_tokens:tokens")
    for name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(ENROL)
    assert client.get(reverse("api:units")).status_code == 403  # the API with the session
    assert client.post(reverse("second_factor:verify"), {"code": "123456"}).url == ENROL


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(client, personas):
    tpn = personas["tpn"]
    password_login(client, tpn)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=tpn, confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    assert client.get(ENROL).content.decode().count(secret) == 1  # the same secret on reload

    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    shown = client.post(ENROL, {"code": code_for(device)})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown.content.decode())
    assert len(codes) == 10
    stored = StaticToken.objects.filter(device__user=tpn).values_list("token", flat=True)
    assert set(codes) == set(stored)
    assert shown["Cache-Control"].count("no-store")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(ENROL).url == reverse("second_factor:security")  # no second device
    assert "zi.second_factor.enrolled" in audit_codes(tpn)


def test_an_operator_is_not_required_but_may_enrol_and_is_then_asked_at_sign_in(client, personas):
    operator = personas["operator"]
    password_login(client, operator)
    assert client.get(reverse("home")).status_code == 200
    security = client.get(reverse("second_factor:security")).content.decode()
    assert "Daftarkan faktor kedua" in security
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=operator)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 200
    client.post(reverse("logout"))

    password_login(client, operator)
    assert client.get(reverse("home")).url == reverse("second_factor:verify")
    assert give_code(client, code_for(device, steps=1)).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_provider_flag_of_a_future_sso_stands_in_for_the_portals_factor(client, personas):
    client.force_login(personas["tpn"])
    session = client.session
    session["otp_satisfied_by_provider"] = True
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_with_the_requirement_off_a_tpn_without_a_device_signs_in(client, personas, settings):
    settings.ZI_REQUIRE_SECOND_FACTOR = False
    password_login(client, personas["tpn"])
    assert client.get(reverse("home")).status_code == 200
