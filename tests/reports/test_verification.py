"""Documents anyone can verify: the issued LHE and predicate certificate lead, by their QR code
and short URL, to a public page that says what the document is and whether it still stands,
and tells whether an uploaded PDF is exactly the issued file."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, Layer, PredicateAward
from assessments.stages.services import award_revoke
from core.errors import ReportError
from reports.issuing import document_issue
from reports.models import IssuedDocument, ReportJob
from reports.services import report_request
from reports.worker import report_run
from tests.reports.test_lhe import pdf_text

LHE = {"layer": Layer.TPN}


@pytest.fixture(autouse=True)
def _frozen_window(monkeypatch):
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: 1_800_000_000))


def _issue(kind, assessment, user, **params) -> tuple[ReportJob, IssuedDocument]:
    job = report_request(kind=kind, params={"assessment": assessment.pk, **params}, by=user)
    report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job, IssuedDocument.objects.get(kind=kind, source_key=job.fingerprint)


def _page(client, document, upload: bytes | None = None):
    url = reverse("reports:verify", args=[document.code])
    if upload is None:
        return client.get(url)
    return client.post(url, {"file": SimpleUploadedFile("dok.pdf", upload, "application/pdf")})


@pytest.mark.parametrize(("kind", "params"), [("lhe", LHE), ("certificate", {})])
def test_the_page_confirms_the_issued_file_and_rejects_a_changed_one(
    kind, params, granted, personas, storage, client, tmp_path
):
    job, document = _issue(kind, granted, personas["tpn"], **params)
    issued = job.file.read()
    assert document.sha256 == job.sha256
    text = pdf_text(issued, tmp_path)
    assert document.number in text and f"/v/{document.code}/" in text  # printed in the file

    page = _page(client, document).content.decode()  # anonymous
    assert "Dokumen sah." in page
    for shown in (document.number, granted.unit.name, granted.period.name, job.sha256):
        assert shown in page
    assert personas["tpn"].full_name in page
    assert granted.unit.code not in page  # nothing else of the unit's data
    assert "Cocok: berkas ini persis sama" in _page(client, document, issued).content.decode()
    middle = len(issued) // 2
    changed = issued[:middle] + bytes([issued[middle] ^ 1]) + issued[middle + 1 :]  # one bit
    refused = _page(client, document, changed).content.decode()
    assert "Tidak cocok" in refused and "Cocok: berkas" not in refused


def test_rendering_the_same_version_again_keeps_its_number(granted, personas, storage):
    job, document = _issue("lhe", granted, personas["tpn"], **LHE)
    assert document_issue(job=job).number == document.number  # a retried job
    shared, again = _issue("lhe", granted, personas["admin"], **LHE)  # same access, same file
    assert again == document and shared.sha256 == job.sha256
    assert IssuedDocument.objects.count() == 1


def test_a_newer_version_supersedes_the_issued_lhe(granted, personas, storage, client):
    _job, first = _issue("lhe", granted, personas["tpn"], **LHE)
    Assessment.objects.filter(pk=granted.pk).touch()  # the data changed (a note, a score)
    _job, second = _issue("lhe", granted, personas["tpn"], **LHE)
    assert second.number != first.number

    page = _page(client, first).content.decode()
    assert "Digantikan versi yang lebih baru" in page and second.number in page
    assert "Dokumen sah." in _page(client, second).content.decode()


def test_a_revoked_awards_certificate_shows_revoked(granted, personas, storage, client):
    _job, lhe = _issue("lhe", granted, personas["tpn"], **LHE)
    _job, certificate = _issue("certificate", granted, personas["tpn"])
    award_revoke(award=PredicateAward.objects.get(assessment=granted), by=personas["admin"],
                 reason="Temuan TPI atas pengaduan SP4N-LAPOR", source="sp4n_lapor",
                 decided_on=datetime.date(2026, 12, 1))  # fmt: skip

    page = _page(client, certificate).content.decode()
    assert "Dicabut" in page and "Dokumen sah." not in page
    assert "SP4N-LAPOR" not in page  # the reason is not the page's to tell
    assert "Dokumen sah." in _page(client, lhe).content.decode()  # the LHE itself still stands


def test_an_unknown_code_is_a_plain_404(granted, personas, storage, client):
    _job, document = _issue("certificate", granted, personas["tpn"])
    for code in (document.code[:-1] + ("A" if document.code[-1] != "A" else "B"), "1", "x" * 40):
        response = client.get(reverse("reports:verify", args=[code]))
        assert response.status_code == 404
        assert granted.unit.name not in response.content.decode()
    assert len(document.code) >= 22  # at least 128 random bits


def test_too_many_lookups_from_one_address_get_429(granted, personas, storage, client):
    _job, document = _issue("certificate", granted, personas["tpn"])
    for _ in range(30):
        assert _page(client, document).status_code == 200
    refused = _page(client, document)
    assert refused.status_code == 429 and "Retry-After" in refused
    other = client.get(reverse("reports:verify", args=[document.code]), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200


def test_an_upload_over_the_limit_is_refused_without_reading_it(
    granted, personas, storage, client, settings
):
    settings.ZI_EVIDENCE_MAX_BYTES = 1024
    _job, document = _issue("certificate", granted, personas["tpn"])
    response = _page(client, document, b"%PDF" + b"0" * 200_000)
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()


def test_the_upload_form_needs_its_csrf_token(granted, personas, storage, client):
    from django.test import Client

    _job, document = _issue("certificate", granted, personas["tpn"])
    strict = Client(enforce_csrf_checks=True)
    assert _page(strict, document, b"%PDF-1.7").status_code == 403


def test_a_certificate_only_for_a_granted_assessment_and_its_readers(
    assessment, granted, personas, assessment_b
):
    with pytest.raises(ReportError):
        report_request(
            kind="certificate", params={"assessment": assessment_b.pk}, by=personas["admin"]
        )
    with pytest.raises(ReportError):  # outside the operator's scope: not known to exist
        report_request(
            kind="certificate", params={"assessment": granted.pk}, by=personas["operator_b"]
        )
    for who in ("operator", "pimpinan", "reviewer", "tpi", "tpn", "admin"):
        job = report_request(
            kind="certificate", params={"assessment": granted.pk}, by=personas[who]
        )
        assert job.kind == "certificate"


def test_the_page_reads_a_fixed_number_of_queries(
    granted, personas, storage, client, django_assert_max_num_queries
):
    _job, document = _issue("lhe", granted, personas["tpn"], **LHE)
    for _ in range(3):  # older versions of the same LHE
        Assessment.objects.filter(pk=granted.pk).touch()
        _issue("lhe", granted, personas["tpn"], **LHE)
    with django_assert_max_num_queries(3):  # the document with its subject, a newer version
        assert _page(client, document).status_code == 200


def test_the_assessment_page_offers_the_certificate_once_granted(granted, assessment_b, client_for):
    page = client_for("operator").get(reverse("assessments:detail", args=[granted.pk]))
    assert 'value="certificate"' in page.content.decode()
    other = client_for("admin").get(reverse("assessments:detail", args=[assessment_b.pk]))
    assert 'value="certificate"' not in other.content.decode()


def test_two_people_asking_at_once_get_the_one_issued_file(granted, personas, storage):
    """The second request is made before the first is rendered: both end with the file the
    verification page knows, not two PDFs under one number."""
    first = report_request(kind="certificate", params={"assessment": granted.pk},
                           by=personas["tpn"])  # fmt: skip
    second = report_request(kind="certificate", params={"assessment": granted.pk},
                            by=personas["admin"])  # fmt: skip
    assert first.pk != second.pk
    report_run(job_id=second.pk)
    report_run(job_id=first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    document = IssuedDocument.objects.get(kind="certificate")
    assert first.status == second.status == "done"
    assert first.sha256 == second.sha256 == document.sha256
    # The first file stored is the document; the later job hands out that very file.
    assert document.job_id == second.pk and first.file.name == second.file.name
