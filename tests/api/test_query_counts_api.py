"""Every API list reads a fixed number of queries whatever its length (1 and 50 rows)."""

import pytest
from django.utils import timezone

from areas.models import Question
from assessments.models import (
    Answer,
    Assessment,
    Evidence,
    Layer,
    LayerTally,
    PredicateAward,
    Status,
    TransitionEvent,
)
from assessments.worksheet import tally
from tests.factories import UnitFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def _units(tree, n):
    return [
        UnitFactory(code=f"MQ{i:03d}", kind=UnitKind.MADRASAH, parent=tree.kankemenag_a)
        for i in range(n)
    ]


def _assessments(tree, period, personas, n):
    out = []
    for unit in _units(tree, n):
        a = Assessment.objects.create(
            period=period, unit=unit, target_predicate="WBK", status=Status.PEMBANGUNAN
        )
        TransitionEvent.objects.create(
            assessment=a, transition="start", from_status=Status.PENCANANGAN,
            to_status=Status.PEMBANGUNAN, by=personas["operator"],
        )  # fmt: skip
        LayerTally.objects.create(assessment=a, layer=Layer.SELF, part=tally.WHOLE, answered=3)
        out.append(a)
    return out


def _read(client, path, django_assert_max_num_queries, limit, n, **params):
    params["page_size"] = 100
    client.get(path, params)  # the token's first use is recorded once; count the next request
    with django_assert_max_num_queries(limit):
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == n
    return response


@pytest.mark.parametrize("n", SIZES)
def test_assessment_list_queries(n, api_as, tree, period, personas, django_assert_max_num_queries):
    _assessments(tree, period, personas, n)
    _read(api_as("reviewer"), "/api/v1/assessments/", django_assert_max_num_queries, 8, n)


@pytest.mark.parametrize("n", SIZES)
def test_answer_list_queries(n, api_as, assessment, personas, django_assert_max_num_queries):
    questions = Question.objects.filter(version=assessment.period.lke_version)[:n]
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, layer=Layer.SELF, value=None,
               updated_by=personas["operator"])
        for q in questions
    )  # fmt: skip
    path = f"/api/v1/assessments/{assessment.pk}/answers/"
    _read(api_as("operator"), path, django_assert_max_num_queries, 8, n)


@pytest.mark.parametrize("n", SIZES)
def test_evidence_list_queries(n, api_as, assessment, personas, django_assert_max_num_queries):
    question = Question.objects.filter(version=assessment.period.lke_version).first()
    Evidence.objects.bulk_create(
        Evidence(assessment=assessment, kind="answer", question=question, file=f"e/{i}.pdf",
                 original_name=f"{i}.pdf", size=10, uploaded_by=personas["operator"])
        for i in range(n)
    )  # fmt: skip
    path = f"/api/v1/assessments/{assessment.pk}/evidence/"
    response = _read(api_as("reviewer"), path, django_assert_max_num_queries, 8, n)
    assert response.json()["results"][0]["download_url"].startswith("http://testserver/")


@pytest.mark.parametrize("n", SIZES)
def test_award_list_queries(n, api_as, tree, personas, django_assert_max_num_queries):
    for unit in _units(tree, n):
        PredicateAward.objects.create(
            unit=unit, year=2024, predicate="WBK", sk_number="SK", granted_at=timezone.now(),
            granted_by=personas["admin"], layer_scores={"tpi": "80.5"},
        )  # fmt: skip
    _read(api_as("operator"), "/api/v1/awards/", django_assert_max_num_queries, 8, n)


@pytest.mark.parametrize("n", SIZES)
def test_readiness_queries(n, api_as, tree, period, personas, django_assert_max_num_queries):
    _assessments(tree, period, personas, n)
    readiness = "/api/v1/readiness/"
    _read(api_as("admin"), readiness, django_assert_max_num_queries, 20, n, period=period.year)
