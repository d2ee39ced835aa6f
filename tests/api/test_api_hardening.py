"""What the security and correctness reviews of the API asked for: bad input is a 400 (never a
500), answers are never stored by a cache, tokens end with the account or its password, limits
count per account as well as per token, and a sync brings back what a rename changed."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from api import parsers
from api.forms import TokenForm
from api.models import ApiToken
from assessments.evidence.services import evidence_upload
from assessments.models import Answer, Status
from tests.assessments.test_evidence_files import make_pdf
from units.services import person_update, unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


@pytest.mark.parametrize(
    "query",
    [
        {"updated_since": "2026-02-30T00:00:00Z"},
        {"period": "²²²²"},
        {"page_size": "²"},
        {"cursor": "eyJwIjoiYWJjIn0"},  # {"p":"abc"}
    ],
)
def test_a_malformed_query_is_a_400(api_as, period, query):
    assert api_as("admin").get("/api/v1/assessments/", query).status_code == 400


def test_a_body_too_deep_or_too_large_is_a_400(api_as, building):
    url = f"/api/v1/assessments/{building.pk}/answers/P1.1.a/"
    client = api_as("operator")
    deep = "[" * 200_000 + "]" * 200_000
    assert client.put(url, deep, content_type="application/json").status_code == 400
    big = '{"layer": "self", "value": "Ya", "note": "' + "x" * parsers.MAX_BODY_BYTES + '"}'
    assert client.put(url, big, content_type="application/json").status_code == 400
    nan = '{"layer": "self", "value": NaN}'
    assert client.put(url, nan, content_type="application/json").status_code == 400


def test_api_answers_are_never_stored_by_a_cache(api_as, tree):
    response = api_as("operator").get("/api/v1/units/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_evidence_file_is_served_to_a_client_asking_for_its_type(
    api_as, personas, assessment, storage
):
    item = evidence_upload(
        assessment=assessment, kind="piagam", by=personas["operator"],
        uploaded_file=SimpleUploadedFile("piagam.pdf", make_pdf()),
    )  # fmt: skip
    url = f"/api/v1/assessments/{assessment.pk}/evidence/{item.pk}/file/"
    response = api_as("operator").get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_deactivating_a_person_revokes_their_tokens_for_good(personas, token_for, tree):
    raw = token_for("operator")
    person = personas["operator"]
    person_update(person=person, by=personas["admin"], is_active=False)
    person_update(person=person, by=personas["admin"], is_active=True)
    assert _client(raw).get("/api/v1/units/").status_code == 401
    assert ApiToken.objects.get(user=person).revoked_at is not None


def test_a_new_password_ends_the_tokens_made_before_it(personas, token_for, tree):
    raw = token_for("operator")
    assert _client(raw).get("/api/v1/units/").status_code == 200
    person = personas["operator"]
    person.set_password("Kata-Sandi-Baru-2026!")
    person.save()
    assert _client(raw).get("/api/v1/units/").status_code == 401


def test_a_personal_token_lasts_at_most_a_year():
    far = timezone.localdate() + timedelta(days=400)
    form = TokenForm(data={"name": "Skrip", "expiry": "date", "expires_on": far.isoformat()})
    assert not form.is_valid()
    assert "365" in str(form.errors)


def test_a_write_without_a_note_keeps_the_stored_note(api_as, building):
    client = api_as("operator")
    url = f"/api/v1/assessments/{building.pk}/answers/P1.1.a/"
    first = client.put(
        url, {"layer": "self", "value": "Ya", "note": "SK tim terlampir"}, format="json"
    )
    assert first.status_code == 200, first.content
    second = client.put(
        url, {"layer": "self", "value": "Tidak", "revision": first.json()["revision"]},
        format="json",
    )  # fmt: skip
    assert second.status_code == 200, second.content
    stored = Answer.objects.get(assessment=building, question__code="P1.1.a", layer="self")
    assert (stored.value, stored.note) == ("Tidak", "SK tim terlampir")


def test_many_tokens_of_one_account_share_its_limit(settings, personas, token_for, tree):
    from api.throttling import AccountRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    AccountRateThrottle.THROTTLE_RATES = {**AccountRateThrottle.THROTTLE_RATES, "account": "3/min"}
    try:
        clients = [_client(token_for("operator")) for _ in range(4)]
        statuses = [client.get("/api/v1/units/").status_code for client in clients]
    finally:
        AccountRateThrottle.THROTTLE_RATES = {
            **AccountRateThrottle.THROTTLE_RATES, "account": "1200/min"
        }  # fmt: skip
    assert statuses == [200, 200, 200, 429]


def test_a_renamed_unit_brings_its_assessments_back_in_the_next_sync(api_as, personas, assessment):
    admin = api_as("admin")
    start = (timezone.now() - timedelta(days=1)).isoformat()
    first = admin.get("/api/v1/assessments/", {"updated_since": start}).json()
    quiet = admin.get("/api/v1/assessments/", {"updated_since": first["sync_until"]}).json()
    assert quiet["results"] == []
    unit_update(unit=assessment.unit, by=personas["admin"], name="Kankemenag Kota Semarang Baru")
    again = admin.get("/api/v1/assessments/", {"updated_since": quiet["sync_until"]}).json()
    assert [row["unit_name"] for row in again["results"]] == ["Kankemenag Kota Semarang Baru"]


def test_a_refused_file_is_answered_in_json_whatever_the_client_accepts(api_as, assessment):
    url = f"/api/v1/assessments/{assessment.pk}/evidence/999999/file/"
    response = api_as("operator").get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
