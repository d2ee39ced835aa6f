"""Celery tasks of assessments. They take ids or dates, do the work through a service and are
safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from assessments import notices
from assessments.evidence.services import evidence_rescan_pending


@shared_task(name="assessments.remind_deadlines", soft_time_limit=15 * 60, time_limit=16 * 60)
def remind_deadlines(today: str | None = None) -> int:
    """Daily (Celery beat): deadline reminders. `today` (ISO date) is for replays by hand."""
    return notices.deadline_reminders_send(today=date.fromisoformat(today) if today else None)


@shared_task(name="assessments.rescan_pending_evidence", soft_time_limit=8 * 60, time_limit=9 * 60)
def rescan_pending_evidence() -> dict[str, int]:
    """Every 10 minutes (Celery beat): files stored while clamd was down are scanned again."""
    return evidence_rescan_pending()
