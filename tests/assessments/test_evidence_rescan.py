"""Files stored while clamd was down ("pending") are scanned again by the beat task once it is
back, against the real clamd (EICAR-only database): a clean file becomes clean, an infected one
is held and no longer served; while clamd is still down nothing changes."""

from django.urls import reverse

from assessments.evidence.services import evidence_rescan_pending
from assessments.models import Evidence
from assessments.tasks import rescan_pending_evidence
from bench.loopback import EICAR
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
)

DOWN = "tcp://127.0.0.1:9"  # nothing listens on the discard port here


def _uploaded_while_down(settings, assessment, operator):
    url, settings.CLAMAV_URL = settings.CLAMAV_URL, DOWN
    clean = put(assessment, operator, "laporan.pdf", make_pdf())
    infected = put(assessment, operator, "lampiran.pdf", make_pdf(EICAR))
    settings.CLAMAV_URL = url
    assert clean.scan_status == infected.scan_status == "pending"
    return clean, infected


def test_pending_files_are_scanned_again_when_clamd_is_back(
    real_clamd, settings, storage, open_assessment, personas, client_for
):
    clean, infected = _uploaded_while_down(settings, open_assessment, personas["operator"])

    assert rescan_pending_evidence.apply().get() == {"clean": 1, "infected": 1, "pending": 0}
    clean.refresh_from_db(), infected.refresh_from_db()
    assert (clean.scan_status, infected.scan_status) == ("clean", "infected")
    download = "assessments:evidence_download"
    operator = client_for("operator")
    assert (
        operator.get(reverse(download, args=[open_assessment.pk, infected.pk])).status_code == 403
    )
    assert operator.get(reverse(download, args=[open_assessment.pk, clean.pk])).status_code == 200
    assert evidence_rescan_pending() == {"clean": 0, "infected": 0, "pending": 0}  # twice: no-op


def test_clamd_still_down_leaves_files_pending(
    real_clamd, settings, storage, open_assessment, personas
):
    clean, infected = _uploaded_while_down(settings, open_assessment, personas["operator"])
    real_clamd.stop()
    assert evidence_rescan_pending()["pending"] == 1  # stopped at the first failure
    assert set(Evidence.objects.values_list("scan_status", flat=True)) == {"pending"}


def test_a_file_missing_from_the_store_does_not_stop_the_others(
    real_clamd, settings, storage, open_assessment, personas
):
    clean, infected = _uploaded_while_down(settings, open_assessment, personas["operator"])
    first = min((clean, infected), key=lambda row: row.file.name)
    (storage / first.file.name).unlink()  # scanned first, and gone from the store

    counts = evidence_rescan_pending()
    assert counts["pending"] == 1 and counts["clean"] + counts["infected"] == 1
    first.refresh_from_db()
    assert first.scan_status == "pending"
