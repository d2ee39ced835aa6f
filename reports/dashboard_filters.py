"""The dashboard's filters: what the user may choose from (periods, provinces, unit kinds, stages
within their scope) and reading a choice from the query string, bounded to those options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    Q,
)

from assessments.models import Period
from units import permissions as unit_permissions
from units.models import Unit, UnitKind

GROUP_KINDS = (UnitKind.KANWIL, UnitKind.ESELON1)


@dataclass(frozen=True)
class DashboardFilters:
    period: Period | None = None
    province: str = ""
    kind: str = ""  # a UnitKind value, or "" for every kind
    group: Unit | None = None  # a Kanwil or Eselon I unit in scope

    def q(self) -> Q:
        """Every filter but the period (the trend spans all periods), over any model with a
        `unit` (Assessment, PredicateAward)."""
        condition = Q()
        if self.province:
            condition &= Q(unit__province=self.province)
        if self.kind:
            condition &= Q(unit__kind=self.kind)
        if self.group:
            condition &= Q(unit__path__startswith=self.group.path)
        return condition


@dataclass(frozen=True)
class FilterOptions:
    periods: list[Period]  # newest first
    provinces: list[str]
    kinds: list[tuple[str, str]]
    groups: list[Unit]


def filter_options(user) -> FilterOptions:
    """What the user may filter by: every period, the provinces and groups of their scope."""
    scope = unit_permissions.scope_filter(user)
    provinces = (
        Unit.objects.filter(scope)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
    groups = Unit.objects.filter(scope, kind__in=GROUP_KINDS, is_active=True).order_by(
        "kind", "name"
    )
    return FilterOptions(
        periods=list(Period.objects.order_by("-year")),
        provinces=list(provinces),
        kinds=list(UnitKind.choices),
        groups=list(groups),
    )


def default_period(periods: list[Period]) -> Period | None:
    """The latest open period, else the latest one."""
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def parse_filters(params: Mapping[str, str], options: FilterOptions) -> DashboardFilters:
    """Filters from GET parameters; a value outside the options is ignored (not an error: a
    bookmarked dashboard must still open after a period or a group is gone)."""

    def get(name: str) -> str:
        return str(params.get(name, "") or "").strip()

    by_year = {str(p.year): p for p in options.periods}
    groups = {u.code: u for u in options.groups}
    province, kind = get("province"), get("kind")
    return DashboardFilters(
        period=by_year.get(get("period")) or default_period(options.periods),
        province=province if province in options.provinces else "",
        kind=kind if kind in UnitKind.values else "",
        group=groups.get(get("group")),
    )
