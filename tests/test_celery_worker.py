"""Real Celery worker processes on the configured broker (Redis in CI, SQLAlchemy-on-SQLite
locally): a task's round trip, and a report job that survives its worker being killed.

Both live in this one module so that, with pytest-xdist's --dist loadfile, they never run
beside each other and consume each other's messages."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports import services, tasks
from reports.models import JobStatus, ReportJob
from units.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    """The test database, for a worker process to read what the test wrote."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def purge_queues() -> None:
    """Drop messages left over from earlier runs, before any worker starts (a worker's own
    --purge would race with the test's first message)."""
    from zi_portal.celery import app

    with app.connection_for_write() as conn:
        for queue in ("celery", "reports"):
            with contextlib.suppress(Exception):  # the queue may not exist yet
                conn.default_channel.queue_purge(queue)


def start_worker(purge: bool = False, **env) -> subprocess.Popen:
    """A worker process; `purge` first drops messages left over from earlier runs."""
    if purge:
        purge_queues()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings_test",
        "DATABASE_URL": _database_url(),
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "zi_portal", "worker", "--pool=solo",
            "--queues=celery,reports", "--loglevel=WARNING", "--without-gossip",
            "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> str:
    process.send_signal(sig)
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


@pytest.fixture
def worker():
    process = start_worker(purge=True)
    yield process
    stop(process)


@pytest.mark.worker
def test_task_round_trip_through_a_real_worker(worker):
    result = ping.delay("zi")
    try:
        assert result.get(timeout=60) == "pong:zi"
    except Exception:
        print(stop(worker))
        raise
    print("broker:", settings.CELERY_BROKER_URL.split("://")[0])


def _wait_for(job_id: int, statuses, seconds: float) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ReportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still {job.status} after {seconds} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_does_not_lose_the_job(assessment, personas):
    slow = start_worker(purge=True, ZI_REPORT_FAULT_DELAY="60")
    try:
        job = services.report_request(
            kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["operator"]
        )
        try:
            running = _wait_for(job.pk, [JobStatus.RUNNING], 60)
        except AssertionError:
            print(stop(slow))
            raise
        assert running.attempts == 1
    finally:
        output = stop(slow, signal.SIGKILL)  # the worker dies in the middle of the job
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.RUNNING, output

    replacement = start_worker()
    try:
        # What beat does every five minutes, run now as if the heartbeat were old.
        ReportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=running.heartbeat_at.replace(year=2000)
        )
        assert tasks.recover_stuck_reports() == (1, 0)
        done = _wait_for(job.pk, [JobStatus.DONE, JobStatus.FAILED], 90)
    finally:
        output = stop(replacement)
    assert done.status == JobStatus.DONE, (done.error, output)
    assert done.attempts == 2 and done.file and len(done.sha256) == 64
