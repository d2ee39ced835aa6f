"""The evidence upload widget in a real browser: several files at once with a result per file,
drag-and-drop, and the list and checklist refreshed afterwards, all without a script error or a
Content Security Policy violation. The rules themselves (types, sizes, names) are proven by
tests/assessments/test_evidence_files.py, whose fixtures this module borrows."""

import pytest

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
    assert "Ada Notulen rapat" in checklist and "Belum SK Tim Kerja" in checklist

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
