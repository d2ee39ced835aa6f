"""/api/v1/units/ and /api/v1/periods/: a token reads what its owner's pages show, no more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import token_revoke

pytestmark = pytest.mark.django_db


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_sleman_operator_token_reads_nothing_of_semarang(api_as, tree):
    sleman = api_as("operator_b")
    assert _codes(sleman.get("/api/v1/units/")) == {"KKB"}
    assert sleman.get("/api/v1/units/KKA/").status_code == 404
    assert sleman.get("/api/v1/units/?within=KWA").status_code == 404


def test_kanwil_reviewer_reads_its_subtree_and_filters_it(api_as, tree):
    reviewer = api_as("reviewer")
    assert _codes(reviewer.get("/api/v1/units/")) == {"KWA", "KKA", "MINA"}
    assert _codes(reviewer.get("/api/v1/units/?parent=KKA")) == {"MINA"}
    assert _codes(reviewer.get("/api/v1/units/?kind=madrasah")) == {"MINA"}
    assert _codes(reviewer.get("/api/v1/units/?q=semarang")) == {"KKA", "MINA"}
    assert reviewer.get("/api/v1/units/?kind=planet").status_code == 400


def test_without_a_valid_token_the_api_says_401(api_as, personas, token_for):
    assert api_as("anonymous").get("/api/v1/units/").status_code == 401
    client = api_as("anonymous")
    client.credentials(HTTP_AUTHORIZATION="Bearer zi_00000000_notatokenatallnotatokenatall")
    assert client.get("/api/v1/units/").status_code == 401

    raw = token_for("operator")
    token = ApiToken.objects.get(user=personas["operator"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/units/").status_code == 200
    token_revoke(token=token, by=personas["operator"])
    assert client.get("/api/v1/units/").status_code == 401


def test_an_expired_token_is_refused(api_as, personas, token_for):
    raw = token_for("operator")
    ApiToken.objects.filter(user=personas["operator"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    client = api_as("anonymous")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]


def test_only_the_digest_of_a_token_is_stored(personas, token_for):
    raw = token_for("operator")
    token = ApiToken.objects.get(user=personas["operator"])
    assert raw not in (token.digest, token.prefix, token.name)
    assert raw.startswith(f"zi_{token.prefix}_")


def test_pages_walk_in_a_stable_order(api_as, tree):
    admin = api_as("admin")
    first = admin.get("/api/v1/units/?page_size=4").json()
    second = admin.get(first["next"]).json()
    codes = [row["code"] for row in first["results"] + second["results"]]
    assert len(codes) == len(set(codes)) == 6
    assert second["next"] is None


def test_an_updated_since_sync_sees_every_change_once(api_as, tree):
    admin = api_as("admin")
    start = (timezone.now() - timedelta(days=1)).isoformat()
    first = admin.get("/api/v1/units/", {"updated_since": start}).json()
    assert {row["code"] for row in first["results"]} == {
        "PUSAT", "KWA", "KKA", "MINA", "KWB", "KKB"
    }  # fmt: skip
    nothing = admin.get("/api/v1/units/", {"updated_since": first["sync_until"]}).json()
    assert nothing["results"] == []

    tree.kankemenag_b.name = "Kankemenag Kabupaten Sleman (baru)"
    tree.kankemenag_b.save()
    changed = admin.get("/api/v1/units/", {"updated_since": nothing["sync_until"]}).json()
    assert [row["name"] for row in changed["results"]] == ["Kankemenag Kabupaten Sleman (baru)"]
    again = admin.get("/api/v1/units/", {"updated_since": changed["sync_until"]}).json()
    assert again["results"] == []


def test_a_bad_updated_since_is_a_translated_400(api_as, tree):
    response = api_as("admin").get("/api/v1/units/", {"updated_since": "kemarin"})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["updated_since"][0]


def test_periods_are_listed_by_year(api_as, period):
    response = api_as("operator").get("/api/v1/periods/")
    assert [row["year"] for row in response.json()["results"]] == [period.year]
    assert api_as("operator").get(f"/api/v1/periods/{period.year}/").json()["name"] == period.name


def test_an_api_client_asks_for_english_with_accept_language(api_as, tree):
    response = api_as("admin").get(
        "/api/v1/units/", {"kind": "planet"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert response.status_code == 400
    assert response.json()["kind"] == ["Unknown unit type."]
    assert response["Content-Language"] == "en"
    default = api_as("admin").get("/api/v1/units/", {"kind": "planet"})
    assert default.json()["kind"] == ["Jenis unit tidak dikenal."]


def test_a_sync_walks_rows_sharing_one_timestamp_without_repeating_or_skipping(api_as, tree):
    """A migration fills a new column with one value; touch() stamps a transaction's rows with
    its start: pages are cut by (updated_at, id), never by an offset."""
    from units.models import Unit

    same = timezone.now() - timedelta(hours=1)
    Unit.objects.update(updated_at=same)
    admin = api_as("admin")
    page = admin.get(
        "/api/v1/units/", {"updated_since": (same - timedelta(days=1)).isoformat(), "page_size": 2}
    ).json()
    seen = []
    while True:
        seen += [row["code"] for row in page["results"]]
        if page["next"] is None:
            break
        # a row of a later page changes during the walk: it leaves this sync for the next
        Unit.objects.filter(code="KKB").update(name="Sleman (baru)", updated_at=timezone.now())
        page = admin.get(page["next"]).json()
    assert sorted(seen) == sorted(set(seen))
    assert set(seen) >= {"PUSAT", "KWA", "KKA", "MINA", "KWB"}
    later = admin.get("/api/v1/units/", {"updated_since": page["sync_until"]}).json()
    assert [row["name"] for row in later["results"]] == ["Sleman (baru)"]


def test_a_forged_cursor_or_page_size_is_a_400_not_a_500(api_as, tree):
    admin = api_as("admin")
    assert admin.get("/api/v1/units/", {"cursor": "bm90LWpzb24"}).status_code == 400
    assert admin.get("/api/v1/units/", {"cursor": "%%%"}).status_code == 400
    assert admin.get("/api/v1/units/", {"page_size": "100000"}).status_code == 400
    assert admin.get("/api/v1/units/", {"page_size": "-1"}).status_code == 400
