"""What a unit prints: the A4 poster (the unit's name, the survey, the public address in text
and as a QR code, anonymous and two minutes) and the slips of a batch of one-time codes."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import OneTimeCode, Service
from tests.factories import SurveyFactory

pytestmark = pytest.mark.usefixtures("instruments")

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def base_url(settings):
    settings.PORTAL_BASE_URL = "https://zi.kemenag.go.id"


def test_poster_has_the_unit_the_survey_and_the_public_address(
    client_for, tree, period, tmp_path, base_url
):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, name="IKM Semester I")
    response = client_for("reviewer").get(reverse("surveys:manage_poster", args=[survey.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content, tmp_path)
    assert "Kankemenag Kota Semarang" in text
    assert "IKM Semester I" in text
    assert f"zi.kemenag.go.id/survei/{survey.token}/" in text
    assert "anonim" in text and "2 menit" in text


def test_poster_of_one_service_carries_it_in_the_address(
    client_for, tree, period, tmp_path, base_url
):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    service = Service.objects.create(unit=tree.kankemenag_a, name="Pelayanan Haji")
    url = reverse("surveys:manage_poster", args=[survey.pk]) + f"?layanan={service.pk}"
    text = text_of(client_for("operator").get(url).content, tmp_path)
    assert "Pelayanan Haji" in text
    assert f"/survei/{survey.token}/?layanan={service.pk}" in text


def test_poster_of_another_units_service_is_404(client_for, tree, period):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    other = Service.objects.create(unit=tree.kankemenag_b, name="Nikah")
    url = reverse("surveys:manage_poster", args=[survey.pk]) + f"?layanan={other.pk}"
    assert client_for("operator").get(url).status_code == 404


def test_code_slips_hold_every_code_of_the_batch(client_for, tree, period, personas, tmp_path):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, uses_codes=True)
    services.codes_issue(survey=survey, count=30, by=personas["operator"])
    response = client_for("operator").get(reverse("surveys:manage_codes_pdf", args=[survey.pk, 1]))
    assert response.status_code == 200
    text = text_of(response.content, tmp_path)
    codes = OneTimeCode.objects.filter(survey=survey).values_list("code", flat=True)
    assert all(code in text for code in codes)
    assert f"?kode={codes[0]}" in text
    assert text.count("Kankemenag Kota") == 30  # the unit on every slip (its name wraps)


def test_a_batch_too_large_for_the_request_is_printed_by_the_report_queue(
    client_for, personas, period, tree, storage, tmp_path
):
    from reports.models import ReportJob
    from reports.worker import report_run
    from surveys.printing import SLIPS_PER_PDF

    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, uses_codes=True)
    services.codes_issue(survey=survey, count=SLIPS_PER_PDF + 1, by=personas["operator"])
    client = client_for("operator")
    page = client.get(reverse("surveys:manage_detail", args=[survey.pk])).content.decode()
    assert 'value="survey_codes"' in page
    client.post(
        reverse("reports:request"),
        {"kind_of_report": "survey_codes", "survey": survey.pk, "batch": 1},
    )
    job = ReportJob.objects.get(kind="survey_codes")
    report_run(job_id=job.pk)  # what the Celery worker does
    job.refresh_from_db()
    assert job.status == "done" and job.filename.endswith("kelompok-1.pdf")
    text = text_of(job.file.read(), tmp_path)
    code = survey.codes.order_by("code").last().code
    assert code in text
