"""A real Celery worker node (prefork pool of two processes) serving its own metrics on
ZI_METRICS_WORKER_PORT (zi_portal/celery.py, core/metrics.py): the tasks its pool ran are
counted whichever process ran them, the endpoint is closed like /metrics, and the worker
writes JSON lines with each task's name, id, state and duration.

The worker consumes a queue of its own, so that it never takes another test's messages."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.test_celery_worker import _database_url
from units.tasks import ping

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "w" * 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scrape(port: int, token: str | None = TOKEN) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = f"http://127.0.0.1:{port}/metrics"
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _pings(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "zi_celery_tasks_total" and sample.labels == {
                "task": "units.ping",
                "state": "success",
            }:
                return sample.value
    return 0.0


@pytest.mark.worker
def test_a_worker_node_serves_the_counts_of_its_whole_pool(tmp_path, db):
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    stdout = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings_test",
        "DATABASE_URL": _database_url(),
        "DJANGO_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "ZI_METRICS_TOKEN": TOKEN,
        "ZI_METRICS_WORKER_PORT": str(port),
        "ZI_METRICS_WORKER_BIND": "127.0.0.1",
    }
    with stdout.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "zi_portal", "worker", "--pool=prefork",
                "--concurrency=2", f"--queues={queue}", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        results = [ping.apply_async(args=[str(n)], queue=queue) for n in range(6)]
        assert [r.get(timeout=90) for r in results] == [f"pong:{n}" for n in range(6)]
        deadline = time.monotonic() + 20
        status, text = _scrape(port)
        while _pings(text) < 6 and time.monotonic() < deadline:
            time.sleep(0.3)
            status, text = _scrape(port)
        assert status == 200
        assert _pings(text) == 6
        assert "zi_celery_task_duration_seconds_bucket" in text
        assert _scrape(port, token=None)[0] == 404
        assert _scrape(port, token="wrong")[0] == 404
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    print(stdout.read_text())
    parsed = [json.loads(line) for line in stdout.read_text().splitlines() if line.startswith("{")]
    tasks = [line for line in parsed if line["logger"] == "zi.tasks"]
    assert len(tasks) == 6
    assert {line["task_id"] for line in tasks} == {r.id for r in results}
    assert all(line["request_id"] == line["task_id"] for line in tasks)
    assert all(line["state"] == "success" and line["duration_ms"] >= 0 for line in tasks)
    assert not any("data" in line for line in parsed)  # Celery's task arguments are not written
