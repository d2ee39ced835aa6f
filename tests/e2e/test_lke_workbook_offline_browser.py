"""The offline LKE workbook in a real browser: the operator downloads it from the worksheet,
fills it in a spreadsheet (openpyxl here), uploads it, sees the change in the preview,
confirms, and finds the answer on the worksheet."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments.assessment import Layer, Status
from assessments.models import Answer
from tests.assessments.worksheet_offline import helpers as h
from tests.e2e.conftest import NEEDS_BROWSER

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def test_operator_fills_the_lke_offline_and_uploads_it(signed_in, assessment, lke, step, tmp_path):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    operator = signed_in("operator")
    with step("lke-xlsx-01-download", operator) as page:
        operator.goto(f"/assessments/{assessment.pk}/worksheet/?tab=1")
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh LKE (XLSX)").click()
        path = tmp_path / "lke.xlsx"
        download.value.save_as(path)
    workbook = load_workbook(path)
    h.answer(workbook, "P1.1.b", "B")
    h.note(workbook, "P1.1.b", "Diisi tanpa koneksi")
    path.write_bytes(h.content(workbook))
    with step("lke-xlsx-02-upload", operator) as page:
        page.get_by_role("link", name="Unggah LKE (XLSX)").click()
        page.locator("input[type=file]").set_input_files(str(path))
        page.get_by_role("button", name="Periksa workbook").click()
        expect(page.locator("#change-P1\\.1\\.b")).to_contain_text("B")
        assert not Answer.objects.filter(assessment=assessment).exists()
    with step("lke-xlsx-03-confirm", operator) as page:
        page.get_by_role("button", name="Simpan perubahan").click()
        expect(page.locator("#worksheet")).to_be_visible()
        expect(page.get_by_text("1 butir dari workbook tersimpan.")).to_be_visible()
        question = lke.questions.get(code="P1.1.b")
        card = page.locator(f"form[data-question='{question.pk}']")
        expect(card.locator("input[type=radio][value='B']")).to_be_checked()
    saved = Answer.objects.get(assessment=assessment, question__code="P1.1.b", layer=Layer.SELF)
    assert (saved.value, saved.note) == ("B", "Diisi tanpa koneksi")
    operator.assert_clean()
