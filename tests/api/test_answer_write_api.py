"""PUT /api/v1/assessments/<id>/answers/<code>/: the worksheet's save path for a unit's own
tools: the same rules as the autosave, a stale revision is a 409 with both values."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from api.models import ServiceAccount
from api.services import token_create
from areas import scoring
from assessments.models import Answer, Layer, Status
from assessments.worksheet.scores import instrument_of
from tests.factories import MembershipFactory, UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db
ITEM = "P1.1.a"


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


def _put(client, assessment, body, code=ITEM):
    return client.put(f"/api/v1/assessments/{assessment.pk}/answers/{code}/", body, format="json")


def test_the_operator_saves_and_the_score_is_the_engines(api_as, building):
    response = _put(api_as("operator"), building, {"layer": "self", "value": "Ya", "note": "ok"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["item"], body["layer"], body["value"], body["revision"]) == (
        ITEM, "self", "Ya", 1
    )  # fmt: skip
    stored = Answer.objects.get(assessment=building, layer=Layer.SELF, question__code=ITEM)
    engine = scoring.question_score(instrument_of(building), ITEM, "Ya")
    assert stored.score == engine
    assert Decimal(body["score"]) == engine
    assert stored.note == "ok"
    assert building.tallies.filter(layer=Layer.SELF).exists()  # the tally moved with it


def test_a_retry_with_the_same_value_is_not_a_second_revision(api_as, building):
    client = api_as("operator")
    first = _put(client, building, {"layer": "self", "value": "Ya", "revision": None})
    again = _put(client, building, {"layer": "self", "value": "Ya", "revision": None})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["revision"] == 1
    answer = Answer.objects.get(assessment=building, question__code=ITEM)
    assert answer.revision == 1
    assert answer.history.count() == 1


def test_a_stale_revision_is_a_409_with_both_values(api_as, building):
    client = api_as("operator")
    _put(client, building, {"layer": "self", "value": "Ya"})
    second = _put(client, building, {"layer": "self", "value": "Tidak", "revision": 1})
    assert second.json()["revision"] == 2
    stale = _put(client, building, {"layer": "self", "value": "Ya", "note": "x", "revision": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert "sudah diubah" in body["detail"]
    assert body["yours"] == {"value": "Ya", "note": "x", "revision": 1}
    assert body["current"]["value"] == "Tidak"
    assert body["current"]["revision"] == 2
    assert body["current"]["updated_by"]
    assert Answer.objects.get(assessment=building, question__code=ITEM).value == "Tidak"


def test_a_layer_not_writable_now_is_a_403(api_as, assessment, building):
    client = api_as("operator")
    assert _put(client, building, {"layer": "tpi", "value": "Ya"}).status_code == 403
    assert _put(api_as("reviewer"), building, {"layer": "self", "value": "Ya"}).status_code == 403
    building.status = Status.SUBMITTED
    building.save()
    refused = _put(client, building, {"layer": "self", "value": "Ya"})
    assert refused.status_code == 403
    assert "tidak dapat mengisi" in refused.json()["detail"]
    assert not Answer.objects.exists()


def test_a_bad_value_is_a_translated_400(api_as, building):
    client = api_as("operator")
    refused = _put(client, building, {"layer": "self", "value": "Mungkin"})
    assert refused.status_code == 400
    assert refused.json()["value"] == ["Pilih salah satu jawaban yang tersedia."]
    assert _put(client, building, {"layer": "self", "value": True}).status_code == 400
    assert _put(client, building, {"layer": "sideways", "value": "Ya"}).status_code == 400
    assert _put(client, building, {"layer": "self", "value": "Ya"}, code="X9").status_code == 404
    assert not Answer.objects.exists()


def test_a_bad_value_speaks_the_callers_language(api_as, building):
    client = api_as("operator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # as the pages' language switch
    refused = _put(client, building, {"layer": "self", "value": "Mungkin"})
    assert refused.status_code == 400
    assert refused.json()["value"] == ["Choose one of the available answers."]


def test_a_service_account_only_reads(building, tree):
    user = UserFactory(email="gudang@example.id")
    MembershipFactory(user=user, unit=tree.kankemenag_a, role=Role.OPERATOR)
    ServiceAccount.objects.create(user=user)
    raw = token_create(user=user, name="gudang", expires_at=None, by=user)[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"/api/v1/assessments/{building.pk}/").status_code == 200
    assert _put(client, building, {"layer": "self", "value": "Ya"}).status_code == 403


def test_a_session_write_needs_the_csrf_token(building, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["operator"])
    refused = client.put(
        f"/api/v1/assessments/{building.pk}/answers/{ITEM}/",
        '{"layer": "self", "value": "Ya"}', content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 403
    assert not Answer.objects.exists()


def test_a_small_json_number_is_read_as_the_form_reads_it(api_as, building):
    """0.00001 is not sent to the form's parser as "1e-05" (which it refuses)."""
    question = building.period.lke_version.questions.get(code="R1.1.a")
    assert question.answer_type == "percent"
    question.inputs, question.formula = [], ""  # a percent typed as one number
    question.save()
    client = api_as("operator")
    response = _put(client, building, {"layer": "self", "value": 0.00001}, code=question.code)
    assert response.status_code == 200, response.content
    assert Answer.objects.get(assessment=building, question=question).value == 0.00001
