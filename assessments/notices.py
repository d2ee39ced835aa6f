"""What the programme tells people, through their inbox (notifications.services.notify): stage
transitions (`transition_made`, called by `assessments.services.assessment_transition` once the
transition is committed) and approaching deadlines (`deadline_reminders_send`, run daily by
Celery beat through `assessments.tasks.remind_deadlines`).

Texts are messages (notifications.messages): keys with parameters, each reader sees them in
their own language.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from assessments import policy
from assessments.assessment import Assessment, Layer, Stage, Status, TransitionEvent
from assessments.stages.models import PredicateAward
from assessments.workflow import TRANSITIONS
from assessments.worksheet.models import ItemReturn
from notifications.messages import Part, message, raw
from notifications.services import entries, notifications_store, notify
from units.selectors import RoleHolders

REMINDER_BATCH = 500  # assessments per reminder batch (a constant number of queries each)
REMINDER_DAYS = 7  # first reminder this many days ahead; a second one on the last day
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
    "select_pass": gettext_lazy("Lulus seleksi administrasi TPN: %(unit)s"),
    "select_pass_notes": gettext_lazy("Lulus seleksi administrasi dengan catatan: %(unit)s"),
    "select_fail": gettext_lazy("Tidak lulus seleksi administrasi TPN: %(unit)s"),
    "confirm_selection": gettext_lazy("Perbaikan usulan diterima TPN: %(unit)s"),
    "file_appeal": gettext_lazy("Sanggah diajukan: %(unit)s"),
    "accept_appeal": gettext_lazy("Sanggah diterima, kembali ke evaluasi: %(unit)s"),
    "reject_appeal": gettext_lazy("Sanggah ditolak: %(unit)s"),
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
    "select_pass_notes": gettext_lazy(
        "Unggah surat usulan yang diperbaiki dan SPTJM pada halaman Seleksi & sanggah."
    ),
    "select_fail": gettext_lazy("Unit dapat mengajukan satu kali sanggah selama masa sanggah."),
    "not_grant": gettext_lazy("Unit dapat mengajukan satu kali sanggah selama masa sanggah."),
    "file_appeal": gettext_lazy("Putuskan sanggah ini: terima atau tolak dengan alasan."),
}

RETURN_LAYER = {"return_preliminary": Layer.PRELIMINARY, "return_tpi": Layer.TPI}


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
        for user in RoleHolders(units=[assessment.unit], roles=audience).of(
            assessment.unit, audience
        )
        if user.pk != event.by_id
    ]
    if not users:
        return
    title, body = _transition_text(event)
    notify(
        users=users,
        kind=event.transition,
        title=title,
        body=body,
        url=reverse("assessments:detail", args=[assessment.pk]),
        dedupe_key=f"event:{event.pk}",
    )


def _transition_text(event: TransitionEvent) -> tuple[Part, list[Part]]:
    assessment = event.assessment
    params = {"unit": assessment.unit.name, "predicate": assessment.target_predicate}
    if event.transition in RETURN_LAYER:
        params["count"] = ItemReturn.objects.filter(
            assessment=assessment,
            layer=RETURN_LAYER[event.transition],
            resolved_at__isnull=True,
        ).count()
    title = message(TRANSITION_TITLES[event.transition], **params)
    lines = [
        message(
            gettext_noop("%(who)s mengubah status penilaian %(year)s menjadi “%(status)s”."),
            who=event.by.get_full_name(),
            year=assessment.period.year,
            status=Status(event.to_status).label,
        )
    ]
    if event.transition in TRANSITION_HINTS:
        lines.append(message(TRANSITION_HINTS[event.transition]))
    if event.note:
        lines += [message(gettext_noop("Catatan:")), raw(event.note)]
    return title, lines


def award_revoked(*, award_id: int) -> None:
    """Tell the unit's people that its predicate was revoked, why and until when it may not be
    proposed. Safe to call twice (keyed by the award)."""
    award = PredicateAward.objects.select_related("unit").filter(pk=award_id).first()
    if award is None or award.revoked_at is None:
        return
    roles = policy.UNIT_ROLES
    users = list(RoleHolders(units=[award.unit], roles=roles).of(award.unit, roles))
    if not users:
        return
    notify(
        users=users,
        kind="award_revoked",
        title=message(
            gettext_noop("Predikat %(predicate)s %(year)s dicabut: %(unit)s"),
            predicate=award.predicate, year=award.year, unit=award.unit.name,
        ),
        body=[
            message(
                gettext_noop(
                    "Unit tidak dapat diusulkan kembali sampai %(until)s (PermenPAN-RB 90/2021)."
                ),
                until=award.barred_until.isoformat() if award.barred_until else "",
            ),
            message(gettext_noop("Alasan:")),
            raw(award.revoked_reason),
        ],
        url=reverse("assessments:unit_awards", args=[award.unit.code]),
        dedupe_key=f"award-revoked:{award.pk}",
    )  # fmt: skip


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
    recipients = RoleHolders(units=[a.unit for a in batch], roles=roles)
    rows = []
    for assessment in batch:
        deadline = assessment.deadline
        days_left = (deadline - today).days
        bucket = 1 if days_left <= 1 else REMINDER_DAYS
        title, body = _deadline_text(assessment, days_left)
        key = f"deadline:{assessment.pk}:{assessment.status}:{deadline.isoformat()}:{bucket}"
        url = reverse("assessments:detail", args=[assessment.pk])
        rows += entries(
            users=recipients.of(assessment.unit, policy.reminded(assessment.status)),
            kind=KIND_DEADLINE, title=title, body=body, url=url, dedupe_key=key,
        )  # fmt: skip
    return len(notifications_store(rows))


def _deadline_text(assessment: Assessment, days_left: int) -> tuple[Part, list[Part]]:
    params = {
        "unit": assessment.unit.name,
        "stage": Stage(assessment.stage).label,
        "date": assessment.deadline.strftime("%d-%m-%Y"),
        "days": days_left,
    }
    if days_left <= 0:
        title = gettext_noop("Batas tahap %(stage)s hari ini: %(unit)s")
    else:
        title = gettext_noop("Batas tahap %(stage)s %(days)s hari lagi: %(unit)s")
    title = message(title, **params)
    body = message(
        gettext_noop(
            "Batas waktu tahap %(stage)s periode ini adalah %(date)s. Status saat ini: "
            "“%(status)s”. Selesaikan tindakan yang diperlukan sebelum batas waktu."
        ),
        **params,
        status=Status(assessment.status).label,
    )
    return title, [body]
