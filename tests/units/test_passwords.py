"""Passwords that resist the obvious: the shipped list of Indonesian and Kemenag choices, the
person's own words, leetspeak and suffixes undone (units.passwords)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD
from units.passwords import BreachedPasswordValidator, obvious_passwords

ROOT = Path(__file__).resolve().parent.parent.parent


def _refused(password: str, user=None) -> bool:
    try:
        BreachedPasswordValidator().validate(password, user)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    "password",
    [
        "Kemenag2026!",
        "KEMENAG-2026",
        "k3m3n4g@2030",
        "B1sm1ll4h@123",
        "zona-integritas!",
        "ZonaIntegritas2025",
        "Merdeka45!!",
        "wbbm2024!",
        "Madrasah.Hebat.1",
        "adminkemenag123",
        "P@ssw0rdKemenag1",
        "indonesiaraya2026",
        "ZIPortal2026!",
        "199001012015011001!",  # a NIP-like digit run
    ],
)
def test_obvious_choices_of_this_audience_are_refused(password):
    assert _refused(password)


@pytest.mark.parametrize(
    "password",
    ["Demo-ZI-2026!", "Kata-Sandi-Baru-2026", "kemenag tanpa kopi pagi", "Sapu-Lidi-Kuning-7"],
)
def test_passwords_with_an_obvious_word_only_as_a_part_pass(password):
    # The rule is about the whole stem: a phrase that contains "kemenag" is not a guess-list entry.
    assert not _refused(password)


def test_the_persons_own_email_nip_and_unit_are_refused(personas):
    operator = personas["operator"]  # operator.a@example.id, Kankemenag Kota Semarang (KKA)
    operator.nip = "199001012015011001"
    operator.full_name = "Siti Aminah"
    assert _refused("Operator.A-2026!", operator)
    assert _refused("sitiaminah2026!", operator)
    assert _refused("KankemenagKotaSemarang1!", operator)
    assert _refused("kka!2026@#", operator)  # too short a stem as well
    assert not _refused("KankemenagKotaSemarang1!", personas["operator_b"])


def test_the_test_password_is_an_obvious_indonesian_choice_as_a_new_password():
    # "rahasia" is Indonesian for "secret": refused as a new password. The personas' stored
    # password (tests/conftest.py) is set without validators, so logging in with it still works.
    assert _refused(PASSWORD)


def test_error_is_translated_and_shown_on_the_password_change_form(client_for):
    new = "Bismillah2026!"
    response = client_for("operator").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert "terlalu mudah ditebak" in response.content.decode()


def test_a_strong_password_is_accepted_by_every_validator(personas):
    validate_password("Demo-ZI-2026!", personas["operator"])
    validate_password("Sapu-Lidi-Kuning-7", personas["operator"])


def test_the_shipped_list_is_what_the_generator_makes():
    result = subprocess.run(
        [sys.executable, "scripts/build_password_list.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert {"kemenag2026", "bismillah123", "zonaintegritas"} <= obvious_passwords()
