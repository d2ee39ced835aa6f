"""A workbook that is not this assessment's and layer's, of an instrument that has changed,
with its hidden sheet edited, damaged, or with bad cells, is refused with the reason; nothing
is saved then, nor on cancel, nor when the layer is no longer writable."""

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import LkeVersion
from assessments.models import Answer, ItemReturn, Layer, Status
from assessments.worksheet.offline import export
from assessments.worksheet.offline import layout as L
from assessments.worksheet.offline.read import read_workbook
from core.errors import WorkflowError
from tests.assessments.worksheet_offline import helpers as h
from tests.factories import AssessmentFactory, PeriodFactory


def _refused(response) -> str:
    assert response.status_code == 422
    assert not Answer.objects.exists()
    return response.content.decode()


def test_another_assessments_workbook_is_refused(building, lke, tree, client_for):
    client = client_for("operator")
    other = AssessmentFactory(
        period=PeriodFactory(year=2027, lke_version=lke), unit=tree.kankemenag_a,
        status=Status.PEMBANGUNAN,
    )  # fmt: skip
    workbook = h.download(client, other)
    h.answer(workbook, "P1.1.a", "Ya")
    text = _refused(h.upload(client, building, h.content(workbook)))
    assert "milik penilaian lain" in text


def test_another_layers_workbook_is_refused(building, client_for):
    source = export.workbook_source(assessment=building, layer=Layer.TPI)
    data = export.render_offline_workbook(source)
    text = _refused(h.upload(client_for("operator"), building, data))
    assert "untuk lapisan TPI" in text


def test_a_workbook_of_an_instrument_version_that_changed_is_refused(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    LkeVersion.objects.filter(pk=building.period.lke_version_id).update(published_at=timezone.now())
    text = _refused(h.upload(client, building, h.content(workbook)))
    assert "Versi instrumen LKE telah berubah" in text


@pytest.mark.parametrize("cell", ["B2", f"B{L.ITEMS_ROW}", f"D{L.ITEMS_ROW}"])
def test_a_tampered_hidden_sheet_is_refused(building, client_for, cell):
    client = client_for("operator")
    workbook = h.download(client, building)
    meta = workbook[L.META_SHEET]
    meta[cell] = "7" if meta[cell].value != "7" else "8"
    text = _refused(h.upload(client, building, h.content(workbook)))
    assert "Lembar tersembunyi workbook ini telah diubah" in text


def test_a_file_without_the_hidden_sheet_or_a_damaged_one_is_refused(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    del workbook[L.META_SHEET]
    assert "templat salah" in _refused(h.upload(client, building, h.content(workbook)))
    assert "tidak dapat dibaca" in _refused(h.upload(client, building, b"PK\x03\x04 broken"))


def test_every_bad_cell_is_listed_with_sheet_row_and_reason(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Mungkin")
    h.count(workbook, "R1.1.a", "agents", -3)
    h.count(workbook, "R1.1.a", "changes", 2)
    h.answer(workbook, "H1.1.a", 5)  # IPAK on the 1–4 scale
    h.answer(workbook, "P1.1.b", "A")  # a good row: not saved either
    rows = {code: h.item(workbook, code)["row"] for code in ("P1.1.a", "R1.1.a", "H1.1.a")}
    text = _refused(h.upload(client, building, h.content(workbook)))
    chosen = "Pilih salah satu jawaban yang tersedia."  # the worksheet form's own message
    assert f"<td>Area 1</td><td>{rows['P1.1.a']}</td><td>P1.1.a: {chosen}" in text
    assert f"<td>Area 1</td><td>{rows['R1.1.a']}</td><td>R1.1.a: " in text
    assert f"<td>Hasil</td><td>{rows['H1.1.a']}</td><td>H1.1.a: Indeks survei harus" in text
    assert "3 isian bermasalah" in text


def test_a_text_where_a_number_belongs_is_not_a_number(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.count(workbook, "R1.1.a", "agents", "sepuluh")
    h.count(workbook, "R1.1.a", "changes", 2)
    assert "bilangan bulat" in _refused(h.upload(client, building, h.content(workbook)))


def test_cancel_saves_nothing(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    assert client.post(preview, {"action": "cancel"}).status_code == 302
    assert not Answer.objects.exists()
    assert client.get(preview).status_code == 404  # gone


def test_refused_when_the_layer_is_no_longer_writable(building, client_for, personas):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    building.status = Status.PRELIMINARY_REVIEW
    building.save()
    assert h.upload(client, building, h.content(workbook)).status_code == 403
    with pytest.raises(WorkflowError, match="tidak dapat Anda isi"):
        read_workbook(
            assessment=building, layer=Layer.SELF, by=personas["operator"],
            content=h.content(workbook),
        )  # fmt: skip
    assert not Answer.objects.exists()


def test_another_persons_preview_is_not_found(building, client_for, personas, client):
    operator = client_for("operator")
    workbook = h.download(operator, building)
    h.answer(workbook, "P1.1.a", "Ya")
    preview = h.preview_url(h.upload(operator, building, h.content(workbook)))
    client.force_login(personas["pimpinan"])
    assert client.get(preview).status_code == 404
    assert client.post(preview, {"action": "confirm"}).status_code == 404
    assert not Answer.objects.exists()


def test_while_returned_only_returned_items_may_change(building, client_for, personas):
    building.status = Status.RETURNED_PRELIMINARY
    building.save()
    p11a = building.period.lke_version.questions.get(code="P1.1.a")
    ItemReturn.objects.create(
        assessment=building, question=p11a, layer=Layer.PRELIMINARY, note="Lengkapi SK",
        created_by=personas["reviewer"],
    )  # fmt: skip
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    h.answer(workbook, "P1.1.b", "A")
    text = _refused(h.upload(client, building, h.content(workbook)))
    assert "P1.1.b: Saat dikembalikan, hanya butir yang dikembalikan" in text
    assert "P1.1.a:" not in text
    assert reverse("assessments:worksheet", args=[building.pk])  # the page stays reachable


def test_a_typed_survey_index_without_its_source_is_a_row_error(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "H1.1.a", 3.5)
    text = _refused(h.upload(client, building, h.content(workbook)))
    assert "H1.1.a: Indeks yang tidak diisi dari survei portal wajib diberi catatan" in text


def test_a_confirmation_after_the_layer_closed_saves_nothing(building, client_for):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    building.status = Status.SUBMITTED  # sent to the head of the unit meanwhile
    building.save()
    response = client.post(preview, {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "tidak dapat Anda isi pada status penilaian sekarang" in response.content.decode()
    assert not Answer.objects.exists()
    assert client.get(preview).status_code == 404  # thrown away: upload again
