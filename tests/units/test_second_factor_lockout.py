"""Wrong codes: django-otp's doubling wait, the lockout after five, and the rate limit."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.units.second_factor_helpers import (
    audit_codes,
    code_for,
    enrol,
    give_code,
    password_login,
    required,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("required")


def _wrong(device) -> str:
    return "123456" if code_for(device) != "123456" else "654321"


def test_five_wrong_codes_lock_the_second_factor_even_for_the_right_code(client, personas):
    tpn = personas["tpn"]
    device, codes = enrol(tpn)
    password_login(client, tpn)
    for _n in range(3):
        assert give_code(client, _wrong(device)).status_code == 400
    for _n in range(2):  # recovery-code guesses count toward the same limit
        assert give_code(client, "aaaaaaaa").status_code == 400
    locked = give_code(client, code_for(device))
    assert locked.status_code == 400
    assert "Terlalu banyak kode salah" in locked.content.decode()
    assert give_code(client, codes[0]).status_code == 400
    assert client.get(reverse("home")).url == reverse("second_factor:verify")
    assert "zi.second_factor.locked" in audit_codes(tpn)

    # After the cool-off (as django-axes' AXES_COOLOFF_TIME), the right code works.
    earlier = timezone.now() - timedelta(minutes=16)
    TOTPDevice.objects.filter(user=tpn).update(throttling_failure_timestamp=earlier)
    StaticDevice.objects.filter(user=tpn).update(throttling_failure_timestamp=earlier)
    assert give_code(client, code_for(device)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert StaticDevice.objects.get(user=tpn).throttling_failure_count == 0


def test_after_the_cool_off_one_wrong_code_does_not_lock_again(client, personas):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    for _n in range(5):
        give_code(client, _wrong(device))
    earlier = timezone.now() - timedelta(minutes=16)
    TOTPDevice.objects.filter(user=tpn).update(throttling_failure_timestamp=earlier)
    StaticDevice.objects.filter(user=tpn).update(throttling_failure_timestamp=earlier)

    slip = give_code(client, _wrong(device))  # a typo after the wait: wrong, not locked
    assert "Terlalu banyak kode salah" not in slip.content.decode()
    assert give_code(client, code_for(device)).status_code == 302


def test_django_otps_doubling_wait_refuses_a_code_right_after_a_wrong_one(
    client, personas, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    give_code(client, _wrong(device))
    refused = give_code(client, code_for(device))
    assert refused.status_code == 400
    assert "Tunggu beberapa detik" in refused.content.decode()


def test_code_attempts_are_rate_limited_per_account(client, personas, monkeypatch):
    window = SimpleNamespace(time=lambda: 1_800_000_000)  # no test straddles a window
    monkeypatch.setattr("django_ratelimit.core.time", window)
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    statuses = []
    for _n in range(11):
        statuses.append(give_code(client, "abc").status_code)  # not even a code's shape
        StaticDevice.objects.filter(user=tpn).update(throttling_failure_count=0)
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
