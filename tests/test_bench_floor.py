"""The bench's floor (bench/national.py): a bare signed-in view and the bare layout, served only
when ZI_BENCH_FLOOR is on, and still behind the login like every page."""

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


def test_off_by_default():
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor_view")


@pytest.mark.urls("tests.floor_urls")
def test_the_floor_pages_are_signed_in_pages_that_do_nothing_else(client, client_for):
    assert client.get("/bench/floor/ok/").status_code == 302  # to the login page
    operator = client_for("operator")
    bare = operator.get("/bench/floor/ok/")
    assert (bare.status_code, bare.content) == (200, b"ok")
    layout = operator.get("/bench/floor/layout/")
    assert layout.status_code == 200 and b"ZI Portal" in layout.content
