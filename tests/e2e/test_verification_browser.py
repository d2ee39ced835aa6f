"""A predicate certificate checked by someone who received it, on a phone and without an
account: the short URL shows what the document is; the issued PDF uploaded there matches, a
changed one does not."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.models import Layer, Status
from assessments.services import assessment_transition
from reports.models import IssuedDocument
from reports.services import report_request
from reports.worker import report_run
from tests.assessments.helpers import answer_all
from tests.e2e.conftest import CSP_LISTENER, NEEDS_BROWSER, Person
from tests.e2e.test_phone import NO_SIDEWAYS_SCROLL, PHONE

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certificate(assessment, personas, storage):
    for layer, who in ((Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], through_service=False)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    assessment_transition(assessment=assessment, name="grant", by=personas["tpn"], note="Ok.",
                          sk_number="B/7/M.PAN-RB/12/2026",
                          sk_date=datetime.date(2026, 12, 1))  # fmt: skip
    job = report_request(kind="certificate", params={"assessment": assessment.pk},
                         by=personas["tpn"])  # fmt: skip
    report_run(job_id=job.pk)
    job.refresh_from_db()
    return job, IssuedDocument.objects.get(kind="certificate", source_key=job.fingerprint)


def test_a_received_certificate_is_checked_on_a_phone(browser, live_server, certificate, step,
                                                      tmp_path):  # fmt: skip
    job, document = certificate
    issued = tmp_path / "piagam.pdf"
    issued.write_bytes(job.file.read())
    changed = tmp_path / "piagam-diubah.pdf"
    changed.write_bytes(issued.read_bytes() + b"\n%% diubah\n")  # still opens as a PDF
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(CSP_LISTENER)
    visitor = Person("anonymous", context.new_page(), live_server.url)
    with step("verify-01-the-short-url", visitor) as page:
        visitor.goto(f"/v/{document.code}/")
        expect(page.locator("main")).to_contain_text("Dokumen sah.")
        expect(page.locator("main")).to_contain_text(document.number)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    with step("verify-02-the-issued-file-matches", visitor) as page:
        page.locator("input[type=file]").set_input_files(str(issued))
        page.get_by_role("button", name="Periksa berkas").click()
        expect(page.locator("#compare-result")).to_contain_text("Cocok")
    with step("verify-03-a-changed-file-does-not", visitor) as page:
        page.locator("input[type=file]").set_input_files(str(changed))
        page.get_by_role("button", name="Periksa berkas").click()
        expect(page.locator("#compare-result")).to_contain_text("Tidak cocok")
    visitor.assert_clean()
    context.close()
