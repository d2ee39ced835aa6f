"""Notifications: an inbox entry per person in the portal, also e-mailed unless they muted e-mail.

Who hears about what is decided here: stage transitions (`transition_made`, called by
`assessments.services.assessment_transition` once the transition is committed) and approaching
deadlines (`deadline_reminders_send`, run daily by Celery beat through
`assessments.tasks.remind_deadlines`). E-mail leaves from a Celery task enqueued after commit.

Notification texts are stored, so they are written in the portal's language
(settings.LANGUAGE_CODE), whatever language the acting user happens to browse in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import policy
from assessments.models import Assessment, ItemReturn, Layer, Notification, TransitionEvent
from assessments.models.assessment import Stage
from assessments.workflow import TRANSITIONS
from units.models import Membership, Role, Unit, User

logger = logging.getLogger(__name__)

# Roles reached through the assessment's own unit, through the unit or one of its ancestors
# (a Kanwil reviewer, TPI at Pusat), or nationally.
UNIT_ROLES = frozenset(policy.UNIT_ROLES)
ANCESTOR_ROLES = frozenset({Role.REVIEWER, Role.TPI})
NATIONAL_ROLES = frozenset({Role.TPN, Role.ADMIN})

EMAIL_BATCH = 50  # notification ids per e-mail task
REMINDER_BATCH = 500  # assessments per reminder batch (a constant number of queries each)
REMINDER_DAYS = 7  # first reminder this many days ahead; a second one on the last day
SENT_MARK_TTL = 14 * 24 * 60 * 60  # how long "this notification was e-mailed" is remembered
KIND_DEADLINE = "deadline"

TRANSITION_TITLES = {
    "confirm_declaration": gettext_lazy("Pencanangan dikonfirmasi: %(unit)s"),
    "submit": gettext_lazy("Penilaian mandiri menunggu persetujuan: %(unit)s"),
    "approve_submission": gettext_lazy("Penilaian mandiri dikirim ke reviewer: %(unit)s"),
    "reject_submission": gettext_lazy("Penilaian mandiri dikembalikan oleh pimpinan: %(unit)s"),
    "return_preliminary": gettext_lazy(
        "%(count)s butir dikembalikan oleh reviewer pendahuluan: %(unit)s"
    ),
    "return_tpi": gettext_lazy("%(count)s butir dikembalikan oleh TPI: %(unit)s"),
    "resubmit_preliminary": gettext_lazy("Perbaikan dikirim ulang ke reviewer: %(unit)s"),
    "resubmit_tpi": gettext_lazy("Perbaikan dikirim ulang ke TPI: %(unit)s"),
    "forward_to_tpi": gettext_lazy("Diteruskan ke TPI: %(unit)s"),
    "tpi_pass": gettext_lazy("Keputusan TPI: Lolos · %(unit)s"),
    "tpi_fail": gettext_lazy("Keputusan TPI: TMS · %(unit)s"),
    "propose": gettext_lazy("Diusulkan ke TPN: %(unit)s"),
    "grant": gettext_lazy("Predikat %(predicate)s ditetapkan: %(unit)s"),
    "not_grant": gettext_lazy("Predikat %(predicate)s tidak ditetapkan: %(unit)s"),
}

TRANSITION_HINTS = {
    "confirm_declaration": gettext_lazy("Silakan mulai mengisi LKE penilaian mandiri."),
    "submit": gettext_lazy("Periksa penilaian mandiri, lalu setujui atau kembalikan ke operator."),
    "reject_submission": gettext_lazy("Perbaiki isian sesuai catatan, lalu kirim kembali."),
    "return_preliminary": gettext_lazy(
        "Perbaiki butir yang dikembalikan sesuai catatannya, lalu kirim ulang."
    ),
    "return_tpi": gettext_lazy(
        "Perbaiki butir yang dikembalikan sesuai catatannya, lalu kirim ulang."
    ),
    "resubmit_preliminary": gettext_lazy("Periksa kembali butir yang telah diperbaiki."),
    "resubmit_tpi": gettext_lazy("Periksa kembali butir yang telah diperbaiki."),
}

RETURN_LAYER = {"return_preliminary": Layer.PRELIMINARY, "return_tpi": Layer.TPI}

# Who must act before the deadline of the stage an assessment is in.


# --------------------------------------------------------------------------- recipients


class Recipients:
    """Who holds which role where, read in one query for a batch of units."""

    def __init__(self, *, units: Iterable[Unit], roles: Iterable[str]):
        units, roles = list(units), set(roles)
        condition = Q(pk__in=[])
        if roles & UNIT_ROLES:
            condition |= Q(role__in=roles & UNIT_ROLES, unit_id__in={u.pk for u in units})
        if roles & ANCESTOR_ROLES:
            reach = {pk for u in units for pk in (*u.ancestor_ids, u.pk)}
            condition |= Q(role__in=roles & ANCESTOR_ROLES, unit_id__in=reach)
        if roles & NATIONAL_ROLES:
            condition |= Q(role__in=roles & NATIONAL_ROLES)
        self._users: dict[tuple[int | None, str], list[User]] = defaultdict(list)
        memberships = Membership.objects.filter(
            condition, user__is_active=True, unit__is_active=True
        ).select_related("user")
        for membership in memberships:
            unit_id = None if membership.role in NATIONAL_ROLES else membership.unit_id
            self._users[(unit_id, membership.role)].append(membership.user)

    def of(self, unit: Unit, roles: Iterable[str]) -> list[User]:
        """The people holding `roles` for `unit`, each once."""
        found: dict[int, User] = {}
        for role in roles:
            if role in UNIT_ROLES:
                unit_ids = [unit.pk]
            elif role in ANCESTOR_ROLES:
                unit_ids = [*unit.ancestor_ids, unit.pk]
            else:
                unit_ids = [None]
            for unit_id in unit_ids:
                for user in self._users[(unit_id, role)]:
                    found.setdefault(user.pk, user)
        return list(found.values())


# --------------------------------------------------------------------------- creating


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    assessment: Assessment | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Put one inbox entry per user (skipping users who already have `dedupe_key`) and e-mail
    it, after commit, to those who have an address and did not mute e-mail."""
    title = Truncator(title).chars(200)
    rows = [
        Notification(
            user=user,
            assessment=assessment,
            kind=kind,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe_key,
        )
        for user in {user.pk: user for user in users}.values()
    ]
    return _store(rows)


def _store(rows: list[Notification]) -> list[Notification]:
    """Save new inbox entries in bulk and enqueue their e-mail; returns those created."""
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
    from assessments.tasks import send_notification_emails  # tasks import this module

    try:
        send_notification_emails.delay(notification_ids)
    except Exception:
        # The inbox entries exist; a broker outage must not fail the action that caused them.
        logger.exception("Could not enqueue notification e-mails %s", notification_ids)


# --------------------------------------------------------------------------- transitions


def transition_made(*, event_id: int) -> None:
    """Notify the people concerned by a stage transition (never the person who made it).
    Safe to call twice: the entries are keyed by the event."""
    event = (
        TransitionEvent.objects.select_related("assessment__unit", "assessment__period", "by")
        .filter(pk=event_id)
        .first()
    )
    transition = TRANSITIONS.get(event.transition) if event else None
    audience = transition.notify if transition else None
    if not audience:
        return
    assessment = event.assessment
    users = [
        user
        for user in Recipients(units=[assessment.unit], roles=audience).of(
            assessment.unit, audience
        )
        if user.pk != event.by_id
    ]
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title, body = _transition_text(event)
    notify(
        users=users,
        kind=event.transition,
        title=title,
        body=body,
        url=reverse("assessments:detail", args=[assessment.pk]),
        assessment=assessment,
        dedupe_key=f"event:{event.pk}",
    )


def _transition_text(event: TransitionEvent) -> tuple[str, str]:
    assessment = event.assessment
    params = {"unit": assessment.unit.name, "predicate": assessment.target_predicate}
    if event.transition in RETURN_LAYER:
        params["count"] = ItemReturn.objects.filter(
            assessment=assessment,
            layer=RETURN_LAYER[event.transition],
            resolved_at__isnull=True,
        ).count()
    title = str(TRANSITION_TITLES[event.transition]) % params
    lines = [
        _("%(who)s mengubah status penilaian %(year)s menjadi “%(status)s”.")
        % {
            "who": event.by.get_full_name(),
            "year": assessment.period.year,
            "status": event.get_to_status_display(),
        }
    ]
    if event.transition in TRANSITION_HINTS:
        lines.append(str(TRANSITION_HINTS[event.transition]))
    if event.note:
        lines.append(_("Catatan:") + "\n" + event.note)
    return title, "\n\n".join(lines)


# --------------------------------------------------------------------------- deadlines


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the people who must act now of their stage's deadline, 7 days ahead and on the
    last day, for the open periods. Running it again the same day sends nothing new (each
    reminder is keyed by assessment, status, deadline and bucket). Returns how many were made."""
    today = today or timezone.localdate()
    pks = list(_due_assessments(today).values_list("pk", flat=True))
    created = 0
    for start in range(0, len(pks), REMINDER_BATCH):
        batch = list(
            Assessment.objects.filter(pk__in=pks[start : start + REMINDER_BATCH])
            .select_related("unit", "period")
            .order_by("pk")
        )
        created += _remind_batch(batch, today)
    return created


def _due_assessments(today: date) -> QuerySet[Assessment]:
    horizon = today + timedelta(days=REMINDER_DAYS)
    statuses_of_stage: dict[str, list[str]] = defaultdict(list)
    for status, rule in policy.POLICY.items():
        if rule.acting:  # someone must act before the stage's deadline
            statuses_of_stage[rule.stage].append(status)
    due = Q(pk__in=[])
    for stage, statuses in statuses_of_stage.items():
        due |= Q(status__in=statuses, **{f"period__deadline_{stage}__range": (today, horizon)})
    return Assessment.objects.filter(due, period__is_open=True, unit__is_active=True)


def _remind_batch(batch: list[Assessment], today: date) -> int:
    roles = {role for a in batch for role in policy.reminded(a.status)}
    recipients = Recipients(units=[a.unit for a in batch], roles=roles)
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for assessment in batch:
            deadline = assessment.deadline
            days_left = (deadline - today).days
            bucket = 1 if days_left <= 1 else REMINDER_DAYS
            title, body = _deadline_text(assessment, days_left)
            key = f"deadline:{assessment.pk}:{assessment.status}:{deadline.isoformat()}:{bucket}"
            url = reverse("assessments:detail", args=[assessment.pk])
            rows += [
                Notification(
                    user=user,
                    assessment=assessment,
                    kind=KIND_DEADLINE,
                    title=Truncator(title).chars(200),
                    body=body,
                    url=url,
                    dedupe_key=key,
                )
                for user in recipients.of(assessment.unit, policy.reminded(assessment.status))
            ]
    return len(_store(rows))


def _deadline_text(assessment: Assessment, days_left: int) -> tuple[str, str]:
    params = {
        "unit": assessment.unit.name,
        "stage": Stage(assessment.stage).label,
        "date": assessment.deadline.strftime("%d-%m-%Y"),
        "days": days_left,
    }
    if days_left <= 0:
        title = _("Batas tahap %(stage)s hari ini: %(unit)s") % params
    else:
        title = _("Batas tahap %(stage)s %(days)s hari lagi: %(unit)s") % params
    body = _(
        "Batas waktu tahap %(stage)s periode ini adalah %(date)s. Status saat ini: “%(status)s”. "
        "Selesaikan tindakan yang diperlukan sebelum batas waktu."
    ) % {**params, "status": assessment.get_status_display()}
    return title, body


# --------------------------------------------------------------------------- e-mail


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """E-mail the given notifications to their users (if still unread, not muted, with an
    address). Each one is claimed in the cache before sending, so a retried or redelivered
    task does not send it twice; a failed send releases its claim for the retry."""
    pending = (
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
    pending = list(pending)
    if not pending:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for notification in pending:
            # The creation time in the key keeps a reused id (a restored database) from
            # matching an old claim.
            claim = f"notification-email:{notification.pk}:{notification.created_at.timestamp()}"
            if not cache.add(claim, 1, timeout=SENT_MARK_TTL):
                continue
            try:
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
        "link": absolute_url(reverse("assessments:notification_open", args=[notification.pk])),
        "settings_link": absolute_url(reverse("assessments:notification_settings")),
    }
    subject = render_to_string("assessments/email/notification_subject.txt", context)
    body = render_to_string("assessments/email/notification_body.txt", context)
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


# --------------------------------------------------------------------------- inbox


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own inbox, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The bell's number: one COUNT on an indexed column, once per request (the context
    processor keeps it on the request)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_open(*, notification: Notification) -> str:
    """Mark the entry read; returns where it points."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification.url


def notifications_read_all(*, user) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return marked


def notification_settings_update(*, user: User, email_muted: bool) -> None:
    """Mute or unmute notification e-mail for the user (the inbox is never muted)."""
    user.email_muted = bool(email_muted)
    User.objects.filter(pk=user.pk).update(email_muted=user.email_muted)
