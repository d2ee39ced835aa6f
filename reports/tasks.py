"""The report queue: `enqueue` hands a job to the broker (from reports.services when a report
is asked for, and from the sweeps below); `run_report` is what a worker does with it
(reports.worker). The sweeps run on beat: stuck jobs every few minutes, unsent ones every
minute."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import worker
from reports.kinds import DEFAULT_SECONDS, seconds_for
from reports.models import JobStatus, ReportJob

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def enqueue(job_id: int) -> bool:
    """Hand the job's message to the broker; False (logged) when it cannot be reached. The job
    row exists either way, so the outbox sweep sends it later: never a 500, never a lost job."""
    seconds = seconds_for(_kind_of(job_id))
    try:
        run_report.apply_async(
            args=[job_id], queue="reports", soft_time_limit=seconds, time_limit=seconds + 60
        )
    except Exception:  # kombu raises many types (OperationalError, OSError, timeouts)
        logger.warning("report job %s: broker unreachable, left for the sweep", job_id)
        return False
    ReportJob.objects.filter(pk=job_id).update(sent_at=timezone.now())
    return True


def _kind_of(job_id: int) -> str | None:
    return ReportJob.objects.filter(pk=job_id).values_list("kind", flat=True).first()


@shared_task(
    bind=True,
    name="reports.run_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=DEFAULT_SECONDS,  # each kind's own limits are set when it is queued
    time_limit=DEFAULT_SECONDS + 60,
    max_retries=3,
)
def run_report(self, job_id: int) -> None:
    """Render one report job. Safe to run twice: a finished job is skipped."""
    try:
        worker.report_run(job_id=job_id)
    except TRANSIENT as error:
        logger.warning("report %s: transient error %r, retrying", job_id, error)
        if self.request.retries >= self.max_retries:
            worker.report_fail(job_id=job_id, error=_("Gangguan sementara; silakan minta ulang."))
            return
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED
        )
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from None
    except SoftTimeLimitExceeded:
        minutes = seconds_for(_kind_of(job_id)) // 60
        worker.report_fail(
            job_id=job_id,
            error=_("Laporan terlalu lama dibuat (lebih dari %(n)s menit).") % {"n": minutes},
        )
    except Exception as error:  # a bug or bad data: fail the job with a readable message
        logger.exception("report %s failed", job_id)
        worker.report_fail(
            job_id=job_id,
            error=_("Laporan gagal dibuat: %(error)s") % {"error": error.__class__.__name__},
        )


@shared_task(name="reports.recover_stuck", soft_time_limit=60, time_limit=90)
def recover_stuck_reports(now=None) -> tuple[int, int]:
    """Jobs a dead worker left running: sent again, or failed after their attempts. Returns
    (requeued, failed). `now` is for tests and replays."""
    requeued, failed = worker.stuck_jobs_recover(now=now)
    for job_id in requeued:
        enqueue(job_id)
    return len(requeued), failed


@shared_task(name="reports.send_queued", soft_time_limit=50, time_limit=60)
def send_queued_reports(now=None) -> int:
    """The outbox: send the queued jobs whose message never reached the broker (or was lost by
    it). Returns how many were handed over."""
    return sum(enqueue(job_id) for job_id in worker.unsent_jobs(now=now))
