"""services.answer_validate: every rule of the save path, asked without writing (the offline
workbook's preview asks it per row)."""

import pytest

from areas import scoring
from assessments.models import Answer, Assessment, Status
from assessments.worksheet.scores import instrument_of
from assessments.worksheet.services import answer_save, answer_validate
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


def test_an_identical_retry_touches_nothing(assessment, personas):
    """The same save again (a retry) writes nothing and leaves the assessment's updated_at
    and report content version alone: no sync, no report rebuilt."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    operator = personas["operator"]

    def save():
        return answer_save(
            assessment=assessment, question=question, layer="self", by=operator, value="Ya",
            note="ok", revision=None,
        )  # fmt: skip

    first = save()
    before = Assessment.objects.values("updated_at", "content_version").get(pk=assessment.pk)
    again = save()
    after = Assessment.objects.values("updated_at", "content_version").get(pk=assessment.pk)
    assert after == before
    assert (again.pk, again.revision) == (first.pk, 1)
    assert first.history.count() == 1
