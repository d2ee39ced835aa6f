"""What a half-signed-in session (password given, code not yet) may still reach."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.services import token_create
from tests.units.second_factor_helpers import (  # noqa: F401 (required: a fixture)
    code_for,
    enrol,
    give_code,
    password_login,
    required,
)

pytestmark = pytest.mark.usefixtures("required")
VERIFY = reverse("second_factor:verify")


@pytest.fixture
def half_signed_in(client, personas):
    enrol(personas["tpn"])
    password_login(client, personas["tpn"])
    assert client.get(reverse("home")).url == VERIFY
    return client


def test_public_pages_and_the_language_switch_stay_open(half_signed_in):
    assert half_signed_in.get(reverse("healthz")).status_code in (200, 503)
    assert half_signed_in.get(reverse("password_reset")).status_code == 200
    assert half_signed_in.post(reverse("set_language"), {"language": "en"}).status_code == 302


def test_logging_out_is_allowed_and_ends_the_session(half_signed_in):
    assert half_signed_in.post(reverse("logout")).status_code == 302
    assert half_signed_in.get(reverse("home")).url.startswith(reverse("login"))


def test_the_django_admin_waits_for_the_code_too(half_signed_in, personas):
    personas["tpn"].is_staff = True
    personas["tpn"].save()
    assert half_signed_in.get(reverse("admin:index")).url.startswith(VERIFY)


def test_the_api_with_a_bearer_token_is_not_a_session(half_signed_in, personas):
    tpn = personas["tpn"]
    raw = token_create(user=tpn, name="sinkron", expires_at=None, by=tpn)[1]
    assert half_signed_in.get(reverse("api:units")).status_code == 403
    with_token = half_signed_in.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200
    # A made-up token does not fall back to the half-signed-in session.
    forged = half_signed_in.get(reverse("api:units"), HTTP_AUTHORIZATION="Bearer zi_nope")
    assert forged.status_code == 401


def test_the_code_page_offers_no_menu_of_pages_it_would_refuse(half_signed_in, personas):
    page = half_signed_in.get(VERIFY).content.decode()
    assert "Antrean" not in page and "Keamanan akun" not in page
    assert reverse("logout") in page  # the way out stays

    give_code(half_signed_in, code_for(TOTPDevice.objects.get(user=personas["tpn"])))
    assert "Antrean" in half_signed_in.get(reverse("home")).content.decode()
