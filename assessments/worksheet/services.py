"""Answering the LKE in a layer and marking items returned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.models import Question
from assessments import permissions, policy
from assessments.assessment import Assessment, Layer
from assessments.worksheet.models import Answer, ItemReturn
from assessments.worksheet.scores import instrument_of
from core import audit
from core.errors import ConflictError, WorkflowError
from core.text import clean_note


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
        if (answer.value, answer.note, answer.updated_by_id) == (value, note, by.pk):
            # The same change again: a retry whose first try was saved but whose answer
            # never reached the browser. Nothing to record, and no conflict with oneself.
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
