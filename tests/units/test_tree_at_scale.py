"""The unit tree page with the 5,000-unit demo hierarchy stays within 10 queries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from units.models import Unit, User


@pytest.mark.slow
def test_unit_pages_with_5000_units_use_at_most_10_queries(
    client, db, django_assert_max_num_queries
):
    call_command("seed_demo", units=5000, password="Demo-ZI-2026!", verbosity=0)
    assert Unit.objects.count() == 5000
    client.force_login(User.objects.get(email="admin@demo.id"))
    kanwil = Unit.objects.get(code="KW33")
    client.get(reverse("home"))  # the first request after login refreshes the session
    for url, params in [
        (reverse("units:list"), {}),
        (reverse("units:list"), {"q": "Semarang"}),
        (reverse("units:detail", args=[kanwil.code]), {}),
        (reverse("home"), {}),
    ]:
        with django_assert_max_num_queries(10):
            assert client.get(url, params).status_code == 200
