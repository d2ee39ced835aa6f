"""Prometheus metrics: what the portal counts, who may read them, and how they are gathered
from several processes.

Where each number lives:
- web processes (gunicorn workers): request latency and counts by view (django-prometheus's
  middleware), evidence upload sizes and scan results. gunicorn runs several workers, so
  prometheus_client's multiprocess mode is on whenever PROMETHEUS_MULTIPROC_DIR is set: each
  process writes its samples to files there, `/metrics` (any worker) sums them, and
  gunicorn.conf.py empties the directory at start and marks a dead worker's files.
- Celery workers (other processes, often other hosts): task outcomes and durations, report
  durations. Each worker node serves its own on ZI_METRICS_WORKER_PORT (the same token and
  allow list), summed over its pool's processes the same way; Prometheus scrapes every worker
  node, so a sum over instances counts each task once.
- read at scrape time: the Celery queues' lengths (Redis LLEN on the broker), on `/metrics`
  of every web node (the same value from each: take `max by (queue)`).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
from functools import lru_cache
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core import checks
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import ThreadingWSGIServer

from core.ratelimits import client_ip

log = logging.getLogger(__name__)

MiB = 1024 * 1024
EVIDENCE_UPLOAD_BYTES = Histogram(
    "zi_evidence_upload_bytes",
    "Size of each stored evidence upload, in bytes.",
    buckets=(64 * 1024, 256 * 1024, MiB, 2 * MiB, 5 * MiB, 10 * MiB, 20 * MiB, 50 * MiB, 100 * MiB),
)
EVIDENCE_SCANS = Counter(
    "zi_evidence_scans",
    "Virus scans of evidence uploads by result: clean, infected, pending (scanner unreachable "
    "or erring: kept for a rescan) or skipped (no scanner configured).",
    ["result"],
)
REPORT_DURATION = Histogram(
    "zi_report_duration_seconds",
    "Time a worker spent building a report job, by kind and outcome (done, failed, error).",
    ["kind", "outcome"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800),
)
CELERY_TASKS = Counter(
    "zi_celery_tasks", "Celery tasks finished, by task name and state.", ["task", "state"]
)
CELERY_TASK_DURATION = Histogram(
    "zi_celery_task_duration_seconds",
    "Celery task run time, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800),
)

# kombu's Redis transport keeps a queue's messages in a list named after it, and messages with
# a priority in lists suffixed with its separator and the priority step.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def celery_queues() -> list[str]:
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route}
    return sorted({getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"), *routed})


@lru_cache(maxsize=2)
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


class QueueDepthCollector:
    """zi_celery_queue_length{queue}: messages waiting in each queue, read from the broker when
    Prometheus scrapes. Only a Redis broker is read; on another one nothing is reported."""

    def collect(self):
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://")):
            return []
        queues = celery_queues()
        try:
            pipe = _redis(url).pipeline(transaction=False)
            for queue in queues:
                pipe.llen(queue)
                for step in _PRIORITY_STEPS:
                    pipe.llen(f"{queue}{_PRIORITY_SEPARATOR}{step}")
            lengths = pipe.execute()
        except Exception as error:  # the broker down: no sample, and the scrape still answers
            log.warning("queue lengths not read: %s", error.__class__.__name__)
            return []
        family = GaugeMetricFamily(
            "zi_celery_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
        )
        per_queue = 1 + len(_PRIORITY_STEPS)
        for index, queue in enumerate(queues):
            family.add_metric([queue], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        return [family]


def exposition(*, queues: bool = True) -> bytes:
    """The metrics text of this process, or of every process sharing PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    if queues:
        scraped = CollectorRegistry(auto_describe=False)
        scraped.register(QueueDepthCollector())
        text += generate_latest(scraped)
    return text


# ------------------------------------------------------------------------------ who may read


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def scrape_allowed(authorization: str, address: str) -> bool:
    """A bearer token equal to ZI_METRICS_TOKEN (compared in constant time), or an address in
    ZI_METRICS_ALLOW. Without a token configured, nobody."""
    token = settings.ZI_METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    try:
        ip = ipaddress.ip_address(address)
        networks = _networks(tuple(settings.ZI_METRICS_ALLOW))
    except ValueError:  # a mistyped allow list (`check --deploy` says which) admits nobody
        return False
    return any(ip in net for net in networks)


def request_may_scrape(request) -> bool:
    return scrape_allowed(request.headers.get("Authorization", ""), client_ip(request))


# ------------------------------------------------------------------ a Celery worker's endpoint


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        """No access line per scrape."""


def worker_app(environ, start_response):
    allowed = scrape_allowed(environ.get("HTTP_AUTHORIZATION", ""), environ.get("REMOTE_ADDR", ""))
    if not allowed or environ.get("PATH_INFO") != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found"]
    body = exposition(queues=False)
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [body]


def worker_server_start(port: int, address: str = "0.0.0.0"):  # noqa: S104 (a scraper elsewhere)
    """Serve the worker's metrics in a thread of the worker's main process."""
    server = make_server(address, port, worker_app, ThreadingWSGIServer, _QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("worker metrics on %s:%s/metrics", address, server.server_port)
    return server


@checks.register(checks.Tags.security, deploy=True)
def check_metrics_access(app_configs, **kwargs):
    problems = []
    token = settings.ZI_METRICS_TOKEN
    if token and len(token) < 32:
        problems.append(
            checks.Warning(
                "ZI_METRICS_TOKEN is shorter than 32 characters.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="zi_portal.W010",
            )
        )
    try:
        _networks(tuple(settings.ZI_METRICS_ALLOW))
    except ValueError as error:
        problems.append(checks.Error(f"ZI_METRICS_ALLOW: {error}", id="zi_portal.E010"))
    return problems
