import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from reports import services

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    name="reports.run_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    max_retries=3,
)
def run_report(self, job_id: int) -> None:
    """Render one report job. Safe to run twice: a finished job is skipped."""
    try:
        services.report_run(job_id=job_id)
    except TRANSIENT as error:
        logger.warning("report %s: transient error %r, retrying", job_id, error)
        if self.request.retries >= self.max_retries:
            services.report_fail(job_id=job_id, error=_("Gangguan sementara; silakan minta ulang."))
            return
        from reports.models import JobStatus, ReportJob

        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED
        )
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from None
    except SoftTimeLimitExceeded:
        services.report_fail(
            job_id=job_id, error=_("Laporan terlalu lama dibuat (lebih dari 2 menit).")
        )
    except Exception as error:  # a bug or bad data: fail the job with a readable message
        logger.exception("report %s failed", job_id)
        services.report_fail(
            job_id=job_id,
            error=_("Laporan gagal dibuat: %(error)s") % {"error": error.__class__.__name__},
        )


@shared_task(name="reports.recover_stuck", soft_time_limit=60, time_limit=90)
def recover_stuck_reports() -> tuple[int, int]:
    return services.reports_recover_stuck()


@shared_task(name="reports.send_queued", soft_time_limit=50, time_limit=60)
def send_queued_reports() -> int:
    return services.reports_send_queued()
