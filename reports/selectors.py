from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from reports.kinds import may_read
from reports.models import ReportJob
from units import permissions


def jobs_visible_to(user) -> QuerySet[ReportJob]:
    """One's own report jobs; Admin nasional sees all."""
    qs = ReportJob.objects.select_related("requested_by")
    return qs if permissions.is_admin(user) else qs.filter(requested_by=user)


def job_for_user(user, pk: int) -> ReportJob:
    """One report job: 404 unless it is the user's own (or they are Admin nasional) and they
    may still read its subject now; a role removed since the request takes the file away."""
    job = get_object_or_404(jobs_visible_to(user), pk=pk)
    if not may_read(job.kind, job.params, user):
        raise Http404
    return job
