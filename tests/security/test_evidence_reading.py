"""One rule decides who reads which evidence, and every path that shows a file or its metadata
asks it: the evidence list and download, the field-visit page, the evidence ZIP, the LHE (job
and command line), and a shared report file. TPN's field-visit attachments are TPN's
evaluation: before the TPN layer is released only TPN and Admin nasional read them.

Finding 1 of the attack pass: the evidence ZIP and the LHE took every evidence item."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import EvidenceKind, Status
from reports import services, worker
from reports.lhe import lhe_context
from reports.models import JobStatus
from tests.assessments.test_evidence_files import make_pdf, put

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
SECRET = "temuan-rahasia-tpn.pdf"
ITEM = "sk-tim-kerja.pdf"
DECLARATION = "piagam-pencanangan.pdf"
READERS_BEFORE_RELEASE = {
    "operator": False, "pimpinan": False, "reviewer": False, "tpi": False,
    "tpn": True, "admin": True,
}  # fmt: skip


@pytest.fixture
def visited(storage, assessment, personas):
    """A proposed assessment with one item file, one declaration document and one field-visit
    attachment TPN has not released."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    put(assessment, personas["operator"], ITEM, make_pdf(), question=question)
    put(assessment, personas["operator"], DECLARATION, make_pdf(), kind=EvidenceKind.PIAGAM)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    field = put(assessment, personas["tpn"], SECRET, make_pdf(), kind=EvidenceKind.FIELD_VISIT)
    return assessment, field


def _release(assessment):
    assessment.tpn_layer_released = True
    assessment.save()


def _zip_names(job) -> str:
    archive = zipfile.ZipFile(io.BytesIO(job.file.read()))
    return " ".join(archive.namelist()) + archive.read("manifest.csv").decode("utf-8-sig")


def _run(kind, params, user):
    job = services.report_request(kind=kind, params=params, by=user)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("persona,reads", READERS_BEFORE_RELEASE.items())
def test_field_visit_list_and_download_follow_the_rule(visited, client_for, persona, reads):
    assessment, field = visited
    client = client_for(persona)
    listing = reverse("assessments:evidence_list", args=[assessment.pk])
    download = reverse("assessments:evidence_download", args=[assessment.pk, field.pk])
    expected = 200 if reads else 403
    assert client.get(listing, {"kind": "field_visit"}).status_code == expected
    assert client.get(download).status_code == expected
    page = client.get(reverse("assessments:field_visits", args=[assessment.pk]))
    assert (SECRET in page.content.decode()) is reads


@pytest.mark.parametrize("persona", ["operator", "reviewer", "tpi"])
def test_field_visit_files_open_to_everyone_in_scope_once_released(visited, client_for, persona):
    assessment, field = visited
    _release(assessment)
    download = reverse("assessments:evidence_download", args=[assessment.pk, field.pk])
    assert client_for(persona).get(download).status_code == 200


@pytest.mark.parametrize("persona", ["operator", "reviewer", "tpi"])
def test_item_evidence_and_declarations_are_read_by_everyone_in_scope(visited, client_for, persona):
    assessment, _field = visited
    client = client_for(persona)
    for item in assessment.evidence.exclude(kind=EvidenceKind.FIELD_VISIT):
        url = reverse("assessments:evidence_download", args=[assessment.pk, item.pk])
        assert client.get(url).status_code == 200, item.kind


def test_a_reviewer_cannot_judge_or_remove_an_attachment_they_may_not_read(visited, client_for):
    assessment, field = visited
    client = client_for("tpi")
    verdict = reverse("assessments:evidence_verdict", args=[assessment.pk, field.pk])
    remove = reverse("assessments:evidence_remove", args=[assessment.pk, field.pk])
    assert client.post(verdict, {"verdict": "valid"}).status_code == 403
    assert client.post(remove).status_code == 403
    field.refresh_from_db()
    assert field.verdict == "unchecked" and field.removed_at is None


# --------------------------------------------------------------------------- reports


@pytest.mark.parametrize("persona,reads", READERS_BEFORE_RELEASE.items())
def test_evidence_zip_holds_field_visit_files_only_for_those_who_read_them(
    visited, personas, persona, reads
):
    assessment, _field = visited
    names = _zip_names(_run("evidence_zip", {"assessment": assessment.pk}, personas[persona]))
    assert ITEM in names.replace("_", "-") and DECLARATION in names.replace("_", "-")
    assert (SECRET.replace("-", "_") in names or SECRET in names) is reads


def test_a_zip_made_for_tpn_is_never_handed_to_the_unit(visited, personas):
    assessment, _field = visited
    params = {"assessment": assessment.pk}
    for_tpn = _run("evidence_zip", params, personas["tpn"])
    for_unit = _run("evidence_zip", params, personas["operator"])
    assert for_unit.file.name != for_tpn.file.name
    assert SECRET not in _zip_names(for_unit).replace("_", "-")


def test_released_attachments_reach_the_unit_in_the_zip(visited, personas):
    assessment, _field = visited
    _release(assessment)
    names = _zip_names(_run("evidence_zip", {"assessment": assessment.pk}, personas["operator"]))
    assert SECRET in names.replace("_", "-")


@pytest.mark.parametrize("persona,reads", READERS_BEFORE_RELEASE.items())
def test_lhe_lists_field_visit_files_only_for_those_who_read_them(
    visited, personas, persona, reads
):
    assessment, _field = visited
    context = lhe_context(assessment=assessment, reader=personas[persona], layer="self")
    names = {item.original_name for item in context["evidence"]}
    assert {ITEM, DECLARATION} <= names
    assert (SECRET in names) is reads


def test_lhe_pdf_requested_by_the_unit_leaves_out_the_unreleased_attachment(visited, personas):
    assessment, _field = visited
    job = _run("lhe", {"assessment": assessment.pk, "layer": "self"}, personas["operator"])
    text = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=job.file.read(), capture_output=True, check=True
    ).stdout.decode()
    assert ITEM in text and SECRET not in text


def test_lhe_from_the_command_line_follows_the_rule(visited, personas, tmp_path):
    assessment, _field = visited
    out = tmp_path / "lhe.pdf"
    args = ["lhe", "--unit", assessment.unit.code, "--period", "2026", "--out", str(out)]

    def text():
        return subprocess.run(
            [PDFTOTEXT, str(out), "-"], capture_output=True, check=True
        ).stdout.decode()

    call_command("render_report", *args, stdout=io.StringIO())
    assert SECRET not in text()
    call_command("render_report", *args, "--as", personas["tpn"].email, stdout=io.StringIO())
    assert SECRET in text()


def test_released_attachments_reach_the_unit_in_the_lhe(visited, personas):
    assessment, _field = visited
    _release(assessment)
    context = lhe_context(assessment=assessment, reader=personas["operator"], layer="self")
    assert SECRET in {item.original_name for item in context["evidence"]}
