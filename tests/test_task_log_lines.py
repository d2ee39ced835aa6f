"""Each finished Celery task writes one line (core/task_signals.py) in the portal's log format,
with its name, id, state and duration, and is counted by name and state."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from prometheus_client import REGISTRY

from core.logs import RequestLogMiddleware
from tests.log_capture import json_log  # noqa: F401 (fixture)
from units.tasks import ping
from zi_portal.celery import app


@app.task(name="tests.always_fails")
def always_fails():
    raise RuntimeError("boom")


def _count(task: str, state: str) -> float:
    value = REGISTRY.get_sample_value("zi_celery_tasks_total", {"task": task, "state": state})
    return value or 0.0


def test_a_successful_task_writes_its_line_and_is_counted(json_log):  # noqa: F811
    before = _count("units.ping", "success")
    result = ping.apply(args=["zi"], task_id="task-id-0001")
    assert result.get() == "pong:zi"
    [line] = json_log.lines("zi.tasks")
    assert line["task"] == "units.ping"
    assert line["task_id"] == "task-id-0001"
    assert line["state"] == "success"
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == "task-id-0001"  # the task's records are its own
    assert _count("units.ping", "success") == before + 1


def test_a_failing_task_writes_a_warning_and_is_counted_as_failure(json_log):  # noqa: F811
    before = _count("tests.always_fails", "failure")
    result = always_fails.apply()
    with pytest.raises(RuntimeError):
        result.get()
    [line] = json_log.lines("zi.tasks")
    assert line["state"] == "failure" and line["level"] == "WARNING"
    assert _count("tests.always_fails", "failure") == before + 1


def test_a_task_run_inside_a_request_keeps_the_request_id(db, eager_celery, json_log):  # noqa: F811
    def view(request):  # a view that queues a task, run eagerly here
        ping.delay("x")
        return HttpResponse("ok")

    response = RequestLogMiddleware(view)(RequestFactory().get("/"))
    response.close()  # as the WSGI server does: the request's context ends
    [task_line] = json_log.lines("zi.tasks")
    assert task_line["request_id"] == response["X-Request-ID"]
