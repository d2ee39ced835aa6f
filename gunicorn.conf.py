"""gunicorn's settings for the portal (read from the working directory: `gunicorn
zi_portal.wsgi`). Bounds chosen so that one slow or oversized request cannot starve the rest:

- timeout 30 s: a sync worker stuck longer is killed and replaced; no page is meant to take more
  than a second (reports are built by Celery), so 30 s only ever ends a runaway request.
- request line, header count and header size at gunicorn's strictest useful values; bodies are
  bounded by Django (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) and by the
  evidence upload handler, which drops a file past the upload limit while it streams in.
- Bind to loopback (or a unix socket) behind the TLS proxy: reached directly, gunicorn would
  believe any X-Forwarded-For (see SECURITY.md, "Binding gunicorn").
Each value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 30
graceful_timeout = 30
keepalive = 5
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The portal writes its own access line per request (core/logs.py: request id, route, user id,
# duration, in the log format of DJANGO_LOG_FORMAT); gunicorn's would repeat it with the raw
# path and query string, which may hold personal data.
accesslog = None
# gunicorn's own messages (worker started, timed out) in the same format as the portal's.
_log_format = os.environ.get("DJANGO_LOG_FORMAT") or (
    "text" if os.environ.get("DJANGO_DEBUG", "").lower() in ("1", "true", "yes", "on") else "json"
)
if _log_format == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }


# Prometheus' multiprocess mode (core/metrics.py): each worker writes its samples to files in
# PROMETHEUS_MULTIPROC_DIR. The directory starts empty, and a dead worker's files are marked
# so its live gauges go (its counters stay in the sums, as they should).
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
