"""services.answer_validate: every rule of the save path, asked without writing (the offline
workbook's preview asks it per row)."""

import pytest

from areas import scoring
from assessments.models import Answer, Status
from assessments.worksheet.scores import instrument_of
from assessments.worksheet.services import answer_validate
from core.errors import WorkflowError

pytestmark = pytest.mark.django_db


def _validate(assessment, by, code, value, note="", layer="self"):
    question = assessment.period.lke_version.questions.get(code=code)
    return answer_validate(
        assessment=assessment, question=question, layer=layer, by=by, value=value, note=note
    )


def test_a_valid_answer_gives_the_engines_score_and_writes_nothing(assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    score = _validate(assessment, personas["operator"], "P1.1.a", "Ya")
    assert score == scoring.question_score(instrument_of(assessment), "P1.1.a", "Ya")
    assert _validate(assessment, personas["operator"], "P1.1.a", None) is None
    assert not Answer.objects.exists()


def test_each_rule_of_the_save_is_asked(assessment, personas):
    operator = personas["operator"]
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    with pytest.raises(WorkflowError, match="tidak dapat mengisi lapisan ini"):
        _validate(assessment, operator, "P1.1.a", "Ya", layer="tpi")
    with pytest.raises(WorkflowError, match="Jawaban tidak valid"):
        _validate(assessment, operator, "P1.1.a", "Mungkin")
    with pytest.raises(WorkflowError, match="wajib diberi catatan"):
        _validate(assessment, operator, "H1.1.a", 3.5)
    assessment.status = Status.RETURNED_PRELIMINARY
    assessment.save()
    with pytest.raises(WorkflowError, match="hanya butir yang dikembalikan"):
        _validate(assessment, operator, "P1.1.a", "Ya")
    assert not Answer.objects.exists()
