"""The lockout counts failures per account, however the login name is typed: in any case,
with spaces, or as the account's NIP (AXES_USERNAME_CALLABLE)."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from units.backends import axes_username

pytestmark = pytest.mark.django_db
NIP = "198001012005011001"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def operator(personas):
    operator = personas["operator"]
    operator.nip = NIP
    operator.save()
    return operator


def test_failures_in_mixed_case_and_by_nip_lock_the_account(client, operator):
    for typed in ("Operator.A@example.id", "OPERATOR.A@EXAMPLE.ID", NIP, " operator.a@example.id"):
        assert _login(client, typed, "salah").status_code == 200
    assert _login(client, "operator.A@Example.id", "salah").status_code == 429
    for typed in ("operator.a@example.id", NIP, "OPERATOR.A@example.id"):
        assert _login(client, typed, PASSWORD).status_code == 429


def test_the_key_of_an_unknown_nip_is_the_nip_itself(rf, operator):
    unknown = "199912312020121001"
    assert axes_username(rf.post("/"), {"username": unknown}) == unknown
    assert axes_username(rf.post("/", {"username": f" {NIP} "})) == "operator.a@example.id"
    assert axes_username(rf.post("/"), {"nonce": "x"}) is None  # the SSO callback
