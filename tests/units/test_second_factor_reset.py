"""An admin resets a person's second factor; a person turns an optional one off with a code."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.units.second_factor_helpers import (
    audit_codes,
    code_for,
    enrol,
    password_login,
    required,  # noqa: F401
)
from units import second_factor

pytestmark = pytest.mark.usefixtures("required")


def test_admin_resets_a_tpns_second_factor_and_the_tpn_enrols_again(client, personas):
    tpn, admin = personas["tpn"], personas["admin"]
    enrol(tpn)
    client.force_login(admin)
    session = client.session
    session["zi_second_factor"] = "ok"  # the admin has given their own code
    session.save()
    page = client.get(reverse("units:person", args=[tpn.pk])).content.decode()
    assert "Reset faktor kedua" in page

    response = client.post(reverse("second_factor:reset", args=[tpn.pk]))
    assert response.url == reverse("units:person", args=[tpn.pk])
    assert not TOTPDevice.objects.filter(user=tpn).exists()
    assert not StaticDevice.objects.filter(user=tpn).exists()
    assert "zi.second_factor.reset" in audit_codes(tpn)

    client.post(reverse("logout"))
    password_login(client, tpn)
    assert client.get(reverse("home")).url == reverse("second_factor:enrol")


@pytest.mark.parametrize("persona", ["tpn", "operator", "reviewer"])
def test_only_the_admin_resets_a_second_factor(client, personas, persona):
    enrol(personas["tpi"])
    enrol(personas[persona])
    client.force_login(personas[persona])
    session = client.session
    session["zi_second_factor"] = "ok"
    session.save()
    assert client.post(reverse("second_factor:reset", args=[personas["tpi"].pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=personas["tpi"]).exists()


def test_disabling_an_optional_second_factor_needs_a_current_code(client, personas):
    operator = personas["operator"]
    device, _codes = enrol(operator)
    client.force_login(operator)
    session = client.session
    session["zi_second_factor"] = "ok"
    session.save()
    wrong = "123456" if code_for(device) != "123456" else "654321"
    client.post(reverse("second_factor:disable"), {"code": wrong})
    assert TOTPDevice.objects.filter(user=operator).exists()
    client.post(reverse("second_factor:disable"), {"code": code_for(device)})
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert "zi.second_factor.disabled" in audit_codes(operator)


def test_a_tpn_cannot_disable_a_required_second_factor(client, personas):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    client.force_login(tpn)
    session = client.session
    session["zi_second_factor"] = "ok"
    session.save()
    client.post(reverse("second_factor:disable"), {"code": code_for(device)})
    assert TOTPDevice.objects.filter(user=tpn).exists()


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, personas):
    tpn = personas["tpn"]
    device, old = enrol(tpn)
    client.force_login(tpn)
    session = client.session
    session["zi_second_factor"] = "ok"
    session.save()
    url = reverse("second_factor:recovery_codes")
    assert client.post(url, {"code": "zzzzzzzz"}).status_code == 302  # back, nothing made
    assert set(old) == set(
        StaticToken.objects.filter(device__user=tpn).values_list("token", flat=True)
    )
    shown = client.post(url, {"code": code_for(device)}).content.decode()
    new = set(StaticToken.objects.filter(device__user=tpn).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert all(code in shown for code in new)
    assert "zi.second_factor.recovery_renewed" in audit_codes(tpn)


def test_a_reset_signs_out_the_sessions_verified_with_the_old_phone(
    personas, django_capture_on_commit_callbacks
):
    """A lost or stolen phone: whoever holds a session it verified is signed out."""
    from django.test import Client

    tpn = personas["tpn"]
    enrol(tpn)
    theirs = Client()
    theirs.force_login(tpn)
    session = theirs.session
    session["zi_second_factor"] = "ok"
    session.save()
    assert theirs.get(reverse("home")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        second_factor.reset(person=tpn, by=personas["admin"])
    assert theirs.get(reverse("home")).url.startswith(reverse("login"))
    assert "zi.sessions.ended" in audit_codes(tpn)
