"""/healthz: the database, the broker, the default storage and clamd, each "ok", "skipped" or
"error: <ExceptionClass>"; against the real object store (moto) and the real clamd on loopback,
and with each of them stopped: 503 naming the component, within the two-second bound."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from bench.loopback import moto_s3


def _get(client):
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    return response, time.monotonic() - started


def test_healthz_reports_each_component(client, db):
    response, _ = _get(client)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "storage": "ok",
        "clamd": "skipped",
    }


def test_healthz_is_503_when_the_broker_is_down(client, db):
    with mock.patch("core.health.check_broker", return_value="error: OperationalError"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_with_the_real_object_store_and_clamd(client, db, s3_store, real_clamd):
    response, _ = _get(client)
    assert response.status_code == 200
    assert response.json()["storage"] == "ok" and response.json()["clamd"] == "ok"


def test_healthz_is_503_when_clamd_is_stopped(client, db, s3_store, real_clamd):
    real_clamd.stop()
    response, seconds = _get(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["clamd"].startswith("error: ")
    assert body["storage"] == "ok"
    assert seconds < 20  # a hang guard only; no timing in unit tests


@pytest.fixture
def own_s3(settings, moto_server):
    """A moto server of this test's own, so that stopping it leaves the shared one running."""
    with moto_s3() as server:
        settings.ZI_S3_BUCKET = server.bucket
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": server.storage_options(),
            },
        }
        yield server


def test_healthz_is_503_when_the_object_store_is_stopped(client, db, own_s3, real_clamd):
    assert _get(client)[0].json()["storage"] == "ok"
    own_s3.stop()
    response, seconds = _get(client)
    assert response.status_code == 503
    body = response.json()
    assert body["storage"] == "error: EndpointConnectionError"
    assert body["clamd"] == "ok"
    assert seconds < 20  # a hang guard only; no timing in unit tests


def test_healthz_is_503_when_the_object_store_hangs(client, db, settings):
    """A server that accepts the connection and never answers: the bound, not the hang."""
    import socket

    silent = socket.create_server(("127.0.0.1", 0))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "zi-silent",
                "endpoint_url": f"http://127.0.0.1:{silent.getsockname()[1]}",
                "region_name": "us-east-1",
                "access_key": "x",
                "secret_key": "y",
            },
        },
    }
    try:
        response, seconds = _get(client)
    finally:
        silent.close()
    assert response.status_code == 503
    # The client's own read timeout ended it (one attempt), not the test's patience; the
    # bound below only catches a hang (speed is bench/'s business, not a unit test's).
    assert "Timeout" in response.json()["storage"]
    assert seconds < 20


def test_the_load_balancers_probe_asks_only_the_process_and_its_database(
    client, db, s3_store, real_clamd
):
    """?live: a shared component down (clamd here) must not take every web node out of the
    load balancer; monitoring asks /healthz without it and sees the 503."""
    real_clamd.stop()
    live = client.get(reverse("healthz") + "?live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok", "database": "ok"}
    assert client.get(reverse("healthz")).status_code == 503


def test_the_database_probe_is_bounded_by_a_statement_timeout(db):
    """A database that takes too long to answer is an error within the bound, not a hang."""
    from django.db import connection

    from core import health

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's; CI runs this on PostgreSQL")
    slow = mock.patch.object(health, "PROBE_SQL", "SELECT pg_sleep(30)")
    with slow, mock.patch.object(health, "TIMEOUT", 0.2):
        assert health.check_database().startswith("error: ")
    assert health.check_database() == "ok"
