"""What waits for whom: each role's work queue, with progress, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from areas.models import Question
from assessments.models import Answer, Assessment, Layer, Status
from assessments.selectors import assessments_visible_to
from units import permissions as unit_permissions
from units.models import Role, Unit, UnitKind

# The statuses in which each role has to act.
WAITING_FOR = {
    Role.OPERATOR: (
        Status.PENCANANGAN, Status.PEMBANGUNAN, Status.RETURNED_PRELIMINARY, Status.RETURNED_TPI,
    ),
    Role.PIMPINAN: (Status.PENCANANGAN, Status.SUBMITTED),
    Role.REVIEWER: (Status.PRELIMINARY_REVIEW,),
    Role.TPI: (Status.TPI_REVIEW,),
    Role.ADMIN: (Status.TPI_PASSED,),
    Role.TPN: (Status.PROPOSED,),
}  # fmt: skip


@dataclass
class QueueFilters:
    group: str = ""  # code of a Kanwil or Eselon I unit
    kind: str = ""

    @classmethod
    def from_request(cls, data) -> QueueFilters:
        kind = data.get("kind", "")
        return cls(
            group=data.get("group", "").strip(), kind=kind if kind in UnitKind.values else ""
        )


def waiting_statuses(user) -> set[str]:
    statuses: set[str] = set()
    for role in unit_permissions.roles_of(user):
        statuses.update(WAITING_FOR.get(role, ()))
    return statuses


def queue_for(user, filters: QueueFilters | None = None) -> QuerySet[Assessment]:
    """Assessments of open periods waiting for one of the user's roles, soonest deadline first.
    Progress is added per page by `with_progress`."""
    qs = assessments_visible_to(user).filter(
        period__is_open=True, status__in=waiting_statuses(user)
    )
    if filters and filters.group:
        group = Unit.objects.filter(code=filters.group).first()
        qs = qs.filter(unit__path__startswith=group.path) if group else qs.none()
    if filters and filters.kind:
        qs = qs.filter(unit__kind=filters.kind)
    return qs.order_by("period__year", "status", "unit__name")


def with_progress(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Sets `answered` (self-layer items answered) and `items` on each assessment of one page,
    in two queries. Counting in the queue query itself would aggregate every answer of every
    waiting assessment (a national TPI queue: about 100,000 rows) to show fifty."""
    assessments = list(assessments)
    answered = dict(
        Answer.objects.filter(
            assessment__in=[a.pk for a in assessments], layer=Layer.SELF, value__isnull=False
        )
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values_list("assessment", "n")
    )
    items = dict(
        Question.objects.filter(version__in={a.period.lke_version_id for a in assessments})
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values_list("version", "n")
    )
    for assessment in assessments:
        assessment.answered = answered.get(assessment.pk, 0)
        assessment.items = items.get(assessment.period.lke_version_id, 0)
    return assessments


def filter_choices(user) -> list[Unit]:
    """Kanwil and Eselon I units the user may filter by."""
    return list(
        Unit.objects.filter(
            unit_permissions.scope_filter(user), kind__in=[UnitKind.KANWIL, UnitKind.ESELON1]
        ).order_by("kind", "name")
    )
