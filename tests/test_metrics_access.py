"""/metrics is closed to the public (core/metrics.py): served with the bearer token or to an
address in ZI_METRICS_ALLOW, a 404 (an unknown URL's) to anyone else, and always a 404 when
no token is configured. A Celery worker node's own endpoint follows the same rule."""

import io

import pytest
from django.urls import reverse

from core.metrics import check_metrics_access, worker_app

TOKEN = "metrics-token-" + "x" * 32


@pytest.fixture
def token(settings):
    settings.ZI_METRICS_TOKEN = TOKEN
    settings.ZI_METRICS_ALLOW = ["10.20.0.0/16"]


def _bearer(value=TOKEN):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def test_served_with_the_token(client, db, token):
    response = client.get(reverse("metrics"), **_bearer())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert "zi_evidence_upload_bytes" in body
    assert "no-cache" in response["Cache-Control"]


def test_refused_as_an_unknown_url_without_the_right_token(client, db, token):
    unknown = client.get("/tidak-ada")
    for headers in ({}, _bearer("wrong"), _bearer(TOKEN[:-1]), {"HTTP_AUTHORIZATION": TOKEN}):
        response = client.get(reverse("metrics"), **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == unknown["Content-Type"]
    assert client.post(reverse("metrics")).status_code == 404  # no 405 to give it away


def test_signed_in_people_are_refused_too(client_for, token):
    assert client_for("admin").get(reverse("metrics")).status_code == 404


def test_served_to_an_allowed_address_and_refused_outside_it(client, db, token):
    inside = client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4")
    assert inside.status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.21.3.4").status_code == 404
    # X-Forwarded-For is believed only from the portal's own proxies (none here).
    spoofed = client.get(
        reverse("metrics"), REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="10.20.3.4"
    )
    assert spoofed.status_code == 404


def test_nobody_is_served_without_a_token_configured(client, db, settings):
    settings.ZI_METRICS_TOKEN = ""
    settings.ZI_METRICS_ALLOW = ["0.0.0.0/0"]
    assert client.get(reverse("metrics"), **_bearer("")).status_code == 404
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4").status_code == 404


def test_a_mistyped_allow_list_admits_nobody_and_the_deploy_check_says_so(client, db, settings):
    settings.ZI_METRICS_TOKEN = TOKEN
    settings.ZI_METRICS_ALLOW = ["10.20.0.0/16", "10.20.0.0/33"]
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4").status_code == 404
    assert client.get(reverse("metrics"), **_bearer()).status_code == 200
    assert [problem.id for problem in check_metrics_access(None)] == ["zi_portal.E010"]
    settings.ZI_METRICS_ALLOW = []
    settings.ZI_METRICS_TOKEN = "too-short"
    assert [problem.id for problem in check_metrics_access(None)] == ["zi_portal.W010"]


def _worker_get(path="/metrics", **environ):
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    body = b"".join(
        worker_app(
            {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(), **environ},
            start_response,
        )
    )
    return answer["status"], body


def test_a_worker_nodes_endpoint_follows_the_same_rule(token):
    assert _worker_get(REMOTE_ADDR="192.0.2.9")[0] == "404 Not Found"
    assert _worker_get(REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION="Bearer no")[0].startswith("404")
    status, body = _worker_get(REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert status == "200 OK" and b"zi_celery_tasks" in body
    assert _worker_get(REMOTE_ADDR="10.20.0.7")[0] == "200 OK"
    assert _worker_get("/other", REMOTE_ADDR="10.20.0.7")[0].startswith("404")
