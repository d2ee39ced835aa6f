"""The formal LHE: the admin's letterhead, the document number, the evaluator's executive
summary and per-area recommendations, TPN's field-visit findings, the awarded predicate and SK,
and a signature block naming who signed with their NIP, never blank lines to fill by hand."""

import re
import shutil
import subprocess

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import Assessment, Layer, Status
from core.errors import WorkflowError
from reports import narratives
from reports.lhe import render_lhe
from reports.models import Letterhead, LheNarrative
from reports.services import report_request
from reports.worker import report_run
from tests.reports.conftest import NIPS, SK
from tests.reports.test_lhe import pdf_text
from units.models import Role

LINES = (
    "KEMENTERIAN AGAMA REPUBLIK INDONESIA\n"
    "BIRO ORGANISASI DAN TATA LAKSANA\n"
    "Jl. Lapangan Banteng Barat No. 3-4, Jakarta"
)


def _texts(areas=None):
    return {0: ("Ringkasan-eksekutif-uji.", "Rekomendasi-umum-uji."), **(areas or {})}


def _flat(pdf, tmp_path) -> str:
    return re.sub(r"\s+", " ", pdf_text(pdf, tmp_path))


@pytest.fixture
def narrated(granted, personas):
    # TPN writes its layer's narrative while the assessment is proposed to it.
    granted.status = Status.TPN_EVALUATION
    granted.save()
    narratives.lhe_narrative_save(
        assessment=granted,
        by=personas["tpn"],
        texts=_texts({1: ("Ringkasan-area-satu.", "Rekomendasi-area-satu.")}),
    )
    granted.status = Status.GRANTED
    granted.save()
    Letterhead.objects.create(lines=LINES)
    return granted


def test_the_issued_lhe_prints_everything_a_formal_report_needs(
    narrated, personas, storage, tmp_path
):
    job = report_request(
        kind="lhe", params={"assessment": narrated.pk, "layer": Layer.TPN}, by=personas["tpn"]
    )
    report_run(job_id=job.pk)
    job.refresh_from_db()
    document = job.documents.get()
    text = _flat(job.file.read(), tmp_path)

    for line in LINES.splitlines():
        assert line in text
    assert document.number.startswith("LHE-ZI/")
    assert text.count(document.number) >= 2  # the cover, the verification box, every footer
    assert f"/v/{document.code}/" in text
    assert "Ringkasan-eksekutif-uji." in text and "Rekomendasi-umum-uji." in text
    assert "Ringkasan-area-satu." in text and "Rekomendasi-area-satu." in text
    assert "Loket-pelayanan-terpadu sudah memakai antrean daring." in text
    assert "Keputusan TPN: predikat WBK ditetapkan" in text and SK in text
    assert "Seleksi administrasi TPN" in text  # the selection's outcome, on the cover
    tpn = personas["tpn"]
    assert f"{tpn.full_name} NIP {NIPS['tpn']}" in text
    assert "……" not in text and "....." not in text  # no lines left to fill by hand
    assert document.signers == [
        {"name": tpn.full_name, "nip": NIPS["tpn"], "role": str(Role.TPN.label)}
    ]


def test_an_lhe_of_a_layer_nobody_decided_yet_says_so_instead_of_blank_lines(assessment, tmp_path):
    text = _flat(render_lhe(assessment=assessment, reader=None, layer=Layer.TPI), tmp_path)
    assert "dokumen ini belum ditandatangani" in text
    assert "NIP" not in text and "……" not in text


def test_field_visit_findings_stay_out_of_a_report_for_whom_they_are_hidden(granted, tmp_path):
    text = _flat(render_lhe(assessment=granted, reader=None, layer=Layer.TPN), tmp_path)
    assert "Loket-pelayanan-terpadu" not in text  # TPN's layer not released to the unit


def test_a_long_stage_note_wraps_inside_its_column(granted, personas, tmp_path):
    granted.events.update(note="Catatan-yang-sangat-panjang-" * 12)
    pdf = render_lhe(assessment=granted, reader=personas["tpn"], layer=Layer.TPN)
    path = tmp_path / "lhe.pdf"
    path.write_bytes(pdf)
    # pdftotext -bbox gives every word's box: none may run past the right margin (14 mm of
    # the A4 page's 595 points).
    bbox = subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    xmax = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert max(xmax) < 595 - 14 * 72 / 25.4 + 1


def test_only_the_writer_of_an_open_reviewer_layer_writes_the_narrative(
    granted, personas, client_for
):
    url = reverse("reports:narrative", args=[granted.pk])
    assert client_for("tpn").get(url).status_code == 403  # granted: TPN's layer is closed
    granted.status = Status.TPN_EVALUATION
    granted.save()
    for who in ("operator", "pimpinan", "tpi", "admin"):
        assert client_for(who).get(url).status_code == 403, who
    assert client_for("operator_b").get(url).status_code == 404
    client = client_for("tpn")
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "Unit siap.", "area_1_recommendations": "Perkuat SOP."})
    assert response.status_code == 302
    rows = {r.area_number: r for r in LheNarrative.objects.filter(assessment=granted)}
    assert rows[0].summary == "Unit siap." and rows[0].layer == Layer.TPN
    assert rows[1].recommendations == "Perkuat SOP."
    assert granted.lhe_narratives.filter(updated_by=personas["tpn"]).count() == len(rows)

    assert LogEntry.objects.filter(additional_data__action="zi.lhe.narrative_saved").exists()


def test_a_too_long_narrative_is_refused_and_nothing_is_saved(granted, personas, client_for):
    granted.status = Status.TPN_EVALUATION
    granted.save()
    url = reverse("reports:narrative", args=[granted.pk])
    response = client_for("tpn").post(url, {"summary": "x" * (narratives.TEXT_MAX + 1)})
    assert response.status_code == 400
    assert not LheNarrative.objects.exists()


def test_saving_the_same_narrative_again_changes_nothing(granted, personas):
    """No new version of the reports (nor a superseded LHE) for a save that changed no text."""
    granted.status = Status.TPN_EVALUATION
    granted.save()
    narratives.lhe_narrative_save(assessment=granted, by=personas["tpn"], texts=_texts())
    version = Assessment.objects.get(pk=granted.pk).content_version
    narratives.lhe_narrative_save(assessment=granted, by=personas["tpn"], texts=_texts())
    assert Assessment.objects.get(pk=granted.pk).content_version == version
    assert LogEntry.objects.filter(additional_data__action="zi.lhe.narrative_saved").count() == 1


def test_the_service_refuses_anyone_but_the_layer_writer(granted, personas):
    with pytest.raises(WorkflowError):
        narratives.lhe_narrative_save(assessment=granted, by=personas["operator"], texts=_texts())
    assert not LheNarrative.objects.exists()


def test_the_self_layer_is_signed_by_the_operator_who_sent_it_and_the_head_who_approved_it(
    assessment, personas, tmp_path
):
    from assessments.models import TransitionEvent

    personas["pimpinan"].nip = "197005051995031001"
    personas["pimpinan"].save(update_fields=["nip"])
    for name, source, target, who in (
        ("submit", Status.PEMBANGUNAN, Status.SUBMITTED, "operator"),
        ("approve_submission", Status.SUBMITTED, Status.PRELIMINARY_REVIEW, "pimpinan"),
    ):
        TransitionEvent.objects.create(
            assessment=assessment, transition=name, from_status=source, to_status=target,
            by=personas[who],
        )  # fmt: skip
    text = _flat(render_lhe(assessment=assessment, reader=None, layer=Layer.SELF), tmp_path)
    assert f"{Role.OPERATOR.label} {Role.PIMPINAN.label}" in text  # side by side
    assert personas["operator"].full_name in text
    assert f"{personas['pimpinan'].full_name} NIP 197005051995031001" in text
    assert "belum ditandatangani" not in text


def test_the_units_own_layer_has_no_evaluators_summary(assessment, tmp_path):
    text = _flat(render_lhe(assessment=assessment, reader=None, layer=Layer.SELF), tmp_path)
    assert "Ringkasan eksekutif" not in text
    text = _flat(render_lhe(assessment=assessment, reader=None, layer=Layer.TPI), tmp_path)
    assert "Ringkasan eksekutif" in text and "Penilai belum menulis ringkasan eksekutif." in text
