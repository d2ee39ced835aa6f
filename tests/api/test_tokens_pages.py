"""A person's token page (akun/token-api/): make a token, see it once, use it, revoke it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create
from api.tokens import digest_of
from core.audit import action_of

pytestmark = pytest.mark.django_db

TOKENS = "/akun/token-api/"
RAW = re.compile(r"zi_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def _make(client, **data):
    return client.post(TOKENS, {"name": "Skrip rekap", "expiry": "90", **data})


def _api(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(client_for, personas):
    client = client_for("operator")
    response = _make(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = RAW.search(response.content.decode())[0]
    token = ApiToken.objects.get(user=personas["operator"])
    assert token.digest == digest_of(raw) and raw.startswith(f"zi_{token.prefix}_")
    assert raw not in (token.name, token.prefix, token.digest)
    assert token.expires_at - timezone.now() > timedelta(days=89, hours=23)

    again = client.get(TOKENS)
    assert raw not in again.content.decode()
    assert f"zi_{token.prefix}" in again.content.decode()
    assert raw not in str(client.session.items())


def test_the_token_reads_exactly_its_owners_scope(client_for):
    raw = RAW.search(_make(client_for("reviewer")).content.decode())[0]
    response = _api(raw).get("/api/v1/units/")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {"KWA", "KKA", "MINA"}
    assert _api(raw).get("/api/v1/units/KKB/").status_code == 404


def test_revoking_in_the_page_refuses_the_token(client_for, personas):
    client = client_for("operator")
    raw = RAW.search(_make(client).content.decode())[0]
    token = ApiToken.objects.get()
    assert _api(raw).get("/api/v1/units/").status_code == 200
    response = client.post(reverse("api_tokens:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api(raw).get("/api/v1/units/").status_code == 401
    assert "dicabut" in client.get(TOKENS).content.decode()
    assert _audit_codes(token) == ["zi.api_token.created", "zi.api_token.revoked"]


def _audit_codes(token):
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(token).order_by("pk")
    return [action_of(entry) for entry in entries]


def test_an_expired_token_is_refused_and_shown_expired(client_for):
    client = client_for("operator")
    raw = RAW.search(_make(client).content.decode())[0]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _api(raw).get("/api/v1/units/").status_code == 401
    assert "kedaluwarsa" in client.get(TOKENS).content.decode()


def test_someone_elses_token_is_a_404(client_for, personas):
    other = personas["operator_b"]
    token, _raw = token_create(user=other, name="punya B", expires_at=None, by=other)
    client = client_for("operator")
    assert client.post(reverse("api_tokens:token_revoke", args=[token.pk])).status_code == 404
    assert "punya B" not in client.get(TOKENS).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expiry_choices_for_people_never_include_no_expiry(client_for):
    client = client_for("operator")
    assert 'value="never"' not in client.get(TOKENS).content.decode()
    refused = _make(client, expiry="never")
    assert refused.status_code == 200 and not ApiToken.objects.exists()

    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert not RAW.search(_make(client, expiry="date", expires_on=past).content.decode())
    day = timezone.localdate() + timedelta(days=10)
    assert RAW.search(_make(client, expiry="date", expires_on=day.isoformat()).content.decode())
    assert timezone.localtime(ApiToken.objects.get().expires_at).date() == day


def test_a_blank_name_is_refused_in_place(client_for):
    response = _make(client_for("operator"), name="   ")
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_user_menu_links_the_token_page(client_for):
    page = client_for("operator").get("/").content.decode()
    assert f'href="{TOKENS}"' in page
    assert 'href="/layanan-api/"' not in page
    assert 'href="/layanan-api/"' in client_for("admin").get("/").content.decode()


def tokens_of(user, n: int) -> None:
    """`n` tokens of `user` straight into the table (the service stops at 20 live ones)."""
    ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"t{i}", prefix=f"{i:08x}", digest=digest_of(f"t{i}"),
                 created_by=user, last_used_at=timezone.now())
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize("n", [1, 50])
def test_token_page_queries_do_not_grow_with_tokens(
    n, client_for, personas, django_assert_max_num_queries
):
    tokens_of(personas["operator"], n)
    client = client_for("operator")
    client.get(TOKENS)  # the session's first read
    with django_assert_max_num_queries(3):
        response = client.get(TOKENS)
    assert response.status_code == 200
    assert response.content.decode().count("<code>zi_") == n


def test_making_tokens_counts_against_the_accounts_write_limit(client_for, settings):
    settings.ZI_ACCOUNT_WRITE_RATE = "2/m"
    client = client_for("operator")
    assert [_make(client).status_code for _ in range(2)] == [200, 200]
    refused = _make(client)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert ApiToken.objects.count() == 2
