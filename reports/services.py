"""Asking for a report: a new job, or the one that already has (or is making) the same file.
The worker side is reports.worker; reports.tasks hands jobs to the broker."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ReportError
from reports import tasks
from reports.kinds import KINDS, ReportParamsError
from reports.models import JobStatus, ReportJob
from reports.worker import FILE_FIELDS

logger = logging.getLogger(__name__)


def report_request(*, kind: str, params: dict, by) -> ReportJob:
    """Queue a report, or return the job that already has (or is making) the same file."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ReportError(_("Jenis laporan tidak dikenal."))
    try:
        params = spec.clean(params, by)
    except ReportParamsError as error:
        raise ReportError(str(error)) from None
    fingerprint = spec.fingerprint(params)
    with transaction.atomic():
        existing = (
            ReportJob.objects.select_for_update()
            .filter(kind=kind, params=params, fingerprint=fingerprint)
            .exclude(status=JobStatus.FAILED)
            .order_by("-created_at")
            .first()
        )
        if existing is not None and existing.status == JobStatus.DONE and existing.file:
            if existing.requested_by_id == by.pk:
                return existing
            return _share(existing, by)  # same data, same file: no second rendering
        if existing is not None and existing.requested_by_id == by.pk:
            if existing.status == JobStatus.QUEUED and existing.sent_at is None:
                transaction.on_commit(lambda: tasks.enqueue(existing.pk))  # the broker was down
            return existing  # already queued or running for this user
        job = ReportJob.objects.create(
            kind=kind, params=params, requested_by=by, fingerprint=fingerprint
        )
        transaction.on_commit(lambda: tasks.enqueue(job.pk))
    return job


def _share(job: ReportJob, by) -> ReportJob:
    """A finished job's file, listed among `by`'s own reports."""
    fields = ("kind", "params", "fingerprint", *FILE_FIELDS)
    return ReportJob.objects.create(
        requested_by=by,
        status=JobStatus.DONE,
        progress=100,
        started_at=job.started_at,
        finished_at=job.finished_at,
        **{name: getattr(job, name) for name in fields},
    )
