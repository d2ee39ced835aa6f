"""Reading the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The bell's number: one COUNT on an indexed column, once per request (the context
    processor keeps it on the request)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
