"""Stage 5 in a real browser: TPN passes a unit "with notes", the operator uploads the corrected
letter and the SPTJM on the Seleksi & sanggah tab, TPN accepts them; later the unit files its
one sanggah with a link; anyone reads the public list of awarded units on a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Appeal, Layer, PredicateAward, Status
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf
from tests.e2e.conftest import CSP_LISTENER, NEEDS_BROWSER, Person
from tests.e2e.test_phone import NO_SIDEWAYS_SCROLL, PHONE

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposed(assessment, personas):
    answer_all(assessment, Layer.TPI, personas["tpi"], through_service=False)
    assessment.status = Status.PROPOSED
    assessment.save()
    period = assessment.period
    period.appeal_opens = timezone.localdate() - datetime.timedelta(days=1)
    period.appeal_closes = timezone.localdate() + datetime.timedelta(days=5)
    period.save()
    return assessment


def _transition(page, name: str, note: str = "") -> None:
    form = page.locator(f"#transition-{name}")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()


def test_selection_with_notes_then_documents_then_evaluation(signed_in, storage, proposed, step):
    tpn, operator = signed_in("tpn"), signed_in("operator")
    with step("national-01-tpn-selects-with-notes", tpn) as page:
        tpn.goto(f"/assessments/{proposed.pk}/")
        _transition(page, "select_pass_notes", "Surat usulan belum ditandatangani.")
        expect(page.locator(".alert-success")).to_contain_text("Lulus dengan catatan")
    with step("national-02-operator-uploads-letter-and-sptjm", operator) as page:
        operator.goto(f"/assessments/{proposed.pk}/tpn/")
        expect(page.locator("main")).to_contain_text("Surat usulan belum ditandatangani.")
        for kind, name in (("surat_usulan", "surat-usulan.pdf"), ("sptjm", "sptjm.pdf")):
            panel = page.locator(f"#evidence-panel-{kind}")
            panel.locator("input[type=file][name=files]").set_input_files(
                files=[{"name": name, "mimeType": "application/pdf", "buffer": make_pdf()}]
            )
            panel.locator("form.evidence-upload-form > button[type=submit]").click()
            expect(page.locator(f"#evidence-panel-{kind}")).to_contain_text(name)
    with step("national-03-tpn-accepts-the-documents", tpn) as page:
        tpn.goto(f"/assessments/{proposed.pk}/")
        _transition(page, "confirm_selection")
        expect(page.locator(".alert-success")).to_contain_text("masuk evaluasi TPN")
    proposed.refresh_from_db()
    assert proposed.status == Status.TPN_EVALUATION
    tpn.assert_clean()
    operator.assert_clean()


def test_the_unit_files_its_one_sanggah(signed_in, proposed, step):
    proposed.status = Status.NOT_GRANTED
    proposed.save()
    operator = signed_in("operator")
    with step("national-04-operator-files-sanggah", operator) as page:
        operator.goto(f"/assessments/{proposed.pk}/")
        form = page.locator("#transition-file_appeal")
        form.locator("textarea[name=note]").fill("Data IKM semester II belum dinilai TPN.")
        form.locator("textarea[name=links]").fill("https://ppid.kemenag.go.id/ikm-2026")
        form.locator("button[type=submit]").click()
        expect(page.locator(".alert-success")).to_contain_text("Sanggah diajukan")
        assert any("satu kali" in asked for asked in operator.dialogs)
        expect(page.locator("#transition-file_appeal")).to_have_count(0)  # once only
    appeal = Appeal.objects.get(assessment=proposed)
    assert appeal.links == ["https://ppid.kemenag.go.id/ikm-2026"]
    operator.assert_clean()


def test_anyone_reads_the_awarded_units_on_a_phone(browser, live_server, tree, step):
    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2026, predicate="WBK",
                                  sk_number="B/512/M.PAN-RB/12/2026",
                                  sk_date=datetime.date(2026, 12, 1))  # fmt: skip
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True,
                                  accept_downloads=True)  # fmt: skip
    context.add_init_script(CSP_LISTENER)
    visitor = Person("anonymous", context.new_page(), live_server.url)
    with step("national-05-public-awards-phone", visitor) as page:
        visitor.goto("/predikat/")
        expect(page.locator("main")).to_contain_text("B/512/M.PAN-RB/12/2026")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh CSV").click()
        assert download.value.suggested_filename == "predikat-zi.csv"
    visitor.assert_clean()
    context.close()
