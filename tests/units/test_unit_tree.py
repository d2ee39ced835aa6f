"""The unit tree: subtree and ancestor queries cost one query at any depth; pages stay cheap."""

import pytest
from django.urls import reverse

from core.errors import UnitsError
from tests.factories import UnitFactory
from units.models import Unit, UnitKind
from units.services import unit_create


def _chain(depth: int) -> list[Unit]:
    kinds = [UnitKind.PUSAT, UnitKind.KANWIL, UnitKind.KANKEMENAG, UnitKind.MADRASAH]
    units, parent = [], None
    for kind in kinds[:depth]:
        parent = UnitFactory(
            kind=kind, parent=parent, madrasah_level="MAN" if kind == "madrasah" else ""
        )
        units.append(parent)
    return units


@pytest.mark.parametrize("depth", [1, 4])
def test_subtree_and_ancestors_cost_one_query_whatever_the_depth(
    db, depth, django_assert_max_num_queries
):
    chain = _chain(depth)
    top, bottom = chain[0], chain[-1]
    with django_assert_max_num_queries(1):
        assert len(list(top.descendants())) == depth
    with django_assert_max_num_queries(1):
        assert list(bottom.ancestors()) == chain[:-1]
    with django_assert_max_num_queries(1):
        assert Unit.objects.subtree_of(top).count() == depth


def test_path_prefix_does_not_leak_into_sibling_with_longer_id(db):
    pusat = UnitFactory(kind=UnitKind.PUSAT)
    kanwils = [UnitFactory(kind=UnitKind.KANWIL, parent=pusat) for _ in range(12)]
    # "/1/2/" must not match "/1/12/": the trailing slash keeps prefixes apart.
    first = kanwils[0]
    assert list(first.descendants()) == [first]


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (UnitKind.KANKEMENAG, UnitKind.PUSAT),
        (UnitKind.KANWIL, UnitKind.KANWIL),
        (UnitKind.FAKULTAS, UnitKind.KANWIL),
        (UnitKind.KUA, UnitKind.KANWIL),
    ],
)
def test_kind_not_allowed_under_parent_is_refused(db, kind, parent_kind):
    pusat = UnitFactory(kind=UnitKind.PUSAT)
    parent = pusat if parent_kind == UnitKind.PUSAT else UnitFactory(kind=parent_kind, parent=pusat)
    with pytest.raises(UnitsError, match="tidak boleh berada di bawah"):
        unit_create(code="X1", name="X", kind=kind, parent=parent)
    assert not Unit.objects.filter(code="X1").exists()


def test_only_pusat_may_be_a_root(db):
    with pytest.raises(UnitsError):
        unit_create(code="KW99", name="Kanwil tanpa induk", kind=UnitKind.KANWIL, parent=None)


def _bulk_children(parent: Unit, n: int) -> None:
    rows = [
        Unit(
            code=f"C{parent.pk}-{i}",
            name=f"Kankemenag {i}",
            kind=UnitKind.KANKEMENAG,
            parent=parent,
            path="",
        )
        for i in range(n)
    ]
    Unit.objects.bulk_create(rows)
    for unit in rows:
        unit.path, unit.depth = f"{parent.path}{unit.pk}/", parent.depth + 1
    Unit.objects.bulk_update(rows, ["path", "depth"])


@pytest.mark.parametrize("children", [1, 50])
def test_unit_page_query_count_is_constant(
    client_for, tree, children, django_assert_max_num_queries
):
    _bulk_children(tree.kanwil_a, children)
    client = client_for("reviewer")
    client.get(reverse("home"))  # the first request after login refreshes the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("units:detail", args=[tree.kanwil_a.code]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == children + 1


@pytest.mark.parametrize("children", [1, 50])
def test_unit_search_query_count_is_constant(
    client_for, tree, children, django_assert_max_num_queries
):
    _bulk_children(tree.kanwil_a, children)
    client = client_for("admin")
    client.get(reverse("home"))  # the first request after login refreshes the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("units:list"), {"q": "Kankemenag"})
    assert response.context["page"].paginator.count >= children


def test_search_finds_by_code_and_name_only_within_scope(client_for, tree):
    client = client_for("operator_b")
    by_name = client.get(reverse("units:list"), {"q": "Semarang"})
    assert by_name.context["page"].paginator.count == 0
    by_code = client.get(reverse("units:list"), {"q": "KKB"})
    assert [u.code for u in by_code.context["page"]] == ["KKB"]


def test_breadcrumbs_link_only_ancestors_in_scope(client_for, tree):
    response = client_for("operator").get(reverse("units:detail", args=[tree.madrasah_a.code]))
    crumbs = [(unit.code, allowed) for unit, allowed in response.context["breadcrumbs"]]
    assert crumbs == [("PUSAT", False), ("KWA", False), ("KKA", True)]
