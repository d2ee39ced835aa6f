"""The public survey on a phone, from the QR code's address to the thank-you page: an
iPhone-sized browser without signing in taps an answer for each of the nine IKM unsur, gives
its profile, sends, and the answers are one row; nothing is wider than the screen."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Service, SurveyResponse
from surveys.views_public import MIN_SECONDS
from tests.e2e.conftest import CSP_LISTENER, NEEDS_BROWSER, Person
from tests.factories import SurveyFactory

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]

IPHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The level tapped per unsur U1..U9 (1 = worst, as the instrument lists them).
TAPS = [4, 3, 4, 2, 3, 4, 4, 1, 3]


def wait_past_minimum(shown_at: float) -> None:
    """A person takes longer than the form's minimum time; a fast test waits for it."""
    time.sleep(max(0.0, MIN_SECONDS + 0.2 - (time.monotonic() - shown_at)))


@pytest.fixture
def respondent(browser, live_server):
    context = browser.new_context(
        locale="id-ID", viewport=IPHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    return Person("respondent", context.new_page(), live_server.url)


def test_a_visitor_answers_the_ikm_on_a_phone_from_the_qr_code(respondent, period, tree, step):
    today = timezone.localdate()
    survey = SurveyFactory(
        period=period, unit=tree.kankemenag_a,
        opens_on=today - datetime.timedelta(days=30), closes_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    Service.objects.create(unit=tree.kankemenag_a, name="Konsultasi haji")
    service = Service.objects.create(unit=tree.kankemenag_a, name="Legalisir ijazah")

    with step("survey-phone-01-form", respondent) as page:
        respondent.goto(f"/survei/{survey.token}/?layanan={service.pk}")
        shown_at = time.monotonic()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Survei Kepuasan Masyarakat")
        expect(page.get_by_text(tree.kankemenag_a.name)).to_be_visible()
        expect(page.locator("#layanan")).to_have_value(str(service.pk))
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert page.locator("script").count() == 0

    with step("survey-phone-02-nothing-answered", respondent) as page:
        page.select_option("#p-gender", "P")
        wait_past_minimum(shown_at)
        page.get_by_role("button", name="Kirim jawaban").tap()
        expect(page.get_by_role("alert")).to_have_text("Jawab paling sedikit satu pertanyaan.")
        shown_at = time.monotonic()
        expect(page.locator("#p-gender")).to_have_value("P")  # kept for the second try
        expect(page.locator("#layanan")).to_have_value(str(service.pk))
        assert not SurveyResponse.objects.exists()

    with step("survey-phone-03-answered", respondent) as page:
        for position, level in enumerate(TAPS, start=1):
            option = page.locator(f"#q-{position} label.opt").nth(level - 1)
            option.tap()
            expect(option.locator("input")).to_be_checked()
            box = option.bounding_box()
            assert box["height"] >= 44 and box["width"] >= IPHONE["width"] - 80, box
        page.select_option("#p-age_band", "30-39")
        page.select_option("#p-education", "s1")
        page.select_option("#p-occupation", "wirausaha")
        expect(page.locator("#hp-field")).not_to_be_in_viewport()  # off-screen for people
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

    with step("survey-phone-04-thanks", respondent) as page:
        wait_past_minimum(shown_at)
        page.get_by_role("button", name="Kirim jawaban").tap()
        expect(page).to_have_url(f"{respondent.base_url}/survei/{survey.token}/terima-kasih/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih!")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    respondent.assert_clean()

    row = SurveyResponse.objects.get()
    assert row.survey_id == survey.pk and row.service_id == service.pk
    assert row.answers()[:9] == TAPS
    assert (row.gender, row.age_band, row.education, row.occupation) == (
        "P", "30-39", "s1", "wirausaha",
    )  # fmt: skip
    assert row.submitted_on == today and row.dedupe
