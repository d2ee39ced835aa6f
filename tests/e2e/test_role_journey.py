"""One unit's year in a real browser: the operator fills and submits the LKE, the head approves,
the Kanwil reviewer returns an item, the operator fixes it, TPI passes the unit, the admin
proposes it to TPN, TPN passes its selection, visits and grants WBK, and the admin downloads
the LHE and the national readiness report. Every person signs in through the login form in a
browser of their own.

Clicking through all 113 items four times would prove nothing the unit tests do not, so each
layer is pre-filled in the database except the few items the person answers in the browser."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from areas.models import Question
from assessments.models import Answer, Assessment, Evidence, Layer, Period
from assessments.services import assessment_transition
from assessments.workflow import TRANSITIONS
from assessments.worksheet import tally
from tests.assessments.helpers import answer_all, attach_evidence_all, complete_declaration
from tests.assessments.test_evidence_files import make_pdf
from tests.conftest import PASSWORD
from tests.e2e.conftest import NEEDS_BROWSER, expect

pytestmark = [
    pytest.mark.e2e,
    NEEDS_BROWSER,
    pytest.mark.django_db(transaction=True),
]

UNIT = "Kankemenag Kota Semarang"
BROWSER_ITEMS = ("P1.1.a", "P1.1.b", "P1.2.a")  # the operator answers these in the browser
REVIEW_ITEMS = BROWSER_ITEMS[:2]  # and each reviewer scores these two
UPLOADED = "P1.1.a"  # its evidence is uploaded through the widget
RETURNED = "P1.1.b"
RETURN_NOTE = "Lampirkan notulen rapat pemilihan anggota tim, lalu nilai ulang."
STAGES = ("pencanangan", "pembangunan", "penilaian", "pengusulan", "evaluasi")
SK_NUMBER = "B-77/MENPANRB/2026"


# --------------------------------------------------------------------------- set-up in the DB


def prefill(assessment, layer, by, leave=()):
    """Answer every item of `layer` (best values) except `leave`, straight into the DB."""
    answer_all(assessment, layer, by, through_service=False)
    Answer.objects.filter(assessment=assessment, layer=layer, question__code__in=leave).delete()
    tally.rebuild([assessment.pk])


@pytest.fixture
def unit_in_pembangunan(assessment, personas, eager_celery):
    """Pencanangan done and confirmed by the head; the LKE answered and evidenced except the
    items the operator does in the browser."""
    operator = personas["operator"]
    complete_declaration(assessment, operator)
    assessment_transition(
        assessment=assessment, name="confirm_declaration", by=personas["pimpinan"]
    )
    prefill(assessment, Layer.SELF, operator, leave=BROWSER_ITEMS)
    attach_evidence_all(assessment, operator)
    Evidence.objects.filter(assessment=assessment, question__code=UPLOADED).delete()
    # Deadlines ahead of today, so that the pages show days left rather than days late.
    today = datetime.date.today()
    Period.objects.filter(pk=assessment.period_id).update(
        **{f"deadline_{stage}": today + datetime.timedelta(days=30 * n)
           for n, stage in enumerate(STAGES, start=1)}
    )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


# --------------------------------------------------------------------------- what people do


def menu(page, name):
    return page.locator("#mainnav").get_by_role("link", name=name, exact=True)


def item(page, code):
    return page.locator("article.card", has=page.locator("h3 code", has_text=code))


def answer(page, code, value):
    """Pick an option of an item; the worksheet saves it by itself (htmx on change)."""
    row = item(page, code)
    row.locator(f"input[name=value][value='{value}']").check()
    expect(item(page, code).get_by_role("status")).to_contain_text("Tersimpan")


def open_worksheet(page, only: str, layer: str):
    page.get_by_role("link", name="Lembar kerja (LKE)").click()
    expect(page.get_by_role("heading", name="Lembar kerja LKE")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Anda mengisi lapisan: {layer}")
    page.get_by_role("link", name=only, exact=True).click()
    expect(page.get_by_role("link", name=only, exact=True)).to_have_class(
        re.compile("btn-secondary")
    )


def done(name: str) -> str:
    """What the page says once a stage step happened (declared with the transition)."""
    return str(TRANSITIONS[name].done)


def act(page, name, label, note="", **fields):
    """Press a stage button on the assessment page, with its note and fields."""
    form = page.locator(f"form[action$='/transition/{name}/']")
    if note:
        form.locator("textarea[name=note]").fill(note)
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(value)
    form.get_by_role("button", name=label).click()


def expect_status(page, label):
    expect(page.locator("dd .badge")).to_have_text(label)


def open_from_home(page):
    menu(page, "Beranda").click()
    page.get_by_role("link", name="Buka penilaian").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNIT)


def open_waiting(page):
    """From the home page's "waiting for you" card."""
    waiting = page.locator(".card", has_text="menunggu tindakan Anda")
    waiting.get_by_role("link", name=UNIT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNIT)


def download_report(page, worker, artifacts, name) -> bytes:
    """On a report's page: queued, then (the worker runs) ready by polling, then downloaded."""
    status = page.locator("#job-status")
    expect(status).to_contain_text("Dalam antrean")
    worker.run_pending()
    expect(status.locator(".alert-success")).to_contain_text("Laporan siap.", timeout=30_000)
    with page.expect_download() as info:
        status.get_by_role("link", name=re.compile("^Unduh")).click()
    download = info.value
    download.save_as(artifacts / f"{name}-{download.suggested_filename}")
    return Path(download.path()).read_bytes()


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", str(path), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return " ".join(out.stdout.split())


# --------------------------------------------------------------------------- the journey


@dataclass
class Journey:
    assessment: Assessment
    personas: dict
    open_browser: Callable
    step: Callable

    def sign_in(self, person) -> None:
        person.sign_in(self.personas[person.role].email, PASSWORD)

    def question(self, code: str) -> Question:
        return Question.objects.get(version=self.assessment.period.lke_version, code=code)


def test_one_unit_from_lke_to_wbk_and_the_reports(
    unit_in_pembangunan, personas, open_browser, step, artifacts, storage,
    report_worker, tmp_path,
):  # fmt: skip
    j = Journey(unit_in_pembangunan, personas, open_browser, step)
    operator = operator_fills_and_submits(j)
    head_approves(j)
    reviewer = reviewer_returns_an_item(j)
    operator_fixes_the_item(j, operator)
    reviewer_forwards_to_tpi(j, reviewer)
    tpi_passes_the_unit(j)
    admin = admin_proposes_to_tpn(j)
    tpn_grants_wbk(j)
    admin_downloads_the_reports(j, admin, report_worker, artifacts, tmp_path)


def operator_fills_and_submits(j: Journey):
    operator = j.open_browser("operator")
    with j.step("01-operator-login", operator) as page:
        j.sign_in(operator)
        card = page.locator(".card", has=page.get_by_role("heading", name=re.compile(UNIT)))
        expect(card).to_contain_text("Pembangunan: mengisi LKE")

    with j.step("02-operator-submit-refused", operator) as page:
        open_from_home(page)
        act(page, "submit", "Kirim penilaian mandiri")
        errors = page.locator(".alert-danger")
        expect(errors.first).to_contain_text("belum dapat dilakukan")
        expect(errors.nth(1)).to_contain_text("3 butir belum dijawab: P1.1.a, P1.1.b, P1.2.a")
        expect(errors.nth(2)).to_contain_text(f"1 butir belum memiliki data dukung: {UPLOADED}")
        expect_status(page, "Pembangunan: mengisi LKE")

    with j.step("03-operator-worksheet-answers", operator) as page:
        open_worksheet(page, "Belum dijawab", "Mandiri (unit)")
        expect(page.locator("article.card")).to_have_count(3)
        answer(page, "P1.1.a", "Ya")
        answer(page, RETURNED, "B")
        answer(page, "P1.2.a", "Ya")

    with j.step("04-operator-evidence-upload", operator) as page:
        page.reload()
        expect(page.locator("main")).to_contain_text("Tidak ada butir untuk saringan ini.")
        page.get_by_role("link", name="Semua", exact=True).click()
        item(page, UPLOADED).locator("details[data-evidence] > summary").click()
        expect(item(page, UPLOADED).locator(".evidence-panel")).to_be_visible()  # in the item
        upload_evidence(page, j.question(UPLOADED), "SK Tim Kerja Pembangunan Zona Integritas")

    with j.step("05-operator-submit", operator) as page:
        page.get_by_role("link", name=f"{UNIT} · {j.assessment.period.year}").click()
        act(page, "submit", "Kirim penilaian mandiri")
        expect(page.locator(".alert-success")).to_have_text(done("submit"))
        expect_status(page, "Menunggu persetujuan pimpinan")
    return operator


def upload_evidence(page, question, checklist_item):
    """Through the upload widget (evidence-upload.js): progress, result, refreshed list."""
    page.select_option(f"#evidence-item-q{question.pk}", checklist_item)
    page.set_input_files(
        f"#evidence-files-q{question.pk}",
        files=[{"name": "sk-tim-zi.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}],
    )
    upload = page.locator(f"#evidence-panel-q{question.pk} > .card-body > form")
    upload.get_by_role("button", name="Unggah").click()
    row = page.locator(".evidence-list li.list-group-item", has_text="sk-tim-zi.pdf")
    expect(row).to_be_visible()
    expect(upload.locator(".evidence-progress")).to_contain_text(
        re.compile(r"sk-tim-zi\.pdf\s*Terunggah\.")
    )
    checklist = page.locator(".evidence-list ul.list-unstyled")
    expect(checklist).to_contain_text(f"menunggu pemeriksaan {checklist_item}")


def head_approves(j: Journey):
    pimpinan = j.open_browser("pimpinan")
    with j.step("06-pimpinan-approve", pimpinan) as page:
        j.sign_in(pimpinan)
        waiting = page.locator(".card", has_text="menunggu tindakan Anda")
        expect(waiting).to_contain_text("Menunggu persetujuan pimpinan")
        waiting.get_by_role("link", name=UNIT).click()
        expect_status(page, "Menunggu persetujuan pimpinan")
        act(page, "approve_submission", "Setujui dan kirim ke reviewer")
        expect(page.locator(".alert-success")).to_have_text(done("approve_submission"))
        expect_status(page, "Reviu pendahuluan")


def reviewer_returns_an_item(j: Journey):
    prefill(j.assessment, Layer.PRELIMINARY, j.personas["reviewer"], leave=REVIEW_ITEMS)
    reviewer = j.open_browser("reviewer")
    with j.step("07-reviewer-score", reviewer) as page:
        j.sign_in(reviewer)
        open_waiting(page)
        expect_status(page, "Reviu pendahuluan")
        open_worksheet(page, "Belum dijawab", "Reviu pendahuluan")
        expect(page.locator("article.card")).to_have_count(2)
        # The unit's own answer is shown beside the reviewer's.
        expect(item(page, RETURNED).locator("tbody tr").first).to_contain_text("B")
        answer(page, "P1.1.a", "Ya")
        answer(page, RETURNED, "B")

    with j.step("08-reviewer-return-item", reviewer) as page:
        row = item(page, RETURNED)
        row.locator("input[name=note]").fill(RETURN_NOTE)
        row.get_by_role("button", name="Tandai dikembalikan").click()
        expect(item(page, RETURNED).get_by_role("alert")).to_contain_text(RETURN_NOTE)
        page.get_by_role("link", name="Ringkasan tahapan").click()
        act(page, "return_preliminary", "Kembalikan butir ke unit")
        expect(page.locator(".alert-success")).to_have_text(done("return_preliminary"))
        expect_status(page, "Dikembalikan oleh reviewer pendahuluan")
    return reviewer


def operator_fixes_the_item(j: Journey, operator):
    with j.step("09-operator-sees-return", operator) as page:
        page.locator("#mainnav a[href$='/notifications/']").click()
        notice = f"1 butir dikembalikan oleh reviewer pendahuluan: {UNIT}"
        page.get_by_role("link", name=re.compile(notice)).click()
        expect_status(page, "Dikembalikan oleh reviewer pendahuluan")
        open_worksheet(page, "Dikembalikan", "Mandiri (unit)")
        expect(page.locator("article.card")).to_have_count(1)
        returned = item(page, RETURNED).get_by_role("alert")
        expect(returned).to_contain_text("Dikembalikan (Reviu pendahuluan)")
        expect(returned).to_contain_text(RETURN_NOTE)

    with j.step("10-operator-fix-and-resubmit", operator) as page:
        answer(page, RETURNED, "A")
        page.get_by_role("link", name="Ringkasan tahapan").click()
        # Back to the same reviewer: no second approval by the head (workflow.TRANSITIONS).
        act(page, "resubmit_preliminary", "Kirim ulang ke reviewer pendahuluan")
        expect(page.locator(".alert-success")).to_have_text(done("resubmit_preliminary"))
        expect_status(page, "Reviu pendahuluan")


def reviewer_forwards_to_tpi(j: Journey, reviewer):
    with j.step("11-reviewer-forward-to-tpi", reviewer) as page:
        page.reload()
        expect_status(page, "Reviu pendahuluan")
        act(page, "forward_to_tpi", "Selesai reviu, teruskan ke TPI")
        expect(page.locator(".alert-success")).to_have_text(done("forward_to_tpi"))
        expect_status(page, "Penilaian TPI")


def tpi_passes_the_unit(j: Journey):
    prefill(j.assessment, Layer.TPI, j.personas["tpi"], leave=REVIEW_ITEMS)
    tpi = j.open_browser("tpi")
    with j.step("12-tpi-score", tpi) as page:
        j.sign_in(tpi)
        open_waiting(page)
        open_worksheet(page, "Belum dijawab", "TPI")
        expect(page.locator("article.card")).to_have_count(2)
        answer(page, "P1.1.a", "Ya")
        answer(page, RETURNED, "A")

    with j.step("13-tpi-pass", tpi) as page:
        page.get_by_role("link", name="Ringkasan tahapan").click()
        act(page, "tpi_pass", "Putuskan: Lolos", note="Lolos: seluruh area memenuhi.")
        expect(page.locator(".alert-success")).to_have_text(done("tpi_pass"))
        expect_status(page, "Lolos TPI")
        history = page.locator("h2:has-text('Riwayat tahapan') + ol")
        expect(history.locator("li").first).to_contain_text("Lolos: seluruh area memenuhi.")


def admin_proposes_to_tpn(j: Journey):
    admin = j.open_browser("admin")
    with j.step("14-admin-propose", admin) as page:
        j.sign_in(admin)
        menu(page, "Periode").click()
        page.get_by_role("link", name=j.assessment.period.name).first.click()
        page.get_by_role("link", name="Pengusulan ke TPN").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tahap 4: Pengusulan ke TPN")
        row = page.locator("tbody tr", has_text=UNIT)
        expect(row.locator(".badge")).to_have_text("Ya")  # meets the WBK rules on TPI's scores
        row.get_by_role("button", name="Usulkan ke TPN").click()
        expect(page.locator(".alert-success")).to_have_text(done("propose"))
        assert admin.dialogs == [str(TRANSITIONS["propose"].confirm)]  # asked first
        expect(page.locator("tbody tr", has_text=UNIT)).to_contain_text("Diusulkan ke TPN")
    return admin


def tpn_grants_wbk(j: Journey):
    tpn = j.open_browser("tpn")
    with j.step("15-tpn-selection-and-field-visit", tpn) as page:
        j.sign_in(tpn)
        open_waiting(page)
        expect_status(page, "Diusulkan ke TPN: seleksi administrasi")
        act(page, "select_pass", "Seleksi: Lulus")
        expect(page.locator(".alert-success")).to_have_text(done("select_pass"))
        expect_status(page, "Evaluasi TPN")
        page.get_by_role("link", name="Evaluasi lapangan").click()
        page.get_by_label("Tanggal kunjungan").fill(f"{j.assessment.period.year}-09-15")
        page.get_by_label("Tim").fill("Dr. Rina\nAndi Saputra")
        page.get_by_label("Temuan").fill("Pelayanan loket terpadu berjalan baik.")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator(".alert-success")).to_have_text("Kunjungan lapangan dicatat.")
        expect(page.locator("article.card")).to_contain_text("Pelayanan loket terpadu")

    prefill(j.assessment, Layer.TPN, j.personas["tpn"], leave=REVIEW_ITEMS)
    with j.step("16-tpn-score", tpn) as page:
        open_worksheet(page, "Belum dijawab", "TPN")
        expect(page.locator("article.card")).to_have_count(2)
        answer(page, "P1.1.a", "Ya")
        answer(page, RETURNED, "A")

    with j.step("17-tpn-grant", tpn) as page:
        page.get_by_role("link", name="Ringkasan tahapan").click()
        act(page, "grant", "Tetapkan predikat", note="Memenuhi syarat WBK.", sk_number=SK_NUMBER)
        expect(page.locator(".alert-success")).to_have_text(done("grant"))
        assert tpn.dialogs[-1] == str(TRANSITIONS["grant"].confirm)
        expect_status(page, "Predikat ditetapkan")
        expect(page.locator("dl")).to_contain_text(SK_NUMBER)
        page.get_by_role("link", name="Riwayat predikat unit").click()
        award = page.locator("main tbody tr").first
        expect(award).to_contain_text("WBK")
        expect(award).to_contain_text(SK_NUMBER)


def admin_downloads_the_reports(j: Journey, admin, worker, artifacts, tmp_path):
    with j.step("18-admin-lhe-pdf", admin) as page:
        menu(page, "Periode").click()
        page.get_by_role("link", name=j.assessment.period.name).first.click()
        page.get_by_role("link", name=UNIT).click()
        expect_status(page, "Predikat ditetapkan")
        page.select_option("#lhe-layer", Layer.TPN)
        page.get_by_role("button", name="Buat LHE (PDF)").click()
        data = download_report(page, worker, artifacts, "18-admin")
        assert data.startswith(b"%PDF")
        assert UNIT in pdf_text(data, tmp_path)

    with j.step("19-admin-readiness-xlsx", admin) as page:
        menu(page, "Laporan").click()
        page.select_option("#r-period", str(j.assessment.period.year))
        page.select_option("#r-format", "xlsx")
        page.get_by_role("button", name="Buat laporan").click()
        data = download_report(page, worker, artifacts, "19-admin")
        row = readiness_row(data, UNIT)
        assert row["Status"] == "Predikat ditetapkan"
        assert row["Target predikat"] == "WBK" and row["Memenuhi WBK"] == "Ya"


def readiness_row(data: bytes, unit_name: str) -> dict:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True)["Semua unit"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    found = [dict(zip(header, r, strict=False)) for r in rows if unit_name in r]
    assert len(found) == 1, f"{unit_name} not once in the readiness sheet"
    return found[0]
