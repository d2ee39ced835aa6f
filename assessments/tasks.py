"""Celery tasks of assessments. They take ids, do the work through a service and are safe to
run twice (see assessments.notifications)."""

from __future__ import annotations

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from assessments import notifications


@shared_task(
    name="assessments.send_notification_emails",
    # SMTP hiccups, a refused connection, or a slow server cut by the soft limit: try again
    # later. Notifications already e-mailed are skipped on the retry.
    autoretry_for=(SMTPException, OSError, SoftTimeLimitExceeded),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    return notifications.notification_emails_send(notification_ids=notification_ids)


@shared_task(name="assessments.remind_deadlines", soft_time_limit=15 * 60, time_limit=16 * 60)
def remind_deadlines(today: str | None = None) -> int:
    """Daily (Celery beat): deadline reminders. `today` (ISO date) is for replays by hand."""
    return notifications.deadline_reminders_send(today=date.fromisoformat(today) if today else None)
