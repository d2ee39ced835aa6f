"""Celery tasks of assessments. They take ids or dates, do the work through a service and are
safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from assessments import notices


@shared_task(name="assessments.remind_deadlines", soft_time_limit=15 * 60, time_limit=16 * 60)
def remind_deadlines(today: str | None = None) -> int:
    """Daily (Celery beat): deadline reminders. `today` (ISO date) is for replays by hand."""
    return notices.deadline_reminders_send(today=date.fromisoformat(today) if today else None)
