"""Changing a unit (in the Django admin or through units.services.unit_update) moves its
content version on, so its reports are made afresh; only national admins may change units."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.errors import UnitsError
from tests.factories import UserFactory
from units.models import Unit
from units.services import unit_update


def test_renaming_a_unit_moves_its_content_version(tree, personas):
    before = tree.kankemenag_a.content_version

    unit_update(unit=tree.kankemenag_a, by=personas["admin"], name="Kankemenag Kota Semarang II")

    stored = Unit.objects.get(pk=tree.kankemenag_a.pk)
    assert stored.name == "Kankemenag Kota Semarang II"
    assert stored.content_version == before + 1


def test_only_a_national_admin_changes_a_unit(tree, personas):
    with pytest.raises(UnitsError) as error:
        unit_update(unit=tree.kankemenag_a, by=personas["reviewer"], name="X")
    assert error.value.forbidden
    with pytest.raises(UnitsError):
        unit_update(unit=tree.kankemenag_a, by=personas["admin"], code="NEW")  # the import's
    assert Unit.objects.get(pk=tree.kankemenag_a.pk).name != "X"


def test_the_django_admin_changes_a_unit_through_the_service(client, tree):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    unit = tree.kankemenag_a
    url = reverse("admin:units_unit_change", args=[unit.pk])

    response = client.post(
        url,
        {"name": "Kankemenag Semarang", "province": unit.province, "is_active": "on",
         "madrasah_level": unit.madrasah_level},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.name, stored.content_version) == (
        "Kankemenag Semarang",
        unit.content_version + 1,
    )


def test_a_staff_account_without_the_admin_role_cannot_change_units(client, tree):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unit", "change_unit"])
    )
    client.force_login(staff)
    unit = tree.kankemenag_a

    client.post(
        reverse("admin:units_unit_change", args=[unit.pk]),
        {"name": "Diganti", "province": unit.province, "is_active": "on"},
    )

    assert Unit.objects.get(pk=unit.pk).name == unit.name
