"""The metrics move with what happens (core/metrics.py): a request's latency by view, an
upload's size and scan result, a report job's duration, and the Celery queues' lengths read
from a real Redis broker on loopback."""

import socket
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from assessments.evidence.services import evidence_upload
from assessments.models import Status
from core.errors import EvidenceError
from core.metrics import QueueDepthCollector
from reports import services, worker
from reports.models import JobStatus
from tests.assessments.test_evidence_files import make_pdf

TOKEN = "t" * 40


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _scraped(client) -> dict[tuple, float]:
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def scraping(settings):
    settings.ZI_METRICS_TOKEN = TOKEN


def test_a_request_is_counted_and_timed_by_view(client_for, assessment, scraping):
    client = client_for("operator")
    key = (
        "django_http_requests_latency_seconds_by_view_method_count",
        (("method", "GET"), ("view", "assessments:detail")),
    )
    before = _scraped(client).get(key, 0)
    client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert _scraped(client)[key] == before + 1


def test_made_up_methods_share_one_label(client, db):
    before = _value(
        "django_http_requests_latency_seconds_by_view_method_count",
        view="login",
        method="<invalid method>",
    )
    for method in ("FOO", "BAR"):
        client.generic(method, reverse("login"))
    after = _value(
        "django_http_requests_latency_seconds_by_view_method_count",
        view="login",
        method="<invalid method>",
    )
    assert after == before + 2


def _upload(assessment, user, content=None):
    return evidence_upload(
        assessment=assessment,
        kind="piagam",
        by=user,
        uploaded_file=SimpleUploadedFile("SK.pdf", content or make_pdf()),
    )


@pytest.fixture
def open_assessment(assessment, storage):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


def test_an_upload_is_counted_by_size_and_scan_result(open_assessment, personas, settings):
    settings.CLAMAV_URL = ""
    count = _value("zi_evidence_upload_bytes_count")
    total = _value("zi_evidence_upload_bytes_sum")
    skipped = _value("zi_evidence_scans_total", result="skipped")
    evidence = _upload(open_assessment, personas["operator"])
    assert _value("zi_evidence_upload_bytes_count") == count + 1
    assert _value("zi_evidence_upload_bytes_sum") == total + evidence.size
    assert _value("zi_evidence_scans_total", result="skipped") == skipped + 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_scanner_that_cannot_be_reached_counts_as_pending(open_assessment, personas, settings):
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{_closed_port()}"
    pending = _value("zi_evidence_scans_total", result="pending")
    assert _upload(open_assessment, personas["operator"]).scan_status == "pending"
    assert _value("zi_evidence_scans_total", result="pending") == pending + 1


def test_clean_and_infected_scans_are_counted(open_assessment, personas, settings, monkeypatch):
    # clamd's answers (a real clamd on loopback is exercised by the evidence scan tests).
    settings.CLAMAV_URL = "tcp://127.0.0.1:3310"
    monkeypatch.setattr("assessments.evidence.intake.clamd_instream", lambda url, chunks: None)
    clean = _value("zi_evidence_scans_total", result="clean")
    infected = _value("zi_evidence_scans_total", result="infected")
    sizes = _value("zi_evidence_upload_bytes_count")
    _upload(open_assessment, personas["operator"])
    monkeypatch.setattr(
        "assessments.evidence.intake.clamd_instream", lambda url, chunks: "Eicar-Signature"
    )
    with pytest.raises(EvidenceError):
        _upload(open_assessment, personas["operator"])
    assert _value("zi_evidence_scans_total", result="clean") == clean + 1
    assert _value("zi_evidence_scans_total", result="infected") == infected + 1
    assert _value("zi_evidence_upload_bytes_count") == sizes + 1  # the refused one is not stored


def test_a_report_job_is_timed_by_kind_and_outcome(assessment, personas, storage):
    done = _value("zi_report_duration_seconds_count", kind="evidence_zip", outcome="done")
    job = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["reviewer"]
    )
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert _value("zi_report_duration_seconds_count", kind="evidence_zip", outcome="done") == (
        done + 1
    )
    assert _value("zi_report_duration_seconds_sum", kind="evidence_zip", outcome="done") > 0


def test_a_refused_report_job_is_timed_as_failed(assessment, personas, storage):
    failed = _value("zi_report_duration_seconds_count", kind="evidence_zip", outcome="failed")
    job = services.report_request(
        kind="evidence_zip", params={"assessment": assessment.pk}, by=personas["reviewer"]
    )
    assessment.delete()  # gone before a worker took the job
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert _value("zi_report_duration_seconds_count", kind="evidence_zip", outcome="failed") == (
        failed + 1
    )


REDIS = ("127.0.0.1", 6379)


@pytest.fixture
def redis_broker(settings):
    redis = pytest.importorskip("redis")
    client = redis.Redis(*REDIS, db=15, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379 (CI starts one)")
    settings.CELERY_BROKER_URL = f"redis://{REDIS[0]}:{REDIS[1]}/15"
    client.delete("celery", "reports", "reports\x06\x166")
    yield client
    client.delete("celery", "reports", "reports\x06\x166")


def _queue_lengths() -> dict[str, float]:
    families = list(QueueDepthCollector().collect())
    return {sample.labels["queue"]: sample.value for f in families for sample in f.samples}


def test_queue_lengths_are_read_from_the_redis_broker(redis_broker, client, db, scraping):
    assert _queue_lengths() == {"celery": 0, "reports": 0}
    redis_broker.lpush("reports", *[uuid.uuid4().hex for _ in range(3)])
    redis_broker.lpush("reports\x06\x166", "a message with a priority")
    redis_broker.lpush("celery", "x")
    assert _queue_lengths() == {"celery": 1, "reports": 4}
    scraped = _scraped(client)
    assert scraped[("zi_celery_queue_length", (("queue", "reports"),))] == 4


def test_no_queue_length_on_a_broker_that_is_not_redis(settings, client, db, scraping):
    settings.CELERY_BROKER_URL = "sqla+sqlite:///unused.sqlite3"
    assert _queue_lengths() == {}
    assert not any(name == "zi_celery_queue_length" for name, _ in _scraped(client))


def test_a_broker_that_is_down_gives_no_queue_length_and_the_scrape_answers(
    settings, client, db, scraping
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    assert _queue_lengths() == {}
    assert _scraped(client)
