"""The e-mail task. It takes ids and is safe to run twice (see notifications.emails)."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from notifications import emails


@shared_task(
    # The name predates this app; kept so that messages already queued still find the task.
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
    return emails.notification_emails_send(notification_ids=notification_ids)
