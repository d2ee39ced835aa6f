"""What /healthz asks: the database, the broker, the default storage (local disk or the object
store) and the virus scanner. Each answer is "ok", "skipped" (not configured) or
"error: <ExceptionClass>"; each is bounded to about two seconds, so a dead component makes the
check fail fast instead of hanging the load balancer's probe."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import connection, transaction

from core.clamd import clamd_ping

TIMEOUT = 2.0
PROBE_SQL = "SELECT 1"
# A key that is never written: exists() is a HEAD request on S3, a stat() on disk.
PROBE_KEY = "healthz/probe"
S3_BACKEND = "storages.backends.s3.S3Storage"


def report(*, live: bool = False) -> dict[str, str]:
    """Every component; `live`: the process and its database only (a load balancer's probe,
    which must not take every node out when a shared component such as clamd is down)."""
    if live:
        return {"database": check_database()}
    return {
        "database": check_database(),
        "broker": check_broker(),
        "storage": check_storage(),
        "clamd": check_clamd(),
    }


def _error(error: BaseException) -> str:
    return f"error: {error.__class__.__name__}"


def bounded(check: Callable[[], object], seconds: float = TIMEOUT) -> str:
    """Run `check` in a daemon thread and give up after `seconds` (a stuck network call
    cannot be interrupted; the thread is left to finish on its own)."""
    outcome: list[str] = []

    def run() -> None:
        try:
            check()
            outcome.append("ok")
        except Exception as error:  # any failure means unhealthy; say which
            outcome.append(_error(error))

    worker = threading.Thread(target=run, daemon=True, name="healthz-check")
    worker.start()
    worker.join(seconds)
    return outcome[0] if outcome else "error: TimeoutError"


def check_database() -> str:
    """SELECT 1, bounded: the connection by its connect_timeout (settings), the statement by a
    statement_timeout of TIMEOUT on PostgreSQL."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = %s", [int(TIMEOUT * 1000)])
            cursor.execute(PROBE_SQL)
        return "ok"
    except Exception as error:
        return _error(error)


def check_broker() -> str:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT)
        return "ok"
    except Exception as error:
        return _error(error)


# One probe storage per configuration and process: building a boto3 client costs ~300 ms.
_probes: dict[str, object] = {}


def _probe_storage():
    """For S3, a twin of the default storage with short timeouts and no retries, so that a dead
    object store answers with its own error (EndpointConnectionError) within the bound."""
    config = settings.STORAGES["default"]
    key = repr(config)
    if key not in _probes:
        from botocore.config import Config

        quick = Config(
            connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 1, "mode": "standard"}
        )
        options = {**config.get("OPTIONS", {}), "client_config": quick}
        _probes[key] = storages.create_storage({**config, "OPTIONS": options})
    return _probes[key]


def check_storage() -> str:
    if settings.STORAGES["default"]["BACKEND"] != S3_BACKEND:
        return bounded(lambda: default_storage.exists(PROBE_KEY))
    # In the request's thread, where django-storages keeps its connection (a thread-local);
    # bounded by the client's own timeouts (1 s to connect, 1 s to read, one attempt).
    try:
        _probe_storage().exists(PROBE_KEY)
        return "ok"
    except Exception as error:
        return _error(error)


def check_clamd() -> str:
    url = getattr(settings, "CLAMAV_URL", "") or os.environ.get("CLAMAV_URL", "")
    if not url:
        return "skipped"

    def ping() -> None:
        if not clamd_ping(url, timeout=TIMEOUT):
            raise ConnectionError("no PONG")

    return bounded(ping)
