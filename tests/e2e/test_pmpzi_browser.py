"""The package for KemenPAN-RB in a real browser: the admin asks for it on the period's
proposals page, the page follows the job until the worker made it, and the ZIP downloaded
holds the proposed unit's JSON and XLSX."""

import io
import json
import zipfile

import pytest

from assessments.models import Layer, Status
from tests.assessments.helpers import answer_all
from tests.e2e.conftest import NEEDS_BROWSER
from tests.e2e.test_role_journey import download_report

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def test_admin_downloads_the_package_from_the_proposals_page(
    signed_in, step, personas, assessment, report_worker, artifacts, storage
):
    answer_all(assessment, Layer.TPI, personas["tpi"], through_service=False)
    assessment.status = Status.PROPOSED
    assessment.save()
    admin = signed_in("admin")
    with step("pmpzi-01-request", admin) as page:
        admin.goto(f"/periods/{assessment.period.pk}/proposals/")
        page.get_by_role("button", name="Paket usulan ke KemenPAN-RB").click()
        data = download_report(page, report_worker, artifacts, "pmpzi-01")
        admin.assert_clean()
    archive = zipfile.ZipFile(io.BytesIO(data))
    year = assessment.period.year
    assert f"{year}/KKA/pmpzi.xlsx" in archive.namelist()
    doc = json.loads(archive.read(f"{year}/KKA/pmpzi.json"))
    assert doc["unit"]["code"] == "KKA" and doc["tpi"]["answered"] is True
