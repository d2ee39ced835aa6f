"""Celery tasks in the logs and metrics: one line per finished task (name, id, state, duration)
in the portal's log format, and the counters of core.metrics. Connected by zi_portal/celery.py,
so in every worker and in a web process that runs a task eagerly."""

from __future__ import annotations

import contextlib
import logging
import time

from celery import signals

from core import logs, metrics

log = logging.getLogger("zi.tasks")

_running: dict[str, tuple[float, object | None]] = {}


@signals.task_prerun.connect
def task_started(task_id=None, task=None, **kwargs) -> None:
    # In a worker the task's id is its records' request id; a task run eagerly inside a request
    # keeps the request's.
    token = logs.task_context(task_id) if logs.request_id() is None else None
    _running[task_id] = (time.perf_counter(), token)


@signals.task_postrun.connect
def task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    started, token = _running.pop(task_id, (None, None))
    seconds = time.perf_counter() - started if started is not None else None
    name = getattr(task, "name", None) or "unknown"
    state = (state or "unknown").lower()
    metrics.CELERY_TASKS.labels(task=name, state=state).inc()
    if seconds is not None:
        metrics.CELERY_TASK_DURATION.labels(task=name).observe(seconds)
    log.log(
        logging.WARNING if state == "failure" else logging.INFO,
        "task %s %s",
        name,
        state,
        extra={
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round(seconds * 1000, 1) if seconds is not None else None,
        },
    )
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context: nothing to undo
            logs.task_context_end(token)
