"""Free text is cleaned at the boundary: a NUL byte is refused with a translated message
(never a 500), other control characters are removed, and no transition goes on with a note
that was dropped. Finding 8 of the attack pass."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Evidence, Status, TransitionEvent
from assessments.worksheet.services import answer_save
from core.errors import WorkflowError
from core.text import TextError, clean_text
from tests.assessments.test_evidence_files import make_pdf
from units.unit_import import UnitImportError, read_rows

NUL = "catatan\x00rahasia"


@pytest.mark.parametrize(
    "raw,clean",
    [("a\x0bb", "ab"), ("baris\nbaru\ttab", "baris\nbaru\ttab"), ("esc\x1b[31m", "esc[31m"),
     ("c1\x85", "c1"), ("", "")],
)  # fmt: skip
def test_control_characters_are_removed_but_line_breaks_stay(raw, clean):
    assert clean_text(raw) == clean


def test_a_nul_byte_is_refused_with_a_message():
    with pytest.raises(TextError, match="NUL"):
        clean_text(NUL)


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


def _autosave(client, assessment, note):
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    url = reverse("assessments:answer_save", args=[assessment.pk, question.pk])
    label = question.options.first().label
    return client.post(url, {"value": label, "note": note}, HTTP_HX_REQUEST="true")


def test_an_answer_note_with_nul_gets_a_translated_400_and_saves_nothing(building, client_for):
    response = _autosave(client_for("operator"), building, NUL)
    assert response.status_code == 400
    assert "karakter yang tidak sah" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_note_is_stored_without_control_characters(building, client_for):
    assert _autosave(client_for("operator"), building, "SK\x0b nomor 12").status_code == 200
    assert Answer.objects.get().note == "SK nomor 12"


@pytest.mark.parametrize("url", ["assessments:queue", "units:list", "reports:list"])
def test_a_filter_with_nul_is_a_400_not_a_500(client_for, url):
    response = client_for("reviewer").get(reverse(url), {"group": NUL, "q": NUL})
    assert response.status_code == 400


def test_a_transition_with_a_nul_note_does_not_happen(building, client_for, personas):
    building.status = Status.SUBMITTED
    building.save()
    url = reverse("assessments:transition", args=[building.pk, "reject_submission"])
    response = client_for("pimpinan").post(url, {"note": NUL})
    assert response.status_code == 400
    building.refresh_from_db()
    assert building.status == Status.SUBMITTED and not TransitionEvent.objects.exists()


def test_a_transition_whose_note_the_form_refuses_does_not_happen(building, client_for):
    building.status = Status.SUBMITTED
    building.save()
    url = reverse("assessments:transition", args=[building.pk, "reject_submission"])
    response = client_for("pimpinan").post(url, {"note": "x" * 5000}, follow=True)
    assert "5000" in response.content.decode() or "4000" in response.content.decode()
    building.refresh_from_db()
    assert building.status == Status.SUBMITTED and not TransitionEvent.objects.exists()


def test_services_refuse_nul_from_any_caller(building, personas):
    question = building.period.lke_version.questions.get(code="P1.1.a")
    with pytest.raises(WorkflowError, match="NUL"):
        answer_save(
            assessment=building, question=question, layer="self", by=personas["operator"],
            value=question.options.first().label, note=NUL, revision=None,
        )  # fmt: skip
    building.status = Status.SUBMITTED
    building.save()
    with pytest.raises(WorkflowError, match="NUL"):
        services.assessment_transition(
            assessment=building, name="reject_submission", by=personas["pimpinan"], note=NUL
        )
    assert not TransitionEvent.objects.exists()


def test_an_evidence_description_with_nul_is_refused_and_nothing_stored(
    building, client_for, storage
):
    url = reverse("assessments:evidence_upload", args=[building.pk])
    data = {
        "kind": "piagam",
        "description": NUL,
        "files": [SimpleUploadedFile("a.pdf", make_pdf())],
    }
    response = client_for("operator").post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code in (200, 400)
    assert "NUL" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_unit_import_with_nul_names_the_line_and_saves_nothing(tree):
    csv = "code,name,kind,parent_code,province\nMIN9,Nama\x00Madrasah,madrasah,KKA,Jawa Tengah\n"
    with pytest.raises(UnitImportError, match="Baris 2"):
        read_rows("units.csv", csv.encode())
