"""What a worker does with a report job: claim it, render its file, store it, and tell the
person who asked; fail it with a message; find the jobs a dead worker left or the broker lost."""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.metrics import REPORT_DURATION
from notifications.messages import message, raw
from notifications.services import notify
from reports.issuing import document_file_stored, document_issue
from reports.kinds import KINDS, ReportParamsError, may_read
from reports.models import JobStatus, ReportJob, ReportKind


def stuck_after() -> timedelta:
    """A running job beats at each progress step; one silent this long is stuck
    (ZI_REPORT_STUCK_SECONDS, 5 minutes unless set)."""
    return timedelta(seconds=getattr(settings, "ZI_REPORT_STUCK_SECONDS", 300))


# What makes a job's file: shared as a whole by jobs of the same file (services._share).
FILE_FIELDS = ("file", "filename", "content_type", "sha256", "size")


MAX_ATTEMPTS = 3
# The outbox: a queued job whose message never reached the broker is sent by beat's sweep once
# it is this old (the request's own attempt comes first); one sent long ago but still queued
# (the broker lost it: Redis keeps nothing on disk here) is sent again. A duplicate message is
# harmless: a job is claimed only while queued, or running with a dead worker.
UNSENT_AFTER = timedelta(minutes=1)
RESEND_AFTER = timedelta(minutes=15)


def _claim(job_id: int) -> ReportJob | None:
    """Mark the job running; None when it is finished already or another worker is on it (a
    redelivered or duplicate message)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        alive = job.heartbeat_at and job.heartbeat_at > timezone.now() - stuck_after()
        if job.status == JobStatus.RUNNING and alive:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.save()
    return job


def _progress(job_id: int):
    def report(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            progress=max(0, min(99, int(percent))), heartbeat_at=timezone.now()
        )

    return report


def report_run(*, job_id: int) -> ReportJob | None:
    """Render the job's file. Idempotent: a finished job is left as it is. The time it took
    is counted by kind and outcome (zi_report_duration_seconds): done, failed (refused with a
    message) or error (raised: the task retries or fails it)."""
    job = _claim(job_id)
    if job is None:
        return None
    started, outcome = time.monotonic(), "error"
    try:
        done = _report_build(job)
        outcome = "done" if done is not None else "failed"
        return done
    finally:
        REPORT_DURATION.labels(kind=job.kind, outcome=outcome).observe(time.monotonic() - started)


def _report_build(job: ReportJob) -> ReportJob | None:
    # Fault injection for the crash-recovery test only (0 in every real deployment).
    time.sleep(getattr(settings, "ZI_REPORT_FAULT_DELAY", 0))
    spec = KINDS[job.kind]
    try:  # the data may have changed since the request (an assessment deleted, access revoked)
        spec.clean(dict(job.params), job.requested_by)
    except ReportParamsError as error:
        report_fail(job_id=job.pk, error=str(error))
        return None
    if not may_read(job.kind, job.params, job.requested_by):  # access narrowed since the request
        report_fail(
            job_id=job.pk, error=_("Akses Anda berubah sejak laporan diminta; silakan minta ulang.")
        )
        return None
    # A document anyone can verify prints its number and code: they are given before rendering.
    issued = document_issue(job=job) if spec.issues else None
    if issued is not None and issued.sha256:  # issued already: everyone gets that very file
        return _take_issued_file(job.pk, issued)
    with tempfile.TemporaryFile() as out:
        filename, content_type = spec.render(
            job.params, out, _progress(job.pk), job.requested_by, issued
        )
        out.seek(0)
        digest, size = hashlib.sha256(), 0
        while chunk := out.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
        out.seek(0)
        # The stored name is random and short (FileField holds 100 characters; a filter typed
        # into the name made it longer and PostgreSQL refused the row); people see `filename`.
        suffix = Path(filename).suffix[:10]
        stored = default_storage.save(
            f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}", File(out)
        )
        filename = _bounded_filename(filename, ReportJob._meta.get_field("filename").max_length)
    try:
        with transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, progress=100, file=stored, filename=filename,
                content_type=content_type, sha256=digest.hexdigest(), size=size,
                finished_at=timezone.now(),
            )  # fmt: skip
            kept = issued is None or document_file_stored(
                document=issued, job_id=job.pk, sha256=digest.hexdigest()
            )
    except Exception:
        default_storage.delete(stored)
        raise
    if not kept:  # another request of the same document finished first: its file is the one
        default_storage.delete(stored)
        issued.refresh_from_db()
        return _take_issued_file(job.pk, issued)
    job.refresh_from_db()
    _notify(job)
    return job


def _take_issued_file(job_id: int, document) -> ReportJob:
    """This job's file is the document's issued one (its number, code and SHA-256 in it)."""
    source = ReportJob.objects.get(pk=document.job_id)
    ReportJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, progress=100, finished_at=timezone.now(),
        **{name: getattr(source, name) for name in FILE_FIELDS},
    )  # fmt: skip
    job = ReportJob.objects.get(pk=job_id)
    _notify(job)
    return job


def _bounded_filename(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:10]
    return name[: limit - len(suffix)] + suffix


def report_fail(*, job_id: int, error: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now()
    )
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status == JobStatus.FAILED:
        _notify(job)


def stuck_jobs_recover(*, now=None) -> tuple[list[int], int]:
    """Jobs left 'running' by a worker that died: put them back in the queue, or fail them
    after MAX_ATTEMPTS with a message. Returns (the ids to send again, how many failed)."""
    now = now or timezone.now()
    stuck = list(
        ReportJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - stuck_after())
    )
    requeued, failed = [], 0
    for job in stuck:
        if job.attempts >= MAX_ATTEMPTS:
            report_fail(
                job_id=job.pk,
                error=_("Pembuatan laporan terhenti %(n)s kali; silakan minta ulang.")
                % {"n": job.attempts},
            )
            failed += 1
        elif ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, progress=0, sent_at=None
        ):
            requeued.append(job.pk)
    return requeued, failed


def unsent_jobs(*, now=None) -> list[int]:
    """The queued jobs whose message never reached the broker (or was lost by it), oldest
    first."""
    now = now or timezone.now()
    waiting = ReportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - UNSENT_AFTER)
    due = waiting.filter(sent_at__isnull=True) | waiting.filter(sent_at__lt=now - RESEND_AFTER)
    return list(due.order_by("created_at").values_list("pk", flat=True))


def _notify(job: ReportJob) -> None:
    done = job.status == JobStatus.DONE
    title = (
        gettext_noop("Laporan siap: %(kind)s")
        if done
        else gettext_noop("Laporan gagal dibuat: %(kind)s")
    )
    notify(
        users=[job.requested_by],
        kind="report_done" if done else "report_failed",
        title=message(title, kind=ReportKind(job.kind).label),
        body=[raw(job.filename if done else job.error)],
        url=reverse("reports:detail", args=[job.pk]),
        dedupe_key=f"report:{job.pk}:{job.status}",
    )
