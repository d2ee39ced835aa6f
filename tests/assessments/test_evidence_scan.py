"""Virus scanning through clamd (CLAMAV_URL, INSTREAM protocol), against a real clamd
(Debian clamav-daemon, bench/loopback.py) on the loopback interface with a database holding
only the EICAR test signature: an infected file is refused and not stored, a clean one stored
as clean, and when the scanner is down the file is kept as pending."""

import pytest
from django.urls import reverse

from assessments.models import Evidence
from bench.loopback import EICAR, EICAR_SIGNATURE
from core.clamd import clamd_instream
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
    stored_files,
)


def test_clamd_protocol(real_clamd):
    assert clamd_instream(real_clamd.url, [b"%PDF-1.4 ", b"clean"]) is None
    found = clamd_instream(real_clamd.url, [EICAR[:20], EICAR[20:]])
    assert found is not None and found.startswith(EICAR_SIGNATURE)


def test_infected_upload_is_refused_and_not_stored(real_clamd, storage, open_assessment, personas):
    with pytest.raises(EvidenceError, match="virus"):
        put(open_assessment, personas["operator"], "a.pdf", make_pdf(EICAR))
    assert not Evidence.objects.exists() and stored_files(storage) == []
    clean = put(open_assessment, personas["operator"], "b.pdf", make_pdf())
    assert clean.scan_status == "clean"
    assert len(stored_files(storage)) == 1


def test_scanner_down_keeps_the_file_pending(real_clamd, storage, open_assessment, personas):
    real_clamd.stop()
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    assert item.scan_status == "pending"
    assert len(stored_files(storage)) == 1


def test_infected_file_is_not_served(storage, open_assessment, personas, client_for):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    Evidence.objects.filter(pk=item.pk).update(scan_status="infected")
    url = reverse("assessments:evidence_download", args=[open_assessment.pk, item.pk])
    assert client_for("operator").get(url).status_code == 403
