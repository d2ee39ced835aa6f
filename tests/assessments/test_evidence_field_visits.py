"""TPN's field-visit attachments go through the same evidence service: TPN adds them during its
visit (assessment proposed); the unit and the reviewers read them only once the TPN layer is
released, like TPN's findings and scores."""

import pytest
from django.urls import reverse

from assessments.evidence.services import evidence_remove
from assessments.models import Assessment, EvidenceKind, Status
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    put,
)


@pytest.fixture
def proposed(assessment) -> Assessment:
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    return assessment


def _attach(assessment, by, name="berita acara.pdf"):
    return put(assessment, by, name, make_pdf(), kind=EvidenceKind.FIELD_VISIT)


def test_tpn_attaches_and_removes_during_the_visit(storage, proposed, personas):
    item = _attach(proposed, personas["tpn"])
    assert item.kind == EvidenceKind.FIELD_VISIT and item.question is None
    evidence_remove(evidence=item, by=personas["tpn"])


@pytest.mark.parametrize("persona", ["operator", "reviewer", "tpi", "admin"])
def test_nobody_else_attaches(storage, proposed, personas, persona):
    with pytest.raises(EvidenceError) as error:
        _attach(proposed, personas[persona])
    assert error.value.forbidden


def test_tpn_attaches_only_while_proposed(storage, proposed, personas):
    proposed.status = Status.GRANTED
    proposed.save()
    with pytest.raises(EvidenceError):
        _attach(proposed, personas["tpn"])


def test_the_unit_reads_attachments_only_once_released(storage, proposed, personas, client_for):
    item = _attach(proposed, personas["tpn"])
    download = reverse("assessments:evidence_download", args=[proposed.pk, item.pk])
    listing = reverse("assessments:evidence_list", args=[proposed.pk])
    assert client_for("tpn").get(download).status_code == 200
    assert client_for("tpn").get(listing, {"kind": "field_visit"}).status_code == 200
    operator = client_for("operator")
    assert operator.get(download).status_code == 403
    assert operator.get(listing, {"kind": "field_visit"}).status_code == 403
    proposed.tpn_layer_released = True
    proposed.save()
    assert operator.get(download).status_code == 200
    page = operator.get(listing, {"kind": "field_visit"}).content.decode()
    assert "berita acara.pdf" in page and "evidence-upload-form" not in page


def test_upload_view_takes_field_visit_attachments_from_tpn(storage, proposed, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("assessments:evidence_upload", args=[proposed.pk])
    data = {"kind": "field_visit", "files": [SimpleUploadedFile("foto.pdf", make_pdf())]}
    assert client_for("operator").post(url, data).status_code == 403
    data["files"] = [SimpleUploadedFile("foto.pdf", make_pdf())]
    response = client_for("tpn").post(url, data, HTTP_ACCEPT="application/json")
    assert response.json()["accepted"][0]["name"] == "foto.pdf"
