import os

from celery import Celery
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
}
