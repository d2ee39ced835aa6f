"""Giving the second factor cycles the session key; the session index (units.sessions)
follows the new key at once, so a role change before the next request still ends it."""

import pytest
from django.urls import reverse

from tests.units.second_factor_helpers import (
    code_for,
    enrol,
    give_code,
    password_login,
    required,  # noqa: F401
)
from units import services
from units.models import Membership, UserSession

pytestmark = pytest.mark.usefixtures("required")


def test_the_verified_sessions_new_key_is_indexed_at_once(
    client, personas, django_capture_on_commit_callbacks
):
    tpn = personas["tpn"]
    device, _codes = enrol(tpn)
    password_login(client, tpn)
    key_before = client.session.session_key
    assert give_code(client, code_for(device)).status_code == 302
    key_after = client.session.session_key
    assert key_after != key_before
    keys = set(UserSession.objects.filter(user=tpn).values_list("session_key", flat=True))
    assert keys == {key_after}

    # An admin revokes a role before this browser's next request: the session ends.
    membership = Membership.objects.filter(user=tpn).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_revoke(membership=membership, by=personas["admin"])
    assert not UserSession.objects.filter(user=tpn).exists()
    assert client.get(reverse("home")).url.startswith(reverse("login"))
