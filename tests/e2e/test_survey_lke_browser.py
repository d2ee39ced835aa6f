"""From survey to LKE in a real browser: the operator fills IPKP from the unit's SPKP with one
click on the Hasil tab, the value and where it came from appear in the card without a reload,
and the Kanwil reviewer sees the same provenance beside the item."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.assessment import Layer, Status
from assessments.models import Answer
from surveys.models import SurveyResponse
from tests.e2e.conftest import NEEDS_BROWSER
from tests.factories import SurveyFactory

FILL = "Isi dari survei SPKP (40 responden)"
pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def surveyed(assessment, period, tree):
    """Unit A building its ZI, with an SPKP of 40 respondents (30 answering 4, 10 answering 3)."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    survey = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a, name="SPKP Sem I")
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            submitted_on=datetime.date(2026, 3, 2),
            **{f"a{i:02d}": value for i in range(1, 10)},
        )
        for value in [4] * 30 + [3] * 10
    )
    return assessment


def test_the_operator_fills_ipkp_from_the_survey_and_the_reviewer_sees_where_from(
    signed_in, surveyed, lke, step
):
    ipkp = lke.questions.get(code="H2.1.a")
    operator = signed_in("operator")
    with step("survey-lke-01-hasil-tab", operator) as page:
        operator.goto(f"/assessments/{surveyed.pk}/worksheet/?tab=hasil")
        button = page.locator(f"#q-{ipkp.pk}").get_by_role("button", name=FILL)
        expect(button).to_be_visible()
        page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    with step("survey-lke-02-filled", operator) as page:
        button.click()
        provenance = page.locator(f"#q-{ipkp.pk} [data-survey-fill]")
        expect(provenance).to_contain_text("SPKP Sem I")
        expect(provenance).to_contain_text("40 responden")
        expect(provenance).to_contain_text("3,75")
        expect(page.locator(f"#q-{ipkp.pk} input[name=value]")).to_have_value("3,75")
        assert page.evaluate("window.__sameDocument === true")  # swapped in, not reloaded
    answer = Answer.objects.get(assessment=surveyed, question=ipkp, layer=Layer.SELF)
    assert answer.value == 3.75
    operator.assert_clean()

    surveyed.status = Status.PRELIMINARY_REVIEW
    surveyed.save()
    reviewer = signed_in("reviewer")
    with step("survey-lke-03-reviewer-sees-provenance", reviewer) as page:
        reviewer.goto(f"/assessments/{surveyed.pk}/worksheet/?tab=hasil")
        provenance = page.locator(f"#q-{ipkp.pk} [data-survey-fill]")
        expect(provenance).to_contain_text("SPKP Sem I")
        expect(provenance).to_contain_text("40 responden")
        expect(provenance).to_contain_text("P1 1:0 2:0 3:10 4:30")
        expect(page.get_by_role("button", name="Isi dari survei SPKP")).to_have_count(0)
    reviewer.assert_clean()
