"""A report job whose worker died mid-run (SIGKILL: no retry, no failure written) is rendered by
the message Redis re-delivers once its heartbeat is older than ZI_REPORT_STUCK_SECONDS, and not
while a live worker may still be on it (issue 21's drill kills the reports worker)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.evidence.services import evidence_upload
from assessments.models import Status
from reports import worker
from reports.models import JobStatus, ReportJob
from tests.assessments.test_evidence_files import make_pdf


@pytest.fixture
def with_evidence(assessment, personas, storage):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    evidence_upload(
        assessment=assessment, kind="answer", by=personas["operator"],
        question=assessment.period.lke_version.questions.get(code="P1.1.a"),
        uploaded_file=SimpleUploadedFile("SK tim.pdf", make_pdf()),
    )  # fmt: skip
    return assessment, None


def _left_running(assessment, user, seconds_ago: int) -> ReportJob:
    return ReportJob.objects.create(
        kind="evidence_zip", params={"assessment": assessment.pk}, requested_by=user,
        status=JobStatus.RUNNING, attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago),
    )  # fmt: skip


def test_a_redelivered_message_renders_a_job_silent_past_the_stuck_time(
    with_evidence,
    personas,
    settings,
):
    settings.ZI_REPORT_STUCK_SECONDS = 20
    assessment, _digest = with_evidence
    job = _left_running(assessment, personas["operator"], seconds_ago=25)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.sha256


def test_a_redelivered_message_leaves_a_job_whose_worker_still_beats(
    with_evidence,
    personas,
    settings,
):
    settings.ZI_REPORT_STUCK_SECONDS = 20
    assessment, _digest = with_evidence
    job = _left_running(assessment, personas["operator"], seconds_ago=5)
    assert worker.report_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1
