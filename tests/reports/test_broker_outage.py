"""A report request survives the broker being down: the job row is the outbox, the person sees
"laporan akan diproses segera" (never a 500), and once the broker is back beat's sweep hands the
message over. Proven with a real Redis server started on loopback, down and then up.

Finding 3 of the attack pass: with the broker unreachable a report request gave a 500 after
19 s, the job stayed queued with no message anywhere, and asking again redirected to that dead
job forever."""

import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from reports import services, tasks, worker
from reports.models import JobStatus, ReportJob
from zi_portal.celery import app

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Broker:
    """A Redis of the test's own on a fixed loopback port, which the test stops and starts."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (a fixed local binary)
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def queued(self, queue: str = "reports") -> int:
        return redis.Redis(port=self.port).llen(queue)


def _use_broker(url: str) -> None:
    app.conf.broker_url = app.conf.broker_write_url = url
    app._pool = None  # pools are per URL; the next publish connects to `url`
    app.amqp._producer_pool = None


@pytest.fixture
def broker():
    before = app.conf.broker_url, app.conf.broker_write_url
    down = Broker()  # nothing listens on its port yet: the broker is down
    _use_broker(down.url)
    yield down
    down.stop()
    app.conf.broker_url, app.conf.broker_write_url = before
    app._pool = None
    app.amqp._producer_pool = None


def _request(client, assessment):
    data = {"kind_of_report": "lhe", "assessment": assessment.pk, "layer": "self"}
    return client.post(reverse("reports:request"), data, follow=True)


def test_a_request_while_the_broker_is_down_is_kept_and_said_so(
    broker, assessment, client_for, django_capture_on_commit_callbacks
):
    client = client_for("operator")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, assessment)
    assert time.monotonic() - started < 15  # not kombu's 19 s of retries (a bound, not a bench)
    assert response.status_code == 200
    assert "akan diproses segera" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.sent_at is None


def test_asking_again_resends_and_the_sweep_delivers_once_the_broker_is_back(
    broker, assessment, client_for, django_capture_on_commit_callbacks
):
    client = client_for("operator")
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, assessment)
    job = ReportJob.objects.get()

    broker.start()
    with django_capture_on_commit_callbacks(execute=True):
        again = _request(client, assessment)
    assert again.redirect_chain[-1][0] == reverse("reports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.sent_at is not None and broker.queued() == 1


def test_the_sweep_sends_what_never_reached_the_broker(
    broker, assessment, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request(client_for("operator"), assessment)
    assert tasks.send_queued_reports() == 0  # too young: the request's own try came first
    later = timezone.now() + timedelta(minutes=2)
    assert tasks.send_queued_reports(now=later) == 0  # still down: nothing lost, no error
    broker.start()
    assert tasks.send_queued_reports(now=later) == 1
    assert broker.queued() == 1
    assert tasks.send_queued_reports(now=later) == 0  # sent: not again until presumed lost
    worker.report_run(job_id=ReportJob.objects.get().pk)  # what the worker does with it
    assert ReportJob.objects.get().status == JobStatus.DONE


def test_a_duplicate_message_does_not_run_a_job_twice(assessment, personas, storage):
    job = services.report_request(
        kind="lhe", params={"assessment": assessment.pk, "layer": "self"}, by=personas["operator"]
    )
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now(), attempts=1
    )
    assert worker.report_run(job_id=job.pk) is None  # another worker is on it
    assert ReportJob.objects.get(pk=job.pk).attempts == 1
