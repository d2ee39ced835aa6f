"""Putting entries in inboxes, reading them and the e-mail preference.

Titles and bodies are messages (notifications.messages: a key and its parameters), rendered
in each reader's language; the portal-language text is kept beside them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import Truncator

from notifications.messages import Part, render
from notifications.models import Notification
from notifications.tasks import send_notification_emails
from units.models import User

logger = logging.getLogger(__name__)

EMAIL_BATCH = 50  # notification ids per e-mail task


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: Part,
    body: Part | list[Part] | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Put one inbox entry per user (skipping users who already have `dedupe_key`) and e-mail
    it, after commit, to those who have an address and did not mute e-mail."""
    return notifications_store(
        entries(users=users, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)
    )


def entries(
    *, users: Iterable[User], kind: str, title: Part, body=None, url="", dedupe_key=""
) -> list[Notification]:
    """Unsaved inbox entries, one per user: the message, and its text in the portal's language
    (rendered once for all of them)."""
    with translation.override(settings.LANGUAGE_CODE):
        title_text, body_text = render(title), render(body)
    message = {"title": title, "body": body or []}
    return [
        Notification(
            user=user,
            kind=kind,
            title=title_text,
            body=body_text,
            message=message,
            url=url,
            dedupe_key=dedupe_key,
        )  # fmt: skip
        for user in {user.pk: user for user in users}.values()
    ]


def notifications_store(rows: list[Notification]) -> list[Notification]:
    """Save prepared inbox entries in bulk (those whose (user, dedupe_key) is known are
    skipped) and enqueue their e-mail after commit; returns those created."""
    for row in rows:
        row.title = Truncator(row.title).chars(200)
    rows = _without_known_keys(rows)
    if not rows:
        return []
    with transaction.atomic():
        try:
            with transaction.atomic():
                created = Notification.objects.bulk_create(rows, batch_size=500)
        except IntegrityError:
            # A concurrent run stored some of the same keyed entries meanwhile: keep the rest.
            created = [row for row in rows if _create_one(row)]
        _enqueue_emails(created)
    return created


def _without_known_keys(rows: list[Notification]) -> list[Notification]:
    keyed = [row for row in rows if row.dedupe_key]
    if not keyed:
        return rows
    seen = set(
        Notification.objects.filter(
            dedupe_key__in={row.dedupe_key for row in keyed},
            user_id__in={row.user_id for row in keyed},
        ).values_list("user_id", "dedupe_key")
    )
    fresh = []
    for row in rows:
        if row.dedupe_key:
            if (row.user_id, row.dedupe_key) in seen:
                continue
            seen.add((row.user_id, row.dedupe_key))
        fresh.append(row)
    return fresh


def _create_one(row: Notification) -> bool:
    try:
        with transaction.atomic():
            row.pk = None
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def _enqueue_emails(created: list[Notification]) -> None:
    ids = [
        n.pk
        for n in created
        if n.user.email and n.user.is_active and not n.user.email_muted  # user loaded by caller
    ]
    for start in range(0, len(ids), EMAIL_BATCH):
        chunk = ids[start : start + EMAIL_BATCH]
        transaction.on_commit(lambda chunk=chunk: _send_later(chunk))


def _send_later(notification_ids: list[int]) -> None:
    try:
        send_notification_emails.delay(notification_ids)
    except Exception:
        # The inbox entries exist; a broker outage must not fail the action that caused them.
        logger.exception("Could not enqueue notification e-mails %s", notification_ids)


def notification_open(*, notification: Notification) -> str:
    """Mark the entry read; returns where it points."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification.url


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_settings_update(*, user: User, email_muted: bool) -> None:
    """Mute or unmute notification e-mail for the user (the inbox is never muted)."""
    user.email_muted = bool(email_muted)
    User.objects.filter(pk=user.pk).update(email_muted=user.email_muted)
