"""What the downloaded workbook offers: one sheet per area and Hasil, a dropdown of the
allowed answers, only the answer, count and note cells unlocked, the earlier layers beside
them read only, and a hidden sheet naming the assessment, layer and version."""

from assessments.models import Layer, Status
from assessments.worksheet.offline import layout as L
from tests.assessments.helpers import answer_all
from tests.assessments.worksheet_offline import helpers as h


def test_the_unit_workbook_has_its_sheets_dropdowns_and_locks(building, client_for):
    workbook = h.download(client_for("operator"), building)
    assert workbook.sheetnames == [*(f"Area {n}" for n in range(1, 7)), "Hasil", L.META_SHEET]
    assert workbook[L.META_SHEET].sheet_state == "hidden"
    meta = {row[0]: row[1] for row in workbook[L.META_SHEET].iter_rows(max_row=5, values_only=True)}
    assert meta["assessment"] == str(building.pk) and meta["layer"] == Layer.SELF
    assert meta["version"] == str(building.period.lke_version_id)

    where = h.item(workbook, "P1.1.b")
    sheet, row = where["sheet"], where["row"]
    assert sheet.protection.sheet
    assert (sheet.cell(row, 1).value, sheet.cell(row, 4).value) == ("P1.1.b", "A / B / C")
    assert not sheet.cell(row, 5).protection.locked and not sheet.cell(row, 6).protection.locked
    assert sheet.cell(row, 1).protection.locked and sheet.cell(row, 2).protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert any(f"E{row}" in str(v.sqref) and v.formula1 == '"A,B,C"' for v in lists)
    counts = h.item(workbook, "R1.1.a")["inputs"]
    assert set(counts) == {"agents", "changes"}
    assert not sheet.cell(counts["agents"], 5).protection.locked
    assert sheet.cell(counts["agents"], 4).value == "Jumlah agen perubahan"
    assert str(sheet["H5"].value).startswith("=")  # the area's score, as a formula


def test_a_reviewer_sees_the_units_answers_beside_and_fills_their_own(in_preliminary, client_for):
    client = client_for("reviewer")
    workbook = h.download(client, in_preliminary)
    where = h.item(workbook, "P1.1.a")
    sheet = where["sheet"]
    assert sheet.cell(L.HEADER_ROW, L.FIRST_EARLIER).value == "Mandiri (unit)"
    assert sheet.cell(where["row"], L.FIRST_EARLIER).value == "Ya"
    assert sheet.cell(where["row"], L.FIRST_EARLIER).protection.locked
    assert sheet.cell(where["row"], 5).value is None  # the reviewer's own layer is empty
    h.answer(workbook, "P1.1.a", "Tidak")
    preview = h.preview_url(h.upload(client, in_preliminary, h.content(workbook)))
    client.post(preview, {"action": "confirm"})
    mine = in_preliminary.answers.get(question__code="P1.1.a", layer=Layer.PRELIMINARY)
    theirs = in_preliminary.answers.get(question__code="P1.1.a", layer=Layer.SELF)
    assert (mine.value, theirs.value) == ("Tidak", "Ya")


def test_while_returned_only_the_returned_items_are_unlocked(building, client_for, personas):
    answer_all(building, Layer.SELF, personas["operator"], through_service=False)
    building.status = Status.RETURNED_PRELIMINARY
    building.save()
    building.returns.create(
        question=building.period.lke_version.questions.get(code="P1.1.a"),
        layer=Layer.PRELIMINARY, note="Lengkapi", created_by=personas["reviewer"],
    )  # fmt: skip
    workbook = h.download(client_for("operator"), building)
    returned, other = h.item(workbook, "P1.1.a"), h.item(workbook, "P1.1.b")
    assert not returned["sheet"].cell(returned["row"], 5).protection.locked
    assert other["sheet"].cell(other["row"], 5).protection.locked
