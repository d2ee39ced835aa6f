"""Issue 19's "done when": an `updated_since` sync sees every change once: change, sync,
change again, sync; each change comes exactly once, nothing is repeated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Status

pytestmark = pytest.mark.django_db


def _walk(client, path, since) -> tuple[list, str]:
    """Every page of one sync (one row a page), and the moment to start the next one from."""
    rows, page = [], client.get(path, {"updated_since": since, "page_size": 1}).json()
    until = page["sync_until"]
    while True:
        rows += page["results"]
        if not page["next"]:
            return rows, until
        page = client.get(page["next"]).json()
        assert page["sync_until"] == until


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


def _save(client, assessment, code, value, revision=None):
    response = client.put(
        f"/api/v1/assessments/{assessment.pk}/answers/{code}/",
        {"layer": "self", "value": value, "revision": revision}, format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()["revision"]


def test_an_answers_sync_sees_every_change_once(api_as, building):
    operator, reader = api_as("operator"), api_as("reviewer")
    path = f"/api/v1/assessments/{building.pk}/answers/"
    start = (timezone.now() - timedelta(minutes=1)).isoformat()
    first = _save(operator, building, "P1.1.a", "Ya")
    _save(operator, building, "P1.1.b", "A")
    rows, until = _walk(reader, path, start)
    assert [(r["item"], r["value"]) for r in rows] == [("P1.1.a", "Ya"), ("P1.1.b", "A")]
    assert _walk(reader, path, until)[0] == []

    _save(operator, building, "P1.1.a", "Tidak", revision=first)
    rows, until = _walk(reader, path, until)
    assert [(r["item"], r["value"], r["revision"]) for r in rows] == [("P1.1.a", "Tidak", 2)]
    assert _walk(reader, path, until)[0] == []


def test_an_assessments_sync_sees_every_change_once(api_as, building, assessment_b, personas):
    admin = api_as("admin")
    start = (timezone.now() - timedelta(minutes=1)).isoformat()
    rows, until = _walk(admin, "/api/v1/assessments/", start)
    assert sorted(r["unit"] for r in rows) == ["KKA", "KKB"]
    assert _walk(admin, "/api/v1/assessments/", until)[0] == []

    _save(api_as("operator"), building, "P1.1.a", "Ya")  # an answer moves its assessment
    rows, until = _walk(admin, "/api/v1/assessments/", until)
    assert [(r["unit"], r["layer_totals"][0]["answered"]) for r in rows] == [("KKA", 1)]

    assessment_b.status = Status.PEMBANGUNAN
    assessment_b.save()
    rows, until = _walk(admin, "/api/v1/assessments/", until)
    assert [(r["unit"], r["status"]) for r in rows] == [("KKB", "pembangunan")]
    assert _walk(admin, "/api/v1/assessments/", until)[0] == []
