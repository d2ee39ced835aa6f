"""An Admin nasional who is not a superuser cannot take over a superuser or a staff account,
nor raise anyone to a role or flag they do not hold.

Finding 4 of the attack pass: such an admin changed a superuser's e-mail on /people/<id>/ and
then used the password reset to get into the Django admin."""

import pytest
from django.core import mail
from django.urls import reverse

from core.errors import UnitsError
from tests.factories import MembershipFactory, UserFactory
from units import services
from units.models import Membership, Role, User

EVIL = "attacker@evil.example"


@pytest.fixture
def plain_admin(client, tree):
    """Admin nasional by role only: no staff, no superuser flag."""
    user = UserFactory(email="admin.biasa@example.id")
    MembershipFactory(user=user, unit=tree.pusat, role=Role.ADMIN)
    client.force_login(user)
    return user


@pytest.fixture
def superuser(personas):
    return personas["admin"]  # staff and superuser


@pytest.fixture
def staff(tree):
    user = UserFactory(email="staf@example.id", is_staff=True)
    MembershipFactory(user=user, unit=tree.pusat, role=Role.TPI)
    return user


def _post_person(client, person, **changes):
    data = {
        "person-full_name": person.full_name,
        "person-email": person.email,
        "person-nip": person.nip,
        "person-is_active": "on" if person.is_active else "",
    }
    data.update({f"person-{name}": value for name, value in changes.items()})
    return client.post(reverse("units:person", args=[person.pk]), data)


@pytest.mark.parametrize("target", ["superuser", "staff"])
@pytest.mark.parametrize("change", [{"email": EVIL}, {"is_active": ""}])
def test_a_plain_admin_cannot_change_a_privileged_account(
    request, client, plain_admin, target, change
):
    person = request.getfixturevalue(target)
    before = User.objects.values().get(pk=person.pk)
    assert _post_person(client, person, **change).status_code == 403
    assert User.objects.values().get(pk=person.pk) == before


def test_the_takeover_by_password_reset_goes_nowhere(client, plain_admin, superuser):
    _post_person(client, superuser, email=EVIL)
    client.logout()
    client.post(reverse("password_reset"), {"email": EVIL})
    assert not [m for m in mail.outbox if EVIL in m.to]


def test_the_privileged_account_page_is_read_only_for_a_plain_admin(client, plain_admin, superuser):
    page = client.get(reverse("units:person", args=[superuser.pk])).content.decode()
    assert "hanya dapat diubah oleh superuser" in page
    assert "membership-unit_code" not in page


def test_a_plain_admin_cannot_change_a_privileged_accounts_roles(client, plain_admin, staff):
    add = reverse("units:membership_add", args=[staff.pk])
    response = client.post(add, {"membership-unit_code": "KWA", "membership-role": Role.ADMIN})
    assert response.status_code == 403
    membership = staff.memberships.get()
    remove = reverse("units:membership_remove", args=[staff.pk, membership.pk])
    assert client.post(remove).status_code == 403
    assert list(staff.memberships.all()) == [membership]


def test_a_plain_admin_cannot_raise_anyone_to_staff(client, plain_admin, personas):
    person = personas["operator"]
    response = _post_person(client, person, is_staff="on")
    assert response.status_code == 302  # the other fields saved; the flag is not offered
    assert not User.objects.get(pk=person.pk).is_staff
    with pytest.raises(UnitsError):
        services.person_update(person=person, by=plain_admin, is_staff=True)
    with pytest.raises(UnitsError):
        services.person_create(email="x@example.id", full_name="X", is_staff=True, by=plain_admin)


def test_a_role_not_held_is_not_granted(personas):
    reviewer = personas["reviewer"]  # holds no right to grant anything but its own role
    with pytest.raises(UnitsError):
        services.membership_grant(
            user=personas["outsider"], unit=reviewer.memberships.get().unit, role=Role.ADMIN,
            by=reviewer,
        )  # fmt: skip
    assert not Membership.objects.filter(user=personas["outsider"]).exists()


def test_a_superuser_still_changes_a_superuser(client_for, personas, tree):
    other = UserFactory(email="root2@example.id", is_staff=True, is_superuser=True)
    client = client_for("admin")
    assert _post_person(client, other, email="root2.baru@example.id").status_code == 302
    assert User.objects.get(pk=other.pk).email == "root2.baru@example.id"


def test_a_plain_admin_still_manages_ordinary_people(client, plain_admin, personas):
    person = personas["operator"]
    assert _post_person(client, person, full_name="Nama Baru").status_code == 302
    assert User.objects.get(pk=person.pk).full_name == "Nama Baru"
