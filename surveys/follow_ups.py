"""The unit's follow-up plan (rencana tindak lanjut) per low unsur of a survey: what it will
do, by when, and how far it got. Written by whoever runs the unit's surveys, read by everyone
who reads the survey's results."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import SurveyError, WorkflowError
from core.text import clean_note
from surveys.models import FollowUp, Survey
from surveys.permissions import can_manage_surveys

ACTION_MAX = 2000  # a paragraph per unsur: the report prints it in a table cell


def follow_up_save(
    *,
    survey: Survey,
    question_id: int,
    by,
    action: str,
    target_on: datetime.date | None,
    progress: int | None,
) -> FollowUp:
    """Create or change the plan for one unsur of `survey`; audited."""
    if not can_manage_surveys(by, survey.unit):
        raise SurveyError(_("Anda tidak berwenang mengubah rencana tindak lanjut."), forbidden=True)
    question = survey.instrument.questions.filter(pk=question_id).first()
    if question is None:
        raise SurveyError(_("Unsur ini bukan bagian dari instrumen survei."))
    try:
        action = clean_note(action, label=_("Rencana tindak lanjut"), limit=ACTION_MAX)
    except WorkflowError as error:
        raise SurveyError(str(error)) from None
    if not action:
        raise SurveyError(_("Rencana tindak lanjut wajib diisi."))
    if progress is None or not 0 <= progress <= 100:
        raise SurveyError(_("Kemajuan harus antara 0 dan 100 persen."))
    with transaction.atomic():
        item, created = FollowUp.objects.select_for_update().get_or_create(
            survey=survey,
            question=question,
            defaults={"action": action, "target_on": target_on, "progress": progress},
        )
        item.action, item.target_on, item.progress = action, target_on, progress
        item.updated_by = by
        item.save()
        audit.record(
            "zi.survey_follow_up.saved", item, by=by, survey=survey.pk, unsur=question.code,
            progress=progress, created=created,
        )  # fmt: skip
    return item
