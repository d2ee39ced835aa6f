"""Admins manage people and their roles in the portal."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from units.models import Membership, Role, User
from units.validators import validate_nip


def test_admin_creates_a_person_who_gets_a_link_to_set_a_password(
    client_for, tree, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("units:person_create"),
            {
                "full_name": "Siti Aminah",
                "email": "Siti@Kemenag.go.id",
                "nip": "198501012010012001",
            },
        )
    person = User.objects.get(email="siti@kemenag.go.id")
    assert response.url == reverse("units:person", args=[person.pk])
    assert not person.has_usable_password()
    assert mail.outbox[0].to == ["siti@kemenag.go.id"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_admin_grants_and_revokes_a_role(client_for, tree, personas):
    client = client_for("admin")
    person = personas["outsider"]
    client.post(
        reverse("units:membership_add", args=[person.pk]),
        {"membership-unit_code": "KWB", "membership-role": Role.REVIEWER},
    )
    membership = Membership.objects.get(user=person)
    assert (membership.unit.code, membership.role) == ("KWB", Role.REVIEWER)
    client.post(reverse("units:membership_remove", args=[person.pk, membership.pk]))
    assert not Membership.objects.filter(user=person).exists()


def test_granting_the_same_role_twice_says_so(client_for, personas):
    client = client_for("admin")
    operator = personas["operator"]
    response = client.post(
        reverse("units:membership_add", args=[operator.pk]),
        {"membership-unit_code": "KKA", "membership-role": Role.OPERATOR},
        follow=True,
    )
    assert "sudah memiliki peran ini" in response.content.decode()
    assert operator.memberships.count() == 1


def test_duplicate_email_is_refused_with_a_message(client_for, personas):
    response = client_for("admin").post(
        reverse("units:person_create"),
        {"full_name": "Lagi", "email": "OPERATOR.A@example.id"},
    )
    assert "sudah terdaftar" in response.content.decode()


def test_new_role_changes_what_the_person_sees(client_for, tree, personas, client):
    outsider = personas["outsider"]
    client.force_login(outsider)
    url = reverse("units:detail", args=["KKB"])
    assert client.get(url).status_code == 404
    Membership.objects.create(user=outsider, unit=tree.kanwil_b, role=Role.REVIEWER)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("children", [1, 50])
def test_people_list_query_count_is_constant(client_for, children, django_assert_max_num_queries):
    for i in range(children):
        User.objects.create_user(email=f"p{i}@example.id", full_name=f"P {i}")
    client = client_for("admin")
    client.get(reverse("home"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("units:people"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "nip",
    [
        "12345",
        "19850101201001200X",
        "198513012010012001",
        "198501012010013001",
        "200001011990012001",
    ],
    ids=["short", "letter", "bad-month", "bad-sex-digit", "appointed-before-birth"],
)
def test_invalid_nip_is_refused(nip):
    with pytest.raises(ValidationError):
        validate_nip(nip)


def test_valid_nip_is_accepted():
    validate_nip("198501012010012001")
