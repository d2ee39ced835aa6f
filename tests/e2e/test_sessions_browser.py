"""Browser: a person signed in on two browsers ends the other one's session from Sesi aktif
(user menu); the other browser lands on the login page at its next navigation."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import NEEDS_BROWSER, expect

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def test_a_person_ends_their_session_on_another_browser(open_browser, step, personas):
    email = personas["operator"].email
    laptop, phone = open_browser("operator"), open_browser("operator")
    laptop.sign_in(email, PASSWORD)
    phone.sign_in(email, PASSWORD)
    with step("sessions-01-from-the-menu", laptop) as page:
        laptop.goto("/")
        page.locator("#mainnav .dropdown-toggle").last.click()
        page.get_by_role("link", name="Sesi aktif").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sesi aktif")
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="perangkat ini")).to_have_count(1)
        laptop.assert_clean()
    with step("sessions-02-the-other-ended", laptop) as page:
        other = page.locator("tbody tr").filter(has_not_text="perangkat ini")
        other.get_by_role("button", name="Akhiri").click()
        expect(page.get_by_text("Sesi diakhiri.")).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(1)
        laptop.assert_clean()
    with step("sessions-03-the-other-browser-signed-out", phone) as page:
        phone.goto("/")
        expect(page.get_by_role("heading", name="Masuk ke ZI Portal")).to_be_visible()
        phone.assert_clean()
    with step("sessions-04-this-browser-still-in", laptop) as page:
        laptop.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
