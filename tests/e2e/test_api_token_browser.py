"""Browser: a person makes an API token from the user menu, reads it once on the page, a
script (urllib, outside the browser) reads their units with it from the live server; after
they revoke it on the page the API answers 401."""

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import NEEDS_BROWSER, expect

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def _units(base_url: str, token: str) -> tuple[int, set[str]]:
    url = f"{base_url}/api/v1/units/"  # the live server: http only
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, {row["code"] for row in json.load(response)["results"]}
    except urllib.error.HTTPError as error:
        return error.code, set()


def test_a_person_makes_uses_and_revokes_a_token(signed_in, step, live_server, tree):
    reviewer = signed_in("reviewer")
    with step("token-01-from-the-menu", reviewer) as page:
        reviewer.goto("/")
        page.locator("#mainnav .dropdown-toggle").last.click()
        page.get_by_role("link", name="Token API").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Token API")
        expect(page.get_by_text("Belum ada token.")).to_be_visible()
        reviewer.assert_clean()
    with step("token-02-made-and-shown-once", reviewer) as page:
        page.fill("input[name=name]", "Dasbor provinsi")
        page.select_option("select[name=expiry]", "30")
        page.get_by_role("button", name="Buat token").click()
        expect(page.locator("#new-token")).to_contain_text("hanya ditampilkan sekali")
        raw = page.locator("#raw-token").input_value()
        assert raw.startswith("zi_")
        expect(page.locator("#new-token pre")).to_contain_text(f"Bearer {raw}")
        reviewer.assert_clean()
    assert _units(live_server.url, raw) == (200, {"KWA", "KKA", "MINA"})
    with step("token-03-not-shown-again", reviewer) as page:
        reviewer.goto("/akun/token-api/")
        expect(page.get_by_role("cell", name="Dasbor provinsi", exact=True)).to_be_visible()
        assert raw not in page.content()
        expect(page.locator("#new-token")).to_have_count(0)
        reviewer.assert_clean()
    with step("token-04-revoked", reviewer) as page:
        page.get_by_role("button", name="Cabut Dasbor provinsi").click()
        expect(page.get_by_text("Token Dasbor provinsi dicabut.")).to_be_visible()
        assert reviewer.dialogs and "Cabut token ini?" in reviewer.dialogs[-1]
        reviewer.assert_clean()
    assert _units(live_server.url, raw)[0] == 401
