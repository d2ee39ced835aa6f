"""Phone first, at 375×812 in Chromium: the worksheet shows its first item (with its options)
within the first screen and says that its tab strip scrolls; queues and units at risk are
cards, nothing cut off at the edge; charts keep readable labels; a unit in Pencanangan gets
to its Pencanangan page from home in one tap."""

import pytest
from playwright.sync_api import expect

from assessments.models import Status
from tests.e2e.conftest import CSP_LISTENER, NEEDS_BROWSER, Person

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def on_phone(browser, live_server, personas):
    def open_(role: str) -> Person:
        context = browser.new_context(
            locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        person = Person(role, context.new_page(), live_server.url)
        person.force_login(personas[role])
        return person

    return open_


def test_the_operator_reaches_pencanangan_in_one_tap(on_phone, assessment, step):
    operator = on_phone("operator")
    with step("phone-01-home-pencanangan", operator) as page:
        operator.goto("/")
        page.get_by_role("link", name="Buka Pencanangan").tap()
        expect(page).to_have_url(f"{operator.base_url}/assessments/{assessment.pk}/declaration/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    operator.assert_clean()


def test_the_first_item_is_on_the_first_screen(on_phone, assessment, step):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    operator = on_phone("operator")
    with step("phone-02-worksheet", operator) as page:
        operator.goto(f"/assessments/{assessment.pk}/worksheet/?tab=1")
        first_option = page.locator("article[id^='q-'] input[type=radio]").first
        box = first_option.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], box
        expect(page.get_by_text("Geser ke samping untuk area lain dan Hasil")).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    operator.assert_clean()


def test_queues_and_units_at_risk_are_cards_and_charts_stay_readable(on_phone, assessment, step):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    reviewer = on_phone("reviewer")
    with step("phone-03-queue-cards", reviewer) as page:
        reviewer.goto("/queue/")
        row = page.locator("table.table-cards tbody tr").first
        expect(row).to_contain_text(assessment.unit.name)
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    admin = on_phone("admin")
    with step("phone-04-dashboard", admin) as page:
        admin.goto("/dashboard/", until_idle=True)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        cards = page.locator("table.table-cards tbody tr")
        assert cards.count() and cards.first.evaluate("r => getComputedStyle(r).display") == "block"
        # Drawn at their own width (scrolled sideways inside their box): an 11-unit label
        # stays at least 11 CSS pixels high instead of shrinking with the screen.
        widths = page.locator("svg.chart").evaluate_all(
            "svgs => svgs.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)"
        )
        assert widths and min(widths) >= 1, widths
    reviewer.assert_clean()
    admin.assert_clean()
