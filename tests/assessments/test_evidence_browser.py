"""The upload widget in a real browser (Playwright + Chromium): several files at once with a
result per file, drag-and-drop, and the list refreshed afterwards. Skipped when no browser is
installed; the rules themselves are proven by the other evidence tests."""

import os
import shutil

import pytest

from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    question_fixture,
    storage_fixture,
)

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = (
    os.environ.get("ZI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Debian's Chromium, headless, without the background traffic this machine's network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
pytestmark = [
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium for Playwright"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(live_server, client_for, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.ALLOWED_HOSTS = ["*"]
    session = client_for("operator").cookies[settings.SESSION_COOKIE_NAME].value
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page
        browser.close()


def test_several_files_then_a_drop_each_with_its_result(
    page, live_server, storage, open_assessment, question
):
    page.goto(
        f"{live_server.url}/assessments/{open_assessment.pk}/evidence/?question={question.pk}"
    )
    page.select_option("select[name=checklist_item]", "Notulen rapat")
    page.set_input_files(
        f"#evidence-files-q{question.pk}",
        files=[
            {"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": make_pdf()},
            {"name": "virus.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"},
        ],
    )
    page.click(f"#evidence-panel-q{question.pk} > .card-body > form button[type=submit]")
    page.wait_for_selector(".evidence-list li:has-text('notulen.pdf')", timeout=15000)
    progress = page.inner_text(
        f"#evidence-panel-q{question.pk} > .card-body > form .evidence-progress"
    )
    assert "notulen.pdf\nTerunggah." in progress
    assert "virus.pdf\nTipe berkas tidak diizinkan" in progress
    checklist = page.inner_text(".evidence-list ul.list-unstyled")
    assert "Ada Notulen rapat" in checklist and "Belum SK Tim Kerja" in checklist

    page.evaluate(
        """() => {
          const dt = new DataTransfer();
          dt.items.add(new File(['%PDF-1.4 dropped'], 'dropped.pdf', {type: 'application/pdf'}));
          const zone = document.querySelector('.evidence-dropzone');
          for (const type of ['dragover', 'drop']) {
            const init = {dataTransfer: dt, bubbles: true, cancelable: true};
            zone.dispatchEvent(new DragEvent(type, init));
          }
        }"""
    )
    page.wait_for_selector(".evidence-list li:has-text('dropped.pdf')", timeout=15000)
    assert page.errors == []
