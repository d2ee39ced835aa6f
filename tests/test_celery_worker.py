"""A task makes the round trip through a real worker process on the configured broker
(Redis in CI, SQLAlchemy-on-SQLite locally)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from units.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zi_portal.settings_test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zi_portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_task_round_trip_through_a_real_worker(worker):
    result = ping.delay("zi")
    try:
        assert result.get(timeout=60) == "pong:zi"
    except Exception:
        worker.terminate()
        print(worker.communicate(timeout=20)[0])
        raise
    print("broker:", settings.CELERY_BROKER_URL.split("://")[0])
