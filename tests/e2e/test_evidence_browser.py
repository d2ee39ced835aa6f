"""The evidence upload widget in a real browser: several files at once with a result per file,
drag-and-drop, and the list and checklist refreshed afterwards, all without a script error or a
Content Security Policy violation. The rules themselves (types, sizes, names) are proven by
tests/assessments/test_evidence_files.py, whose fixtures this module borrows."""

import pytest
from auditlog.models import LogEntry
from playwright.sync_api import expect

from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    question_fixture,
)
from tests.e2e.conftest import NEEDS_BROWSER

pytestmark = [
    pytest.mark.e2e,
    NEEDS_BROWSER,
    pytest.mark.django_db(transaction=True),
]

DROP_A_PDF = """(bytes) => {
  const dt = new DataTransfer();
  const pdf = new Uint8Array(bytes);  // a real PDF: the upload parses it
  dt.items.add(new File([pdf], 'dropped.pdf', {type: 'application/pdf'}));
  const zone = document.querySelector('.evidence-dropzone');
  for (const type of ['dragover', 'drop']) {
    const init = {dataTransfer: dt, bubbles: true, cancelable: true};
    zone.dispatchEvent(new DragEvent(type, init));
  }
}"""


def test_several_files_then_a_drop_each_with_its_result(
    signed_in, storage, open_assessment, question
):
    operator = signed_in("operator")
    page = operator.page
    form = f"#evidence-panel-q{question.pk} > .card-body > form"

    operator.goto(f"/assessments/{open_assessment.pk}/evidence/?question={question.pk}")
    page.select_option("select[name=checklist_item]", "Notulen rapat")
    page.set_input_files(
        f"#evidence-files-q{question.pk}",
        files=[
            {"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": make_pdf()},
            {"name": "virus.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"},
        ],
    )
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(".evidence-list li:has-text('notulen.pdf')", timeout=15000)
    progress = page.inner_text(f"{form} .evidence-progress")
    assert "notulen.pdf\nTerunggah." in progress
    assert "virus.pdf\nTipe berkas tidak diizinkan" in progress
    checklist = page.inner_text(".evidence-list ul.list-unstyled")
    # Uploaded, not yet judged: the entry awaits the reviewer; the other has nothing yet.
    assert "menunggu pemeriksaan Notulen rapat" in checklist
    assert "belum terpenuhi SK Tim Kerja" in checklist

    page.evaluate(DROP_A_PDF, list(make_pdf()))
    page.wait_for_selector(".evidence-list li:has-text('dropped.pdf')", timeout=15000)
    operator.assert_clean()


def test_an_upload_past_the_account_limit_says_to_wait(
    signed_in, storage, open_assessment, question, settings
):
    settings.ZI_UPLOAD_RATE = "1/h"  # an hour's window: the two uploads never straddle it
    operator = signed_in("operator")
    page = operator.page
    form = f"#evidence-panel-q{question.pk} > .card-body > form"
    operator.goto(f"/assessments/{open_assessment.pk}/evidence/?question={question.pk}")
    for name in ("satu.pdf", "dua.pdf"):
        page.set_input_files(
            f"#evidence-files-q{question.pk}",
            files=[{"name": name, "mimeType": "application/pdf", "buffer": make_pdf()}],
        )
        with page.expect_response(lambda r: "/evidence/upload/" in r.url, timeout=15000):
            page.click(f"{form} button[type=submit]")
        # The widget writes the outcome when the answer has come: wait for it, not for a gap.
        page.wait_for_function(
            "(sel) => { const p = document.querySelector(sel);"
            " return p && !p.innerText.includes('Mengunggah'); }",
            arg=f"{form} .evidence-progress",
            timeout=15000,
        )
    progress = page.inner_text(f"{form} .evidence-progress")
    assert "dua.pdf\nTerlalu banyak unggahan dalam waktu singkat" in progress


FILE_ROW = ".evidence-list li.list-group-item"


def test_one_file_attached_to_two_items_from_inside_the_worksheet(
    signed_in, storage, open_assessment, question, step
):
    """Evidence is listed, uploaded and attached inside the worksheet item: no page change,
    the tab stays, and the second item shares the first one's stored file."""
    other = (
        question.indicator.questions.exclude(pk=question.pk).order_by("position").first()
        or question.indicator.area.indicators.exclude(pk=question.indicator_id)
        .first()
        .questions.first()
    )
    tab = str(question.indicator.area.number)
    operator = signed_in("operator")
    page = operator.page
    with step("evidence-inline-01-upload", operator):
        operator.goto(f"/assessments/{open_assessment.pk}/worksheet/?tab={tab}&filter=all")
        first = page.locator(f"#q-{question.pk}")
        first.locator("details[data-evidence] > summary").click()
        panel = first.locator(".evidence-panel")
        expect(panel).to_be_visible()
        card_entry = first.locator("ul.evidence-entries > li", has_text="Notulen rapat").first
        expect(card_entry).to_have_attribute("data-state", "missing")
        panel.locator("select[name=checklist_item]").first.select_option("Notulen rapat")
        panel.locator("input[type=file][name=files]").first.set_input_files(
            files=[{"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}]
        )
        panel.locator("form.evidence-upload-form > button[type=submit]").click()
        expect(first.locator(FILE_ROW, has_text="notulen.pdf")).to_be_visible()
        expect(first.locator("[data-evidence-count]")).to_have_text("1")
        # The card's dictionary entry follows the upload without a reload (evidence-upload.js).
        card_entry = first.locator("ul.evidence-entries > li", has_text="Notulen rapat").first
        expect(card_entry).to_have_attribute("data-state", "awaiting")
    with step("evidence-inline-02-attach-to-another-item", operator):
        second = page.locator(f"#q-{other.pk}")
        second.locator("details[data-evidence] > summary").click()
        attach = second.locator("details.evidence-attach")
        attach.locator("summary").click()
        attach.locator("select[name=source]").select_option(label=f"notulen.pdf ({question.code})")
        attach.get_by_role("button", name="Lampirkan").click()
        expect(second.locator(FILE_ROW, has_text="notulen.pdf")).to_be_visible()
        expect(second.locator("[data-evidence-count]")).to_have_text("1")
        assert f"tab={tab}" in page.url  # never left the worksheet tab
    with step("evidence-inline-03-empty-link-refused-by-the-portal", operator):
        panel = page.locator(f"#q-{other.pk} .evidence-panel")
        panel.get_by_text("Tambahkan tautan (data dukung di situs lain)").click()
        panel.get_by_role("button", name="Tambahkan", exact=True).click()  # no browser bubble
        expect(page.locator(".alert-danger").first).to_contain_text("Tautan tidak valid")
        assert f"tab={tab}" in page.url and f"#q-{other.pk}" in page.url
    rows = list(open_assessment.evidence.order_by("pk"))
    assert [r.question_id for r in rows] == [question.pk, other.pk]
    assert rows[0].sha256 == rows[1].sha256 and rows[0].file.name == rows[1].file.name
    assert rows[1].source_id == rows[0].pk
    assert LogEntry.objects.filter(
        additional_data__action="zi.evidence.attached", object_pk=str(rows[1].pk)
    ).exists()
    operator.assert_clean()
