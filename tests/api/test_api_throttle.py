"""ZI_API_RATE: requests per token (one bucket per token, as issue 19 asks: a person's script
and their dashboard do not starve each other), refused with 429 and Retry-After."""

import pytest
from django.test import Client

from api.throttling import TokenRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    # The rate is read when a throttle is made (once per request): the class attribute wins
    # over REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], which DRF read at import.
    monkeypatch.setattr(TokenRateThrottle, "rate", "3/min", raising=False)


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_over_the_rate_a_token_gets_429_with_retry_after(three_a_minute, token_for):
    client = _client(token_for("operator"))
    assert [client.get("/api/v1/units/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/units/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()


def test_each_token_is_its_own_bucket(three_a_minute, token_for, personas):
    first, second = _client(token_for("operator")), _client(token_for("operator"))
    for _ in range(3):
        first.get("/api/v1/periods/")
    assert first.get("/api/v1/periods/").status_code == 429
    assert second.get("/api/v1/periods/").status_code == 200
    assert _client(token_for("reviewer")).get("/api/v1/periods/").status_code == 200


def test_every_endpoint_counts_against_the_same_bucket(three_a_minute, token_for, tree):
    client = _client(token_for("admin"))
    client.get("/api/v1/units/")
    client.get("/api/v1/units/KWA/")
    client.get("/api/v1/periods/")
    assert client.get("/api/v1/units/KKA/").status_code == 429


def test_the_default_rate_is_the_setting(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"] == TokenRateThrottle().rate
