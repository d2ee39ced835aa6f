"""Shared by the second factor's test modules: the requirement on, a device with a known
secret, and the code an authenticator app would show for it."""

import time

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from units import second_factor


@pytest.fixture
def required(settings):
    """Production's setting, and django-otp's doubling wait off (its own test turns it on)."""
    settings.ZI_REQUIRE_SECOND_FACTOR = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed app and ten recovery codes, as the enrolment page leaves them."""
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return device, second_factor.recovery_codes_generate(user=user)


def code_for(device: TOTPDevice, steps: int = 0) -> str:
    """What the app shows now (or `steps` periods later)."""
    device.refresh_from_db()
    app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    app.time = time.time() + steps * device.step
    return f"{app.token():06d}"


def password_login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def give_code(client, code, **extra):
    return client.post(reverse("second_factor:verify"), {"code": code, **extra})


def audit_codes(user) -> list[str]:
    entries = LogEntry.objects.get_for_object(user).order_by("pk")
    return [e.additional_data.get("action") for e in entries if e.additional_data]
