"""One pagination helper for every list (core.pagination.page_of): the first page of a list
that fits on it costs one query, no COUNT; longer lists page as Django's Paginator does."""

import pytest

from core.pagination import page_of
from tests.factories import UnitFactory
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _units(n):
    root = UnitFactory(code="ROOT", kind=UnitKind.PUSAT)
    for i in range(n):
        UnitFactory(code=f"U{i:03}", kind=UnitKind.KANWIL, parent=root)
    return Unit.objects.filter(parent=root).order_by("code")


@pytest.mark.parametrize("number", [None, "", "1", "abc", " 1 "])
def test_a_list_that_fits_on_the_first_page_is_read_in_one_query(number, django_assert_num_queries):
    units = _units(3)
    with django_assert_num_queries(1):
        page = page_of(units, number, per_page=5)
        assert [u.code for u in page] == ["U000", "U001", "U002"]
        assert (page.paginator.count, page.has_other_pages()) == (3, False)


def test_a_longer_list_counts_and_pages(django_assert_num_queries):
    units = _units(7)
    with django_assert_num_queries(2):
        first = page_of(units, "1", per_page=5)
        assert len(first) == 5 and first.paginator.num_pages == 2 and first.has_next()
    last = page_of(units, "2", per_page=5)
    assert [u.code for u in last] == ["U005", "U006"]
    assert page_of(units, "99", per_page=5).number == 2  # past the end: the last page


def test_an_empty_list_has_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(Unit.objects.filter(pk=-1), None)
        assert list(page) == [] and page.paginator.count == 0
