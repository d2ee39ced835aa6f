"""A rule a unit misses reads the same in the refusal message, the proposals page and the
summary: its label, the value and the minimum with two decimals and the Indonesian comma."""

import re

import pytest
from django.urls import reverse

from assessments.models import Layer, Status
from assessments.services import assessment_transition
from core.errors import WorkflowError
from tests.assessments.helpers import answer_all, best_value
from tests.factories import AssessmentFactory

WORST = {"yes_no": "Tidak", "abc": "C", "abcd": "D", "abcde": "E"}
AREA_3 = "Area 3: 5,00 < 6,00"  # Pemenuhan of area 3 all missed: only its Reform 5 of 10
IPAK = "IPAK (survei persepsi korupsi): 15,66 < 15,75"  # index 3,58 of 4 × 17,5


def _short_of_wbk(question):
    if question.code == "H1.1.a":
        return "3.58"
    if question.code.startswith("P3."):
        return WORST[question.answer_type]
    return best_value(question)


@pytest.fixture
def passed_tpi(period, tree, personas):
    assessment = AssessmentFactory(
        period=period, unit=tree.kankemenag_a, status=Status.TPI_PASSED, target_predicate="WBK"
    )
    for layer in (Layer.SELF, Layer.TPI):
        answer_all(assessment, layer, personas["tpi"], _short_of_wbk, through_service=False)
    return assessment


def test_the_proposal_refusal_names_each_rule_as_the_page_shows_it(passed_tpi, personas):
    with pytest.raises(WorkflowError) as error:
        assessment_transition(assessment=passed_tpi, name="propose", by=personas["admin"])

    message = error.value.problems[0]
    assert AREA_3 in message and IPAK in message
    assert "area_3" not in message and "birokrasi_bersih" not in message
    assert not re.search(r"\d[.,]\d{3}", message), message  # never more than two decimals


def test_the_proposals_page_shows_the_same_words(client_for, passed_tpi):
    html = (
        client_for("admin")
        .get(reverse("assessments:proposals", args=[passed_tpi.period_id]))
        .content.decode()
    )

    assert AREA_3.replace("<", "&lt;") in html and "15,66 &lt; 15,75" in html


def test_the_summary_shows_the_same_words_and_the_shortfall(client_for, passed_tpi):
    html = (
        client_for("operator")
        .get(reverse("assessments:summary", args=[passed_tpi.pk]))
        .content.decode()
    )

    assert "Area 3: 5,00 &lt; 6,00 (kurang 1,00)" in html
    assert "15,66 &lt; 15,75 (kurang 0,09)" in html
