"""Read-side queries for units and people, always limited to the acting user's scope."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from units import permissions
from units.models import Membership, Unit, UnitKind, User


def units_visible_to(user) -> QuerySet[Unit]:
    return Unit.objects.filter(permissions.scope_filter(user)).select_related("parent")


def unit_for_user(user, code: str) -> Unit:
    """The unit with `code` if the user may see it; 404 otherwise."""
    return get_object_or_404(units_visible_to(user), code=code)


def with_child_counts(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    children = (
        Unit.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(child_count=Coalesce(Subquery(children), 0))


def unit_roots_for(user) -> QuerySet[Unit]:
    """What the tree browser starts from: the roots of the tree for national users, else the
    user's own scope roots."""
    if permissions.is_national(user):
        qs = Unit.objects.filter(parent__isnull=True)
    else:
        qs = Unit.objects.filter(pk__in=[u.pk for u in permissions.scope_roots(user)])
    return with_child_counts(qs.select_related("parent")).order_by("name")


def unit_children(user, unit: Unit) -> QuerySet[Unit]:
    return with_child_counts(units_visible_to(user).filter(parent=unit)).order_by("name")


def unit_search(user, query: str) -> QuerySet[Unit]:
    query = query.strip()
    return with_child_counts(
        units_visible_to(user).filter(Q(name__icontains=query) | Q(code__iexact=query))
    ).order_by("depth", "name")


def unit_breadcrumbs(user, unit: Unit) -> list[tuple[Unit, bool]]:
    """Ancestors of `unit`, root first, each with whether the user may open it."""
    return [(ancestor, permissions.can_view_unit(user, ancestor)) for ancestor in unit.ancestors()]


def unit_members(unit: Unit) -> QuerySet[Membership]:
    return unit.memberships.select_related("user").order_by("role", "user__full_name")


def people_list(user, query: str = "") -> QuerySet[User]:
    if not permissions.can_manage_people(user):
        return User.objects.none()
    qs = User.objects.prefetch_related("memberships__unit").order_by("full_name")
    if query := query.strip():
        qs = qs.filter(Q(full_name__icontains=query) | Q(email__icontains=query) | Q(nip=query))
    return qs


def person_for_user(user, pk: int) -> User:
    return get_object_or_404(people_list(user), pk=pk)


def unit_counts_by_kind(user) -> list[dict]:
    """Units in the user's scope per kind, for the home page: one query."""
    rows = (
        Unit.objects.filter(permissions.scope_filter(user), is_active=True)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    return [{"label": UnitKind(row["kind"]).label, "n": row["n"]} for row in rows]
