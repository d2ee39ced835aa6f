"""Report jobs: requested once, built in the background, reused while the data is unchanged,
failed with a readable message, recovered when a worker dies."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.evidence.services import evidence_upload
from assessments.models import Assessment, Status
from core.errors import ReportError
from reports import services, tasks, worker
from reports.models import JobStatus, ReportJob
from tests.assessments.test_evidence_files import make_pdf


@pytest.fixture
def with_evidence(assessment, personas, storage):
    pdf = make_pdf()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    evidence_upload(
        assessment=assessment, kind="answer", question=question, by=personas["operator"],
        uploaded_file=SimpleUploadedFile("SK tim.pdf", pdf),
    )  # fmt: skip
    return assessment, hashlib.sha256(pdf).hexdigest()


def _request_and_run(kind, params, user):
    job = services.report_request(kind=kind, params=params, by=user)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_evidence_zip_holds_every_file_and_a_manifest_with_hashes(with_evidence, personas):
    assessment, digest = with_evidence
    job = _request_and_run("evidence_zip", {"assessment": assessment.pk}, personas["reviewer"])
    assert job.status == JobStatus.DONE and job.progress == 100
    data = job.file.read()
    assert hashlib.sha256(data).hexdigest() == job.sha256 and len(data) == job.size
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert any(name.startswith("P1.1.a/") and name.endswith("SK_tim.pdf") for name in names)
    manifest = archive.read("manifest.csv").decode("utf-8-sig")
    assert manifest.count(digest) == 2  # recorded at upload and checked while zipping


def test_repeating_a_request_reuses_the_file_until_the_data_changes(with_evidence, personas):
    assessment, _digest = with_evidence
    first = _request_and_run("evidence_zip", {"assessment": assessment.pk}, personas["operator"])
    again = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["operator"]
    )
    assert again.pk == first.pk
    colleague = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["pimpinan"]
    )
    assert colleague.status == JobStatus.DONE and colleague.sha256 == first.sha256
    Assessment.objects.filter(pk=assessment.pk).touch()  # as every service that changes it does
    changed = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["operator"]
    )
    assert changed.pk != first.pk and changed.status == JobStatus.QUEUED


def test_bad_parameters_are_refused_with_a_readable_error(assessment_b, personas):
    with pytest.raises(ReportError, match="Penilaian tidak dikenal"):
        services.report_request(
            kind="lhe", params={"assessment": assessment_b.pk}, by=personas["operator"]
        )
    with pytest.raises(ReportError, match="Admin nasional"):
        services.report_request(kind="readiness", params={"period": 2026}, by=personas["operator"])
    with pytest.raises(ReportError, match="Periode tidak dikenal"):
        services.report_request(kind="readiness", params={"period": 1999}, by=personas["admin"])


def test_a_job_whose_data_went_away_fails_with_a_message(assessment, personas):
    job = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["operator"]
    )
    from units.models import Membership

    Membership.objects.filter(user=personas["operator"]).delete()
    personas["operator"]._zi_memberships = None
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Penilaian tidak dikenal" in job.error


def test_running_a_finished_job_again_changes_nothing(with_evidence, personas):
    assessment, _digest = with_evidence
    job = _request_and_run("evidence_zip", {"assessment": assessment.pk}, personas["operator"])
    assert worker.report_run(job_id=job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).sha256 == job.sha256


def test_stuck_jobs_are_requeued_then_failed_after_three_attempts(assessment, personas, mocker):
    enqueue = mocker.patch("reports.tasks.enqueue")
    job = ReportJob.objects.create(
        kind="evidence_zip", params={"assessment": assessment.pk}, requested_by=personas["admin"],
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(minutes=10),
    )  # fmt: skip
    assert tasks.recover_stuck_reports() == (1, 0)
    enqueue.assert_called_once_with(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3)
    assert tasks.recover_stuck_reports() == (0, 1)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "3 kali" in job.error


@pytest.mark.parametrize(("kind", "seconds"), [("evidence_zip", 120), ("lke_workbook_zip", 900)])
def test_each_kind_is_queued_with_its_own_time_limit(assessment, personas, mocker, kind, seconds):
    """A period's ZIP of workbooks (about 0.15 s per unit) gets longer than one unit's file."""
    send = mocker.patch("reports.tasks.run_report.apply_async")
    job = ReportJob.objects.create(kind=kind, params={}, requested_by=personas["admin"])
    assert tasks.enqueue(job.pk)
    assert send.call_args.kwargs["soft_time_limit"] == seconds
    assert send.call_args.kwargs["time_limit"] == seconds + 60


def test_jobs_are_private_to_their_requester_and_admins(client_for, assessment, personas):
    job = ReportJob.objects.create(
        kind="evidence_zip", params={"assessment": assessment.pk}, requested_by=personas["operator"]
    )
    url = reverse("reports:detail", args=[job.pk])
    assert client_for("operator").get(url).status_code == 200
    assert client_for("pimpinan").get(url).status_code == 404
    assert client_for("admin").get(url).status_code == 200


def test_requesting_from_the_page_queues_a_job_and_shows_progress(
    client_for, assessment, django_capture_on_commit_callbacks, mocker
):
    mocker.patch("reports.tasks.enqueue")
    client = client_for("operator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request"),
            {"kind_of_report": "lhe", "assessment": assessment.pk, "layer": "self"},
            follow=True,
        )
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert ReportJob.objects.get().params == {
        "assessment": assessment.pk,
        "layer": "self",
        # What the requester may see is part of the request: the file is shared only with
        # someone who may see all of it.
        "evidence_kinds": [
            "answer",
            "piagam",
            "pakta",
            "sk_tim",
            "surat_usulan",
            "sptjm",
            "sanggah",
        ],
    }


@pytest.mark.parametrize("n", [1, 50])
def test_report_list_keeps_a_constant_number_of_queries(
    client_for, assessment, personas, n, django_assert_max_num_queries
):
    ReportJob.objects.bulk_create(
        ReportJob(kind="evidence_zip", params={"assessment": assessment.pk},
                  requested_by=personas["operator"])
        for _ in range(n)
    )  # fmt: skip
    client = client_for("admin")
    client.get(reverse("home"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:list"))
    assert len(response.context["page"]) == min(n, 30)  # 30 per page


def test_a_long_filter_in_the_file_name_still_fits_the_stored_name(storage, period, personas):
    """The stored name is random and short; PostgreSQL refused a name past 100 characters."""
    province = "Provinsi Dengan Nama Yang Sangat Panjang Sekali Untuk Percobaan X"[:64]
    job = services.report_request(
        kind="readiness",
        params={"period": 2026, "format": "xlsx", "province": province, "unit_kind": "kankemenag",
                "kind": "kankemenag", "stage": "pembangunan"},
        by=personas["admin"],
    )  # fmt: skip
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert len(job.file.name) <= 100 and job.filename.endswith(".xlsx")
    assert "provinsi-dengan-nama" in job.filename


def test_a_province_longer_than_any_unit_has_is_refused(period, personas):
    with pytest.raises(ReportError):
        services.report_request(
            kind="readiness", params={"period": 2026, "province": "x" * 65}, by=personas["admin"]
        )
