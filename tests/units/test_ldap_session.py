"""After a directory sign-in: the second factor still applies, and later requests load the
person with their roles and scope, as after a local sign-in."""

import pytest
from django.urls import reverse

from assessments.models import Status
from tests.units.ldap_directory import (  # noqa: F401 (fixtures)
    REVIEWER,
    TPN,
    directory_fixture,
    slapd_fixture,
)
from tests.units.second_factor_helpers import code_for, enrol, give_code, required  # noqa: F401

pytestmark = pytest.mark.usefixtures("directory")


def _directory_login(client, person):
    return client.post(reverse("login"), {"username": person.mail, "password": person.password})


@pytest.mark.usefixtures("required")
def test_tpn_without_an_app_is_sent_to_enrolment_after_the_directory_password(client, personas):
    response = _directory_login(client, TPN)
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "units.ldap.DirectoryBackend"
    assert client.get(reverse("home")).url == reverse("second_factor:enrol")


@pytest.mark.usefixtures("required")
def test_tpn_with_an_app_must_give_a_code_after_the_directory_password(client, personas):
    device, _codes = enrol(personas["tpn"])
    _directory_login(client, TPN)
    assert client.get(reverse("home")).url == reverse("second_factor:verify")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    assert give_code(client, wrong).status_code == 400  # refused; still half signed in
    assert client.get(reverse("home")).url == reverse("second_factor:verify")
    assert give_code(client, code_for(device)).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_reviewer_signed_in_through_the_directory_sees_their_scope(
    client, personas, assessment, assessment_b
):
    for unit_assessment in (assessment, assessment_b):
        unit_assessment.status = Status.PRELIMINARY_REVIEW
        unit_assessment.save()
    assert _directory_login(client, REVIEWER).status_code == 302
    assert client.session["_auth_user_backend"] == "units.ldap.DirectoryBackend"
    user = client.get(reverse("home")).wsgi_request.user
    assert user == personas["reviewer"] and len(user._zi_memberships) == 1
    own = client.get(reverse("assessments:detail", args=[assessment.pk]))
    other = client.get(reverse("assessments:detail", args=[assessment_b.pk]))
    assert (own.status_code, other.status_code) == (200, 404)


def test_a_role_revoked_after_a_directory_sign_in_acts_on_the_next_request(
    client, personas, assessment
):
    from units.services import membership_revoke

    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    _directory_login(client, REVIEWER)
    url = reverse("assessments:detail", args=[assessment.pk])
    assert client.get(url).status_code == 200
    membership_revoke(membership=personas["reviewer"].memberships.get())
    assert client.get(url).status_code in (302, 404)


def test_the_sessions_user_is_loaded_with_memberships_in_one_query(
    personas, django_assert_num_queries
):
    """What django.contrib.auth calls on each request for a session this backend signed in."""
    from django.contrib.auth import load_backend

    backend = load_backend("units.ldap.DirectoryBackend")
    with django_assert_num_queries(1):
        user = backend.get_user(personas["reviewer"].pk)
        assert [m.unit.code for m in user._zi_memberships] == ["KWA"]


def test_an_account_made_inactive_is_signed_out_on_the_next_request(client, personas):
    from units.models import User

    _directory_login(client, REVIEWER)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=personas["reviewer"].pk).update(is_active=False)
    assert client.get(reverse("home")).url.startswith(reverse("login"))
