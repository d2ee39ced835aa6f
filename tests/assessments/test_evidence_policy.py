"""Admin nasional edits the upload limits in the portal; object storage serves signed URLs."""

import pytest
from django.urls import reverse

from assessments.evidence.limits import evidence_policy_update
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_image,
    make_pdf,
    open_assessment_fixture,
    put,
    question_fixture,
)


def test_admin_lowers_the_file_limit_and_uploads_follow_it(
    client_for, open_assessment, personas, question, storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            reverse("assessments:evidence_policy"),
            {"max_file_mb": "1", "unit_quota_mb": "", "allowed_types": "pdf"},
        )
    assert response.status_code == 302
    with pytest.raises(EvidenceError, match="terlalu besar"):
        put(open_assessment, personas["operator"], "besar.pdf", make_pdf(b"x" * (2 * 1024 * 1024)),
            question=question)  # fmt: skip
    with pytest.raises(EvidenceError, match="tidak diizinkan"):
        put(open_assessment, personas["operator"], "foto.png", make_image("PNG"), question=question)
    assert put(open_assessment, personas["operator"], "kecil.pdf", make_pdf(), question=question)


def test_unknown_type_is_refused_with_a_message(client_for, db, personas):
    response = client_for("admin").post(
        reverse("assessments:evidence_policy"), {"allowed_types": "pdf, exe"}
    )
    assert response.status_code == 200
    assert "Tipe tidak dikenal: exe" in response.content.decode()


def test_only_admins_change_limits(personas):
    with pytest.raises(EvidenceError) as error:
        evidence_policy_update(
            max_file_mb=100, unit_quota_mb=None, allowed_types="", by=personas["operator"]
        )
    assert error.value.forbidden


def test_with_object_storage_downloads_are_short_lived_signed_urls(
    client_for, open_assessment, personas, question, storage, settings, mocker
):
    item = put(open_assessment, personas["operator"], "sk.pdf", make_pdf(), question=question)
    settings.ZI_S3_BUCKET = "zi-private"
    signed = mocker.patch(
        "django.core.files.storage.FileSystemStorage.url",
        return_value="https://s3.example/zi-private/x?X-Amz-Expires=300&X-Amz-Signature=abc",
    )
    response = client_for("reviewer").get(
        reverse("assessments:evidence_download", args=[open_assessment.pk, item.pk])
    )
    assert response.status_code == 302 and "X-Amz-Signature" in response.url
    _name, kwargs = signed.call_args
    assert kwargs["expire"] == 300
    assert kwargs["parameters"]["ResponseContentDisposition"] == 'attachment; filename="sk.pdf"'
