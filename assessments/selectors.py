"""Read-side queries for assessments, always limited to the acting user's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments import permissions
from assessments.models import Assessment, Period


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(permissions.scope_filter(user)).select_related(
        "unit", "unit__parent", "period", "period__lke_version"
    )


def assessment_for_user(user, pk: int) -> Assessment:
    """The assessment if the user may see it; 404 otherwise (it must not be known to exist)."""
    return get_object_or_404(assessments_visible_to(user), pk=pk)


def current_period() -> Period | None:
    return Period.objects.filter(is_open=True).select_related("lke_version").first()
