import pytest
from rest_framework.test import APIClient

from api.services import token_create


@pytest.fixture
def token_for(personas):
    """The raw personal token of a persona (made through the service, as the portal does)."""

    def make(name: str) -> str:
        user = personas[name]
        return token_create(user=user, name=f"test {name}", expires_at=None, by=user)[1]

    return make


@pytest.fixture
def api_as(token_for):
    """An API client authenticated with a persona's token (no session)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(name)}")
        return client

    return make
