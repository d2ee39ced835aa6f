"""Each layer keeps its own answers; the engine scores each layer; the unit sees what it may."""

from decimal import Decimal

import pytest
from django.urls import reverse

from areas import scoring
from assessments import permissions
from assessments.models import Answer, Layer, Status
from assessments.worksheet.scores import instrument_of, layer_results
from assessments.worksheet.services import answer_save
from core.errors import ConflictError, WorkflowError
from tests.assessments.helpers import answer_all


def test_a_later_layer_never_overwrites_an_earlier_one(in_preliminary, personas):
    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    answer_save(
        assessment=in_preliminary,
        question=question,
        layer=Layer.PRELIMINARY,
        by=personas["reviewer"],
        value="C",
        note="Belum ada SK",
        revision=None,
    )
    self_answer = Answer.objects.get(assessment=in_preliminary, question=question, layer="self")
    review = Answer.objects.get(assessment=in_preliminary, question=question, layer="preliminary")
    assert (self_answer.value, self_answer.score) == ("A", Decimal(1))
    assert (review.value, review.score, review.note) == ("C", Decimal(0), "Belum ada SK")


def test_reviewer_cannot_write_the_self_layer_and_operator_cannot_write_a_review(
    in_preliminary, personas
):
    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    for user, layer in (
        (personas["reviewer"], Layer.SELF),
        (personas["operator"], Layer.PRELIMINARY),
    ):
        with pytest.raises(WorkflowError) as error:
            answer_save(
                assessment=in_preliminary,
                question=question,
                layer=layer,
                by=user,
                value="B",
                note="",
                revision=None,
            )
        assert error.value.forbidden


def test_per_layer_scores_equal_the_engine(in_preliminary, personas):
    answer_all(
        in_preliminary,
        Layer.PRELIMINARY,
        personas["reviewer"],
        value_for=lambda q: {"yes_no": "Tidak", "percent": 50, "survey_index": 3}.get(
            q.answer_type, "B"
        ),
        through_service=False,
    )
    instrument = instrument_of(in_preliminary)
    results = layer_results(in_preliminary, [Layer.SELF, Layer.PRELIMINARY])
    assert (
        results[Layer.SELF].total
        == scoring.score(
            instrument,
            {
                q.code: "Ya" if q.answer_type == "yes_no" else ("A" if q.options else 100)
                for q in instrument.questions
            },
            {h.code: "A" if h.options else 4 for h in instrument.hasil},
        ).total
    )
    assert results[Layer.SELF].total == Decimal(100)
    assert results[Layer.PRELIMINARY].total < results[Layer.SELF].total


def test_unit_sees_tpi_scores_only_after_the_decision_and_tpn_only_when_released(
    assessment, personas
):
    operator = personas["operator"]
    assessment.status = Status.TPI_REVIEW
    assert Layer.TPI not in permissions.visible_layers(operator, assessment)
    assessment.status = Status.TPI_PASSED
    assert Layer.TPI in permissions.visible_layers(operator, assessment)
    assessment.status = Status.GRANTED
    assert Layer.TPN not in permissions.visible_layers(operator, assessment)
    assessment.tpn_layer_released = True
    assert Layer.TPN in permissions.visible_layers(operator, assessment)


def test_two_people_saving_the_same_item_never_lose_a_change(in_preliminary, personas):
    question = in_preliminary.period.lke_version.questions.get(code="P1.2.b")
    first = answer_save(
        assessment=in_preliminary,
        question=question,
        layer=Layer.PRELIMINARY,
        by=personas["reviewer"],
        value="B",
        note="",
        revision=None,
    )
    # Both loaded revision 1; the first save wins, the second is told to reload.
    answer_save(
        assessment=in_preliminary,
        question=question,
        layer=Layer.PRELIMINARY,
        by=personas["reviewer"],
        value="A",
        note="",
        revision=first.revision,
    )
    with pytest.raises(ConflictError, match="sudah diubah oleh"):
        answer_save(
            assessment=in_preliminary,
            question=question,
            layer=Layer.PRELIMINARY,
            by=personas["reviewer"],
            value="C",
            note="",
            revision=first.revision,
        )
    assert Answer.objects.get(question=question, layer="preliminary").value == "A"


def test_autosave_returns_the_saved_state_and_the_computed_percentage(client_for, assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="R4.1.a")
    response = client_for("operator").post(
        reverse("assessments:answer_save", args=[assessment.pk, question.pk]),
        {"input_targets": "8", "input_achieved": "6", "note": "Perjanjian kinerja 2026"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Tersimpan" in page and "75.00 %" in page
    answer = Answer.objects.get(question=question, layer="self")
    assert answer.value == {"inputs": {"targets": 8, "achieved": 6}}
    assert answer.score == Decimal("0.75")


def test_bad_input_gets_a_translated_error_and_saves_nothing(client_for, assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="R4.1.a")
    response = client_for("operator").post(
        reverse("assessments:answer_save", args=[assessment.pk, question.pk]),
        {"input_targets": "8", "input_achieved": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Isi semua angka" in response.content.decode()
    assert not Answer.objects.filter(question=question).exists()


def test_conflict_is_shown_to_the_one_who_must_reload(client_for, assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    answer_save(
        assessment=assessment,
        question=question,
        layer="self",
        by=personas["operator"],
        value="Ya",
        note="",
        revision=None,
    )
    response = client_for("operator").post(
        reverse("assessments:answer_save", args=[assessment.pk, question.pk]),
        {"value": "Tidak", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert "Muat ulang" in response.content.decode()
    assert Answer.objects.get(question=question).value == "Ya"


def test_only_returned_items_are_editable_while_returned(assessment, personas):
    assessment.status = Status.RETURNED_PRELIMINARY
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    with pytest.raises(WorkflowError, match="hanya butir yang dikembalikan"):
        answer_save(
            assessment=assessment,
            question=question,
            layer="self",
            by=personas["operator"],
            value="Ya",
            note="",
            revision=None,
        )


def test_a_reviewers_tab_progress_counts_their_own_scores(in_preliminary, personas):
    from assessments.worksheet import selectors as worksheet

    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    answer_save(
        assessment=in_preliminary,
        question=question,
        layer=Layer.PRELIMINARY,
        by=personas["reviewer"],
        value="B",
        note="",
        revision=None,
    )
    reviewer_tab = worksheet.load(personas["reviewer"], in_preliminary, "1").tabs[0]
    unit_tab = worksheet.load(personas["operator"], in_preliminary, "1").tabs[0]
    assert reviewer_tab.answered == 1
    assert unit_tab.answered == unit_tab.total
