"""Sending inbox entries by e-mail (from notifications.tasks.send_notification_emails)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification

SENT_MARK_TTL = 14 * 24 * 60 * 60  # how long "this notification was e-mailed" is remembered


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """E-mail the given notifications to their users (if still unread, not muted, with an
    address). Each one is claimed in the cache before sending, so a retried or redelivered
    task does not send it twice; a failed send releases its claim for the retry."""
    pending = list(
        Notification.objects.filter(
            pk__in=notification_ids,
            read_at__isnull=True,
            user__is_active=True,
            user__email_muted=False,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    if not pending:
        return 0
    sent = 0
    with get_connection() as connection:
        for notification in pending:
            # The creation time in the key keeps a reused id (a restored database) from
            # matching an old claim.
            claim = f"notification-email:{notification.pk}:{notification.created_at.timestamp()}"
            if not cache.add(claim, 1, timeout=SENT_MARK_TTL):
                continue
            try:
                # In the reader's language: the one they last chose in the menu.
                with translation.override(notification.user.language or settings.LANGUAGE_CODE):
                    _send_one(notification, connection)
            except Exception:
                cache.delete(claim)
                raise
            sent += 1
    return sent


def _send_one(notification: Notification, connection) -> None:
    context = {
        "user": notification.user,
        "notification": notification,
        "link": absolute_url(reverse("notifications:open", args=[notification.pk])),
        "settings_link": absolute_url(reverse("notifications:settings")),
    }
    subject = render_to_string("notifications/email/subject.txt", context)
    body = render_to_string("notifications/email/body.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        None,
        [notification.user.email],
        connection=connection,
    )


def absolute_url(path: str) -> str:
    """`path` on the portal's public address: settings.PORTAL_BASE_URL when set, else the
    first concrete host of ALLOWED_HOSTS."""
    base = getattr(settings, "PORTAL_BASE_URL", "")
    if not base:
        host = next(
            (h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")),
            "localhost",
        )
        base = f"{'http' if settings.DEBUG else 'https'}://{host}"
    return base.rstrip("/") + path
