"""Answering the LKE in a layer and marking items returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.models import AnswerType, Question
from assessments import permissions
from assessments.assessment import LAYER_ORDER, Assessment, Layer
from assessments.worksheet import sources, tally
from assessments.worksheet.comments import COMMENT_MAX, comment_notify, comment_threads
from assessments.worksheet.models import Answer, ItemComment, ItemReturn
from assessments.worksheet.scores import instrument_of
from assessments.worksheet.selectors import items_open, tab_of
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


def _check_manual_index(assessment: Assessment, question: Question, value, note: str) -> None:
    """A unit's IPAK/IPKP that its portal survey did not give (a survey run by BPS or a
    university, say) is accepted with its source named and its report attached."""
    if sources.source().is_filled(assessment, question, value):
        return
    if not note:
        raise WorkflowError(
            _(
                "Indeks yang tidak diisi dari survei portal wajib diberi catatan sumbernya "
                '(misalnya "survei dilaksanakan oleh BPS").'
            )
        )
    if not assessment.evidence.filter(question=question, removed_at__isnull=True).exists():
        raise WorkflowError(
            _(
                "Indeks yang tidak diisi dari survei portal wajib didukung data dukung: unggah "
                "laporan survei pada butir ini terlebih dahulu."
            )
        )


def answer_validate(
    *, assessment: Assessment, question: Question, layer: str, by, value: Any, note: str
):
    """Every rule an answer must meet before it is written, without writing it: the layer is
    the one `by` writes now, the item is in this period's LKE (and open while the assessment
    is returned), the engine can score the value, and a unit's hand-typed index names its
    source. Returns the score (None for a cleared answer); raises WorkflowError. `note` is
    the cleaned note (core.text.clean_note)."""
    if permissions.writable_layer(by, assessment) != layer:
        raise WorkflowError(_("Anda tidak dapat mengisi lapisan ini sekarang."), forbidden=True)
    if question.version_id != assessment.period.lke_version_id:
        raise WorkflowError(_("Butir ini bukan bagian dari LKE periode ini."))
    open_items = items_open(assessment, layer)
    if open_items is not None and question.pk not in open_items:
        raise WorkflowError(
            _("Saat dikembalikan, hanya butir yang dikembalikan yang dapat diubah.")
        )
    score = None if value is None else _validated_score(assessment, question, value)
    is_index = question.answer_type == AnswerType.SURVEY_INDEX
    if layer == Layer.SELF and is_index and score is not None:
        _check_manual_index(assessment, question, value, note)
    return score


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
    score = answer_validate(
        assessment=assessment, question=question, layer=layer, by=by, value=value, note=note
    )
    stored = Answer.objects.filter(assessment=assessment, question=question, layer=layer).first()
    if stored is not None and _same_save(stored, value, note, by):
        return stored  # a retry: nothing written, the assessment and its reports not touched
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).touch()  # its reports show this answer
        answer, created = Answer.objects.select_for_update().get_or_create(
            assessment=assessment,
            question=question,
            layer=layer,
            defaults={"value": value, "score": score, "note": note, "updated_by": by},
        )
        if created:
            tally.record(
                assessment, layer,
                [tally.Change(question.indicator_id, None, False, score, value is not None)],
            )  # fmt: skip
            return answer
        if _same_save(answer, value, note, by):  # the same retry, saved in between
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
        was = tally.Change(
            question.indicator_id, answer.score, answer.value is not None,
            score, value is not None,
        )  # fmt: skip
        answer.value, answer.score, answer.note = value, score, note
        answer.revision += 1
        answer.updated_by = by
        answer.save()
        tally.record(assessment, layer, [was])
    return answer


def _same_save(answer: Answer, value, note: str, by) -> bool:
    """The same change again: a retry whose first try was saved but whose answer never
    reached the browser. Nothing to record, and no conflict with oneself."""
    return (answer.value, answer.note, answer.updated_by_id) == (value, note, by.pk)


ACCEPTED_FROM = "accepted from "  # the history's change reason, then the source layer


@dataclass
class Accepted:
    """What "accept the unit's answers" did, item by item (LKE codes)."""

    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the reviewer had already answered
    without: list[str] = field(default_factory=list)  # no earlier layer answered it


def answers_accept(*, assessment: Assessment, questions, by) -> Accepted:
    """A reviewer agrees with what came before: each item's answer in the nearest earlier
    layer that answered it (the pre-screen, else the unit's own) is copied into the
    reviewer's layer, as the reviewer's judgement (their name on it, a history entry saying
    where it came from). What the reviewer already entered is never overwritten."""
    layer = permissions.writable_layer(by, assessment)
    if layer in (None, Layer.SELF):
        raise WorkflowError(
            _("Anda tidak dapat menilai lapisan reviewer saat ini."), forbidden=True
        )
    earlier = LAYER_ORDER[: LAYER_ORDER.index(layer)]
    labels = dict(Layer.choices)
    done = Accepted()
    questions = list(questions)
    changes: list[tally.Change] = []
    try:
        with transaction.atomic():
            Assessment.objects.filter(pk=assessment.pk).touch()
            found = {
                (a.question_id, a.layer): a
                for a in Answer.objects.select_for_update()
                .filter(assessment=assessment, question__in=questions, layer__in=[*earlier, layer])
                .order_by()
            }
            for question in questions:
                mine = found.get((question.pk, layer))
                if mine is not None and mine.value is not None:
                    done.kept.append(question.code)
                    continue
                source = next(
                    (
                        found[(question.pk, older)]
                        for older in reversed(earlier)
                        if (question.pk, older) in found
                        and found[(question.pk, older)].value is not None
                    ),
                    None,
                )
                if source is None:
                    done.without.append(question.code)
                    continue
                answer = mine or Answer(assessment=assessment, question=question, layer=layer)
                score = _validated_score(assessment, question, source.value)
                changes.append(
                    tally.Change(
                        question.indicator_id, answer.score, answer.value is not None,
                        score, True,
                    )
                )  # fmt: skip
                answer.value = source.value
                answer.score = score
                answer.updated_by = by
                if mine is not None:
                    answer.revision += 1
                answer._change_reason = ACCEPTED_FROM + source.layer
                answer.save()
                done.copied.append(question.code)
            tally.record(assessment, layer, changes)
            if done.copied:
                audit.record(
                    "zi.answers.accepted", assessment, by=by, layer=layer, items=done.copied,
                    source=[str(labels[older]) for older in earlier],
                )  # fmt: skip
    except IntegrityError:  # someone saved one of these items in the same instant
        raise ConflictError(
            _("Butir ini baru saja diubah oleh orang lain. Muat ulang lalu coba lagi.")
        ) from None
    return done


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


def comment_add(*, assessment: Assessment, question: Question, by, thread: str, body: str):
    """Add a message to the conversation about one item between the unit and one reviewer
    layer, and tell the other side (their inbox and e-mail)."""
    threads = comment_threads(by, assessment)
    if thread not in threads.writable:
        raise WorkflowError(_("Anda tidak dapat menulis di diskusi ini."), forbidden=True)
    if question.version_id != assessment.period.lke_version_id:
        raise WorkflowError(_("Butir ini bukan bagian dari LKE periode ini."))
    body = clean_note(body, label=_("Komentar"), limit=COMMENT_MAX)
    if not body:
        raise WorkflowError(_("Tulis komentar terlebih dahulu."))
    with transaction.atomic():
        comment = ItemComment.objects.create(
            assessment=assessment,
            question=question,
            thread=thread,
            author=by,
            from_unit=threads.from_unit,
            body=body,
        )
        audit.record("zi.item_comment.added", comment, by=by, question=question.code, thread=thread)
        comment_notify(comment, tab=tab_of(question))
    return comment
