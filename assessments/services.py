"""Business rules of an assessment: stage transitions, layered answers, returned items."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.models import Question
from assessments import checks, notices, permissions, policy
from assessments.models import (
    Answer,
    Assessment,
    ItemReturn,
    Layer,
    TransitionEvent,
)
from assessments.scores import instrument_of
from assessments.workflow import TRANSITIONS
from core import audit
from core.errors import DomainError
from core.text import TextError, clean_text
from units.models import Role


class WorkflowError(DomainError):
    """A rule of the programme was broken (core.errors.DomainError: message, problems,
    forbidden)."""


class ConflictError(WorkflowError):
    """Someone else saved the same item since this user loaded it."""


NOTE_MAX = 4000  # a page of text: more than any note, justification or finding needs


def clean_note(value: str | None, *, label: str, limit: int = NOTE_MAX, multiline=True) -> str:
    """Free text as the services store it: control characters removed, a NUL byte or an
    overlong text refused with a message naming the field (core.text)."""
    try:
        text = clean_text(value, multiline=multiline).strip()
    except TextError as error:
        raise WorkflowError(f"{label}: {error}") from None
    if len(text) > limit:
        raise WorkflowError(
            _("%(field)s terlalu panjang (%(n)s karakter; maksimum %(max)s).")
            % {"field": label, "n": len(text), "max": limit}
        )
    return text


# --------------------------------------------------------------------------- transitions


def assessment_transition(
    *,
    assessment: Assessment,
    name: str,
    by,
    note: str = "",
    override_note: str = "",
    sk_number: str = "",
    sk_date: datetime.date | None = None,
) -> TransitionEvent:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(_("Tindakan tidak dikenal."))
    note = clean_note(note, label=_("Catatan"))
    override_note = clean_note(override_note, label=_("Justifikasi"))
    sk_number = clean_note(sk_number, label=_("Nomor SK"), limit=120, multiline=False)
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("period__lke_version", "unit")
            .get(pk=assessment.pk)
        )
        if assessment.status not in transition.sources:
            raise WorkflowError(
                _("“%(action)s” tidak dapat dilakukan saat status “%(status)s”.")
                % {"action": transition.label, "status": assessment.get_status_display()}
            )
        if not permissions.has_role_on(by, assessment, *transition.roles):
            raise WorkflowError(
                _("Anda tidak berwenang melakukan “%(action)s”.") % {"action": transition.label},
                forbidden=True,
            )
        if transition.note_required and not note.strip():
            raise WorkflowError(
                _("Catatan wajib diisi untuk “%(action)s”.") % {"action": transition.label}
            )
        role = transition.roles[0]
        context = checks.Context(
            assessment=assessment,
            by=by,
            layer=policy.layer_written({role}, assessment.status),
            note=note,
            override_note=override_note,
            sk_number=sk_number,
            sk_date=sk_date,
        )
        problems = [p for condition in transition.conditions for p in condition(context)]
        if problems:
            raise WorkflowError(
                _("“%(action)s” belum dapat dilakukan:") % {"action": transition.label}, problems
            )
        event = TransitionEvent.objects.create(
            assessment=assessment,
            transition=name,
            from_status=assessment.status,
            to_status=transition.target,
            note="\n\n".join(filter(None, [note.strip(), override_note.strip()])),
            by=by,
        )
        for effect in transition.effects:
            effect(context)
        audit.record(
            f"zi.assessment.{name}", assessment, by=by, event=event.pk,
            from_status=event.from_status, to_status=event.to_status,
        )  # fmt: skip
        assessment.status = transition.target
        assessment.status_changed_at = timezone.now()
        assessment.content_version += 1  # the row is locked: its reports show the new status
        assessment.save()
        transaction.on_commit(lambda: notices.transition_made(event_id=event.pk))
    return event


def allowed_transitions(user, assessment: Assessment):
    """Transitions the user could attempt now (conditions are checked when attempted)."""
    from assessments.workflow import transitions_from

    return [
        t for t in transitions_from(assessment.status)
        if permissions.has_role_on(user, assessment, *t.roles)
    ]  # fmt: skip


# --------------------------------------------------------------------------- answers


def _validated_score(assessment: Assessment, question: Question, value: Any):
    instrument = instrument_of(assessment)
    try:
        if question.code in instrument.index.hasil:
            return scoring.hasil_points(instrument, question.code, value)
        return scoring.question_score(instrument, question.code, value)
    except scoring.AnswerError as error:
        raise WorkflowError(_("Jawaban tidak valid: %(error)s") % {"error": error}) from None


def answer_save(
    *,
    assessment: Assessment,
    question: Question,
    layer: str,
    by,
    value: Any,
    note: str,
    revision: int | None,
) -> Answer:
    """Save one layer's answer. `revision` is the one the user started from (None for a new
    answer): if someone saved in between, nothing is written and ConflictError says who."""
    if permissions.writable_layer(by, assessment) != layer:
        raise WorkflowError(_("Anda tidak dapat mengisi lapisan ini sekarang."), forbidden=True)
    note = clean_note(note, label=_("Catatan"))
    if question.version_id != assessment.period.lke_version_id:
        raise WorkflowError(_("Butir ini bukan bagian dari LKE periode ini."))
    if layer == Layer.SELF and policy.POLICY[assessment.status].only_returned_items:
        returned = assessment.returns.filter(question=question, resolved_at__isnull=True)
        if not returned.exists():
            raise WorkflowError(
                _("Saat dikembalikan, hanya butir yang dikembalikan yang dapat diubah.")
            )
    score = None if value is None else _validated_score(assessment, question, value)
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).touch()  # its reports show this answer
        answer, created = Answer.objects.select_for_update().get_or_create(
            assessment=assessment,
            question=question,
            layer=layer,
            defaults={"value": value, "score": score, "note": note, "updated_by": by},
        )
        if created:
            return answer
        if revision != answer.revision:
            raise ConflictError(
                _(
                    "Butir %(code)s sudah diubah oleh %(who)s pada %(when)s. Muat ulang untuk "
                    "melihat perubahannya; isian Anda belum disimpan."
                )
                % {
                    "code": question.code,
                    "who": answer.updated_by.get_full_name() if answer.updated_by else "-",
                    "when": timezone.localtime(answer.updated_at).strftime("%d-%m-%Y %H:%M"),
                }
            )
        answer.value, answer.score, answer.note = value, score, note
        answer.revision += 1
        answer.updated_by = by
        answer.save()
    return answer


def item_return(*, assessment: Assessment, question: Question, by, note: str) -> ItemReturn:
    """Mark an item to send back to the unit, with the note saying what to fix."""
    layer = permissions.writable_layer(by, assessment)
    if layer not in (Layer.PRELIMINARY, Layer.TPI):
        raise WorkflowError(_("Anda tidak dapat mengembalikan butir saat ini."), forbidden=True)
    if not note.strip():
        raise WorkflowError(_("Catatan perbaikan wajib diisi untuk butir yang dikembalikan."))
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).touch()
        item, _created = ItemReturn.objects.select_for_update().update_or_create(
            assessment=assessment,
            question=question,
            layer=layer,
            resolved_at=None,
            defaults={"note": note.strip(), "created_by": by},
        )
        audit.record("zi.item_return.marked", item, by=by, question=question.code, layer=layer)
    return item


def item_return_cancel(*, assessment: Assessment, question: Question, by) -> None:
    layer = permissions.writable_layer(by, assessment)
    if layer not in (Layer.PRELIMINARY, Layer.TPI):
        raise WorkflowError(_("Anda tidak dapat mengubah tanda butir saat ini."), forbidden=True)
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).touch()
        now = timezone.now()
        for item in (
            ItemReturn.objects.select_for_update()
            .filter(assessment=assessment, question=question, layer=layer, resolved_at__isnull=True)
            .order_by("pk")  # the default ordering joins the question: no FOR UPDATE on that
        ):  # kept, as cancelled: no longer open, still in the record
            item.resolved_at = item.cancelled_at = now
            item.cancelled_by = by
            item.save(update_fields=["resolved_at", "cancelled_at", "cancelled_by"])
            audit.record("zi.item_return.cancelled", item, by=by, question=question.code)


def assessment_release_tpn_layer(*, assessment: Assessment, by, released: bool) -> None:
    if not permissions.has_role_on(by, assessment, Role.ADMIN):
        raise WorkflowError(_("Hanya Admin nasional yang dapat membuka nilai TPN."), forbidden=True)
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            tpn_layer_released=released, content_version=F("content_version") + 1
        )
        code = "zi.assessment.tpn_released" if released else "zi.assessment.tpn_closed"
        audit.record(code, assessment, by=by)
