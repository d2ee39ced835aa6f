from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reports.models import ReportJob
from units import permissions


def jobs_visible_to(user) -> QuerySet[ReportJob]:
    """One's own report jobs; Admin nasional sees all."""
    qs = ReportJob.objects.select_related("requested_by")
    return qs if permissions.is_admin(user) else qs.filter(requested_by=user)


def job_for_user(user, pk: int) -> ReportJob:
    return get_object_or_404(jobs_visible_to(user), pk=pk)
