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
