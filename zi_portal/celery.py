import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")

app = Celery("zi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    # 06:00 in CELERY_TIMEZONE (Asia/Jakarta): before the working day starts.
    "remind-deadlines": {
        "task": "assessments.remind_deadlines",
        "schedule": crontab(hour=6, minute=0),
    },
    # The report outbox: jobs whose message never reached the broker (it was down) are sent.
    "send-queued-reports": {
        "task": "reports.send_queued",
        "schedule": crontab(minute="*"),
    },
    # Report jobs left running by a worker that died are re-queued or failed.
    "recover-stuck-reports": {
        "task": "reports.recover_stuck",
        "schedule": crontab(minute="*/5"),
    },
    # Evidence stored while clamd was down is scanned again.
    "rescan-pending-evidence": {
        "task": "assessments.rescan_pending_evidence",
        "schedule": crontab(minute="*/10"),
    },
}


@signals.setup_logging.connect
def _keep_django_logging(**kwargs):
    """Celery leaves logging as settings.LOGGING set it (JSON lines on stdout in production):
    without a receiver here it would put its own text format on the root logger."""


@signals.celeryd_init.connect
def _metrics_files_cleared(**kwargs):
    """A worker node starts with no samples of an earlier run (core.metrics): its pool's
    processes write theirs to PROMETHEUS_MULTIPROC_DIR, one directory per worker."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory and os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


@signals.worker_ready.connect
def _metrics_server(**kwargs):
    """The worker node's own /metrics (core.metrics), in the main process, when asked for."""
    from django.conf import settings

    from core.metrics import worker_server_start

    if settings.ZI_METRICS_WORKER_PORT:
        worker_server_start(settings.ZI_METRICS_WORKER_PORT, settings.ZI_METRICS_WORKER_BIND)


@signals.worker_process_shutdown.connect
def _metrics_process_gone(pid=None, **kwargs):
    """A pool process that ended (replaced past its memory limit): its live gauges go."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())
