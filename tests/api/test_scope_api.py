"""Issue 19's "done when": a token of Sleman's operator reads nothing of Semarang, on every
data endpoint (a list is empty, anything named is a 404, a write is a 404)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.services import evidence_upload
from assessments.models import PredicateAward, Status
from tests.assessments.test_evidence_files import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def semarang(assessment, personas, storage):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    evidence_upload(
        assessment=assessment, kind="piagam", by=personas["operator"],
        uploaded_file=SimpleUploadedFile("piagam.pdf", make_pdf()),
    )  # fmt: skip
    PredicateAward.objects.create(
        unit=assessment.unit, year=2024, predicate="WBK", sk_number="SK-1"
    )
    return assessment


def _results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_sleman_operator_token_reads_nothing_of_semarang(api_as, semarang, assessment_b):
    sleman = api_as("operator_b")
    base = f"/api/v1/assessments/{semarang.pk}"
    assert [row["unit"] for row in _results(sleman.get("/api/v1/assessments/"))] == ["KKB"]
    assert _results(sleman.get("/api/v1/awards/")) == []
    assert sleman.get("/api/v1/assessments/?within=KKA").status_code == 404
    assert sleman.get("/api/v1/awards/?unit=KKA").status_code == 404
    for path in (f"{base}/", f"{base}/answers/", f"{base}/evidence/"):
        assert sleman.get(path).status_code == 404, path
    write = sleman.put(f"{base}/answers/P1.1.a/", {"layer": "self", "value": "Ya"}, format="json")
    assert write.status_code == 404
    assert not semarang.answers.exists()
    assert sleman.get("/api/v1/readiness/?period=2026").status_code == 403


def test_semarang_operator_reads_its_own(api_as, semarang):
    own = api_as("operator")
    base = f"/api/v1/assessments/{semarang.pk}"
    assert [row["unit"] for row in _results(own.get("/api/v1/assessments/"))] == ["KKA"]
    assert own.get(f"{base}/").json()["unit_name"] == "Kankemenag Kota Semarang"
    assert [row["sk_number"] for row in _results(own.get("/api/v1/awards/"))] == ["SK-1"]
    assert [row["kind"] for row in _results(own.get(f"{base}/evidence/"))] == ["piagam"]


def test_tpn_sees_an_assessment_only_once_proposed(api_as, semarang):
    tpn = api_as("tpn")
    assert _results(tpn.get("/api/v1/assessments/")) == []
    assert tpn.get(f"/api/v1/assessments/{semarang.pk}/").status_code == 404
