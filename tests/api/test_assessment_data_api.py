"""What the assessment, evidence, award and readiness endpoints return, and their filters."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.services import evidence_upload
from assessments.models import Evidence, PredicateAward, Status, TransitionEvent
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, PeriodFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_assessments_filter_by_period_unit_subtree_and_status(
    api_as, assessment, assessment_b, tree, lke, personas
):
    later = AssessmentFactory(
        period=PeriodFactory(year=2027, lke_version=lke), unit=tree.madrasah_a,
        status=Status.PEMBANGUNAN,
    )  # fmt: skip
    TransitionEvent.objects.create(
        assessment=later, transition="start", from_status=Status.PENCANANGAN,
        to_status=Status.PEMBANGUNAN, by=personas["operator"],
    )  # fmt: skip
    admin = api_as("admin")
    units = lambda **q: sorted(r["unit"] for r in _rows(admin.get("/api/v1/assessments/", q)))  # noqa: E731
    assert units() == ["KKA", "KKB", "MINA"]
    assert units(period=2026) == ["KKA", "KKB"]
    assert units(unit="KKA") == ["KKA"]
    assert units(within="KWA") == ["KKA", "MINA"]
    assert units(status="pembangunan") == ["MINA"]
    assert admin.get("/api/v1/assessments/", {"status": "asleep"}).status_code == 400
    assert admin.get("/api/v1/assessments/", {"period": "20x6"}).status_code == 400
    row = admin.get(f"/api/v1/assessments/{later.pk}/").json()
    assert [d["stage"] for d in row["stage_dates"]] == ["pencanangan", "pembangunan"]
    assert row["history"][0]["to_status"] == "pembangunan"
    assert row["deadline"] == "2027-04-30"
    assert (row["period"], row["status_label"]) == (2027, "Pembangunan: mengisi LKE")


def test_evidence_is_metadata_with_the_portals_download_link(api_as, assessment, personas, storage):
    item = evidence_upload(
        assessment=assessment, kind="piagam", by=personas["operator"],
        uploaded_file=SimpleUploadedFile("piagam.pdf", make_pdf()),
    )  # fmt: skip
    Evidence.objects.create(
        assessment=assessment, kind="field_visit", file="evidence/visit.pdf",
        original_name="visit.pdf", uploaded_by=personas["admin"],
    )  # fmt: skip
    path = f"/api/v1/assessments/{assessment.pk}/evidence/"
    (row,) = _rows(api_as("operator").get(path))  # TPN's findings: not before their release
    assert row["file_name"] == "piagam.pdf"
    assert row["sha256"] == item.sha256 and row["size"] == item.size
    assert row["removed"] is False
    assert row["download_url"] == (
        f"http://testserver/assessments/{assessment.pk}/evidence/{item.pk}/download/"
    )
    assert "file" not in row and item.file.name not in str(row)
    assert {r["kind"] for r in _rows(api_as("admin").get(path))} == {"piagam", "field_visit"}
    assessment.tpn_layer_released = True
    assessment.save()
    assert len(_rows(api_as("operator").get(path))) == 2


def test_awards_are_read_in_scope_and_filtered(api_as, tree, personas):
    PredicateAward.objects.create(
        unit=tree.kankemenag_a, year=2024, predicate="WBK", sk_number="SK-A",
        layer_scores={"tpi": "81.234", "tpn": "80.5"},
    )  # fmt: skip
    PredicateAward.objects.create(unit=tree.madrasah_a, year=2025, predicate="WBK", sk_number="B")
    PredicateAward.objects.create(unit=tree.kankemenag_b, year=2024, predicate="WBK", sk_number="C")
    reviewer = api_as("reviewer")
    assert sorted(r["sk_number"] for r in _rows(reviewer.get("/api/v1/awards/"))) == ["B", "SK-A"]
    assert [r["sk_number"] for r in _rows(reviewer.get("/api/v1/awards/?year=2024"))] == ["SK-A"]
    assert [r["unit"] for r in _rows(reviewer.get("/api/v1/awards/?unit=MINA"))] == ["MINA"]
    assert reviewer.get("/api/v1/awards/?within=KWB").status_code == 404
    (row,) = _rows(api_as("operator_b").get("/api/v1/awards/"))
    assert row["sk_number"] == "C"
    first = _rows(api_as("operator").get("/api/v1/awards/?year=2024"))[0]
    assert first["layer_scores"] == {"tpi": "81.234", "tpn": "80.5"}


def test_readiness_rows_are_the_exports_for_the_admin_only(api_as, assessment, assessment_b):
    admin = api_as("admin")
    first = admin.get("/api/v1/readiness/", {"period": 2026, "page_size": 1}).json()
    second = admin.get(first["next"]).json()
    assert [r["unit"] for r in first["results"] + second["results"]] == ["KKA", "KKB"]
    assert second["next"] is None
    assert first["results"][0]["item_count"] == 113
    assert _rows(admin.get("/api/v1/readiness/", {"period": 2026, "kind": "madrasah"})) == []
    assert admin.get("/api/v1/readiness/", {"period": 2026, "kind": "x"}).status_code == 400
    assert admin.get("/api/v1/readiness/").status_code == 400
    assert admin.get("/api/v1/readiness/", {"period": 1999}).status_code == 404
    assert api_as("reviewer").get("/api/v1/readiness/", {"period": 2026}).status_code == 403


def test_a_token_downloads_an_evidence_file_it_may_read_and_only_that(
    api_as, personas, assessment, storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.evidence.services import evidence_upload
    from tests.assessments.test_evidence_files import make_pdf

    content = make_pdf()
    item = evidence_upload(
        assessment=assessment, kind="piagam", by=personas["operator"],
        uploaded_file=SimpleUploadedFile("piagam.pdf", content),
    )  # fmt: skip
    listed = api_as("operator").get(f"/api/v1/assessments/{assessment.pk}/evidence/").json()
    file_url = next(row["file_url"] for row in listed["results"] if row["id"] == item.pk)

    response = api_as("operator").get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, no-store"
    assert api_as("operator_b").get(file_url).status_code == 404
    assert api_as("anonymous").get(file_url).status_code == 401
