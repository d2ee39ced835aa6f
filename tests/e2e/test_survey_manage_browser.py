"""Browser: an operator opens the unit's surveys from the menu, creates a survey with
one-time codes through the form, adds a service and issues a batch of codes; the pages pass
the Content Security Policy."""

import pytest

from surveys.models import OneTimeCode, Service, Survey
from tests.e2e.conftest import NEEDS_BROWSER, expect

pytestmark = [
    NEEDS_BROWSER,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("instruments"),
]


def test_operator_runs_a_survey_from_the_menu(signed_in, step, tree, period):
    operator = signed_in("operator")
    with step("survey-01-list-empty", operator) as page:
        operator.goto("/")
        page.get_by_role("link", name="Survei", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Survei layanan")
        page.fill("input[name=name]", "Pelayanan Haji")
        page.get_by_role("button", name="Tambah layanan").click()
        expect(page.locator("input[value='Pelayanan Haji']")).to_be_visible()
        operator.assert_clean()
    with step("survey-02-create", operator) as page:
        page.get_by_role("link", name="Buat survei").click()
        page.select_option("select[name=kind]", "ikm")
        page.fill("input[name=name]", "IKM Semester II 2026")
        page.fill("input[name=opens_on]", "2026-07-01")
        page.fill("input[name=closes_on]", "2026-12-31")
        page.check("input[name=uses_codes]")
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("IKM Semester II 2026")
        operator.assert_clean()
    with step("survey-03-codes", operator) as page:
        page.fill("input[name=count]", "12")
        page.get_by_role("button", name="Terbitkan kode").click()
        expect(page.get_by_text("Kelompok kode 1 diterbitkan")).to_be_visible()
        expect(page.get_by_role("link", name="Poster layanan Pelayanan Haji")).to_be_visible()
        operator.assert_clean()
    survey = Survey.objects.get()
    assert survey.uses_codes and survey.unit == tree.kankemenag_a
    assert OneTimeCode.objects.filter(survey=survey).count() == 12
    assert Service.objects.filter(unit=tree.kankemenag_a).count() == 1
    with step("survey-04-list", operator) as page:
        operator.goto(f"/units/{tree.kankemenag_a.code}/survei/")
        expect(page.get_by_role("link", name="IKM Semester II 2026")).to_be_visible()
        operator.assert_clean()
