"""Read-side queries for assessments, always limited to the acting user's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments import permissions
from assessments.assessment import Assessment


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(permissions.scope_filter(user)).select_related(
        "unit", "unit__parent", "period", "period__lke_version"
    )


def assessment_for_user(user, pk: int) -> Assessment:
    """The assessment if the user may see it, with `.access`: what this user may do on it
    (permissions.Access, worked out once); 404 otherwise (it must not be known to exist)."""
    assessment = get_object_or_404(assessments_visible_to(user), pk=pk)
    assessment.access = permissions.access(user, assessment)
    return assessment


def content_versions(assessment_id: int) -> list:
    """What an assessment's reports show, as content versions (units.models.VersionedQuerySet):
    the assessment (answers, notes, evidence, verdicts, returns, status, awards), its unit and
    the unit's parent (on the cover). One query; any change gives another value."""
    return list(
        Assessment.objects.filter(pk=assessment_id).values_list(
            "content_version", "unit__content_version", "unit__parent__content_version"
        )
    )
