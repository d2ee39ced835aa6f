"""E-mails are stored lower-cased, also when typed in the Django admin's forms (SSO and the
directory match them exactly)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_full_clean_lower_cases_the_e_mail():
    user = UserFactory(email="budi@example.id")
    user.email = "Budi.Baru@Example.ID"
    user.full_clean(exclude=["password"])
    assert user.email == "budi.baru@example.id"
