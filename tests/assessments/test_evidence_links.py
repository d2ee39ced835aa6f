"""The one link to an evidence file, which the API and the report packages print."""

import pytest

from assessments.evidence.links import evidence_download_path, evidence_download_url
from assessments.models import Evidence

pytestmark = pytest.mark.django_db


def test_a_file_links_to_the_download_page_and_a_link_to_nothing(assessment, personas, settings):
    settings.PORTAL_BASE_URL = "https://zi.kemenag.go.id"
    by = personas["operator"]
    stored = Evidence.objects.create(assessment=assessment, kind="piagam", file="e/a.pdf",
                                     uploaded_by=by)  # fmt: skip
    link = Evidence.objects.create(assessment=assessment, kind="piagam", url="https://x.id/a",
                                   uploaded_by=by)  # fmt: skip
    path = f"/assessments/{assessment.pk}/evidence/{stored.pk}/download/"
    assert evidence_download_path(stored) == path
    assert evidence_download_url(stored) == f"https://zi.kemenag.go.id{path}"
    assert evidence_download_path(link) is None and evidence_download_url(link) is None
