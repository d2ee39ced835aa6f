"""Each request writes one JSON access line (core/logs.py) with its id, which the response
echoes; every other record written while it runs carries the same id and the user's."""

import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.log_capture import json_log  # noqa: F401 (fixture)


def test_access_line_names_route_status_user_unit_duration_and_size(
    client_for,
    personas,
    assessment,
    json_log,  # noqa: F811
):
    response = client_for("operator").get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    [line] = json_log.lines("zi.access")
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["level"] == "INFO"
    assert line["timestamp"].endswith("+00:00")
    assert line["method"] == "GET"
    assert line["route"] == "assessments:detail"
    assert line["status"] == 200
    assert line["user_id"] == personas["operator"].pk
    assert line["unit_id"] == assessment.unit_id
    assert line["bytes"] == len(response.content)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0


def test_without_a_unit_in_the_url_the_users_first_unit_is_named(
    client_for,
    personas,
    tree,
    json_log,  # noqa: F811
):
    client_for("reviewer").get(reverse("home"))
    [line] = json_log.lines("zi.access")
    assert line["route"] == "home"
    assert line["user_id"] == personas["reviewer"].pk
    assert line["unit_id"] == tree.kanwil_a.pk


def test_a_unit_page_names_that_unit(client_for, tree, json_log):  # noqa: F811
    client_for("operator").get(reverse("units:detail", args=[tree.kankemenag_a.code]))
    [line] = json_log.lines("zi.access")
    assert line["route"] == "units:detail"
    assert line["unit_id"] == tree.kankemenag_a.pk


def test_anonymous_request_has_no_user(client, db, json_log):  # noqa: F811
    response = client.get(reverse("login"))
    [line] = json_log.lines("zi.access")
    assert line["user_id"] is None and line["unit_id"] is None
    assert line["request_id"] == response["X-Request-ID"]


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(
    client,
    db,
    json_log,  # noqa: F811
):
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="nginx-7f3a9c01.b_2")
    assert kept["X-Request-ID"] == "nginx-7f3a9c01.b_2"
    for unsafe in ('abc"}{"x', "short", "a" * 65, "id with spaces", "ab\\u0000cdefgh"):
        response = client.get(reverse("login"), HTTP_X_REQUEST_ID=unsafe)
        assert response["X-Request-ID"] != unsafe
        assert len(response["X-Request-ID"]) == 32
    ids = [line["request_id"] for line in json_log.lines("zi.access")]
    assert ids[0] == "nginx-7f3a9c01.b_2" and len(set(ids)) == 6


def test_records_written_during_a_request_carry_its_id_and_user(
    client_for,
    personas,
    assessment_b,
    json_log,  # noqa: F811
):
    # Outside the operator's scope: a 404, which Django logs (django.request) after the
    # middleware chain has returned.
    response = client_for("operator").get(reverse("assessments:detail", args=[assessment_b.pk]))
    assert response.status_code == 404
    [warning] = json_log.lines("django.request")
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["user_id"] == personas["operator"].pk
    assert "request" not in warning  # its text would carry the full path and query string


def test_records_outside_a_request_carry_no_request_id(client, db, json_log):  # noqa: F811
    client.get(reverse("login"))
    logging.getLogger("zi.test").info("after the request")
    [line] = json_log.lines("zi.test")
    assert "request_id" not in line and "user_id" not in line


def test_the_middleware_adds_no_query(client_for, assessment, settings):
    client = client_for("operator")
    url = reverse("assessments:detail", args=[assessment.pk])
    client.get(url)  # warm: caches and the session's first write
    with CaptureQueriesContext(connection) as with_logs:
        assert client.get(url).status_code == 200
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name not in ("core.logs.RequestLogMiddleware",)
        and not name.startswith("core.metrics_middleware.")
    ]
    with CaptureQueriesContext(connection) as without:
        assert client.get(url).status_code == 200
    assert len(with_logs) == len(without)
