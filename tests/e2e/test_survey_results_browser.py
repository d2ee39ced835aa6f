"""A survey's results in a real browser: the operator reads the IKM and its mutu, filters by
service, writes the follow-up plan for the lowest unsur and downloads the PDF report made by
the worker, while the page raises no Content Security Policy violation."""

import datetime

import pytest

from surveys.models import Service, SurveyResponse
from tests.e2e.conftest import NEEDS_BROWSER, expect
from tests.e2e.test_role_journey import download_report, pdf_text
from tests.factories import SurveyFactory

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]

ANSWERS = [[4] * 9, [3] * 9, [4, 3, 2, 4, 4, 4, 4, 2, 4], [4, 4, 2, 4, 4, 4, 4, 1, 3]]


def test_operator_reads_results_plans_and_downloads_the_pdf(
    signed_in, step, personas, period, tree, report_worker, artifacts, tmp_path, storage
):
    haji = Service.objects.create(unit=tree.kankemenag_a, name="Layanan Haji")
    Service.objects.create(unit=tree.kankemenag_a, name="Layanan Nikah")
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, name="Semester I 2026")
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, service=haji if i < 2 else None, submitted_on=datetime.date(2026, 3, 2),
            gender="L" if i % 2 else "P", **{f"a{k + 1:02d}": v for k, v in enumerate(a)},
        )
        for i, a in enumerate(ANSWERS)
    )  # fmt: skip
    operator = signed_in("operator")
    with step("survey-01-results", operator) as page:
        operator.goto(f"/hasil-survei/{survey.pk}/")
        expect(page.locator("[data-figure=ikm]")).to_have_text("86,11")
        expect(page.locator("[data-figure=mutu]")).to_contain_text("B")
        expect(page.locator("#lowest li").first).to_contain_text("U8")
        operator.assert_clean()

    with step("survey-02-service", operator) as page:
        page.select_option("#layanan", str(haji.pk))
        page.get_by_role("button", name="Tampilkan").click()
        # two respondents of that desk: too few to show without naming them
        expect(page.get_by_role("status")).to_contain_text("baru memiliki 2 responden")
        expect(page.locator("[data-figure=mutu]")).to_have_text("–")
        operator.assert_clean()

    with step("survey-03-follow-up", operator) as page:
        operator.goto(f"/hasil-survei/{survey.pk}/")
        page.get_by_text("Susun rencana U8").click()
        form = page.locator("form", has=page.locator(f"#fu-{_u8(survey)}-action"))
        form.locator("textarea").fill("Kotak saran daring dan rapat bulanan")
        form.locator("input[type=date]").fill("2026-06-30")
        form.locator("input[name=progress]").fill("40")
        form.get_by_role("button", name="Simpan").click()
        expect(page.locator("#plan-table tr[data-code=U8]")).to_contain_text("40%")
        operator.assert_clean()

    with step("survey-04-pdf", operator) as page:
        page.get_by_role("button", name="Laporan (PDF)").click()
        data = download_report(page, report_worker, artifacts, "survey-04")
        text = pdf_text(data, tmp_path)
        assert "Laporan Hasil Survei Kepuasan Masyarakat" in text and "86,11" in text
        assert "Kotak saran daring" in text

    reviewer = signed_in("reviewer")
    with step("survey-05-dashboard", reviewer) as page:
        reviewer.goto("/dashboard/")
        page.locator("#survey-summary").scroll_into_view_if_needed()
        expect(page.locator("#survey-summary tr[data-kind=ikm]")).to_contain_text("86,11")
        page.get_by_text("per Kanwil/Eselon I").first.click()
        expect(page.locator("table[data-groups=ikm]")).to_contain_text("Kanwil Jawa Tengah")
        reviewer.assert_clean()


def _u8(survey) -> int:
    return survey.instrument.questions.get(code="U8").pk
