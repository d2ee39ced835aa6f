"""Logs: one JSON object per line on stdout in production (DJANGO_LOG_FORMAT), each request's
access line, and the request's id and user on every record written while it runs.

What may appear in a log line: ids (request, user, unit, task), the URL pattern's name, the
method, status, sizes and durations. Never an e-mail address, a name, a query string or a form
field: the access line names the route, not the path; a `request` object that Django or a
library hands to the logger (django.request's 4xx/5xx warnings) is dropped, since its text
carries the full path with its query string; so are the arguments Celery attaches to its task
records (`data`: args, kwargs, return value). Last, any e-mail address left in a line (an
exception's text: Celery's "Retry in 30s: SMTPRecipientsRefused({'x@y.go.id': ...})") is
written as `[email]`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

access_log = logging.getLogger("zi.access")

# The request (or Celery task) a record belongs to; empty outside one.
_request_id: ContextVar[str | None] = ContextVar("zi_request_id", default=None)
_user_id: ContextVar[int | None] = ContextVar("zi_user_id", default=None)
_unit_id: ContextVar[int | None] = ContextVar("zi_unit_id", default=None)

# An id a proxy (nginx's $request_id) or a client sent is kept only if it cannot carry
# anything but an identifier: no spaces, quotes, newlines or JSON.
# An e-mail address anywhere in a written line (message, exception text).
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"
UNIT_ROUTE = "units/<str:code>/"  # the pages and API endpoints about one unit


def request_id() -> str | None:
    return _request_id.get()


def about_unit(unit_id: int | None) -> None:
    """The unit the current request is about (its access line's `unit_id`), for code that
    learns it while serving the request (assessments.selectors.assessment_for_user)."""
    if unit_id is not None and _request_id.get() is not None:
        _unit_id.set(unit_id)


class ContextFilter(logging.Filter):
    """Puts the current request's (or task's) id and user id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id.get()
        return True


# Attributes of a LogRecord that are not "extra" fields (the standard ones plus Django's).
_DROPPED = frozenset({"request", "status_code", "taskName", "color_message"})


class JsonFormatter(_LibraryJsonFormatter):
    """python-json-logger's formatter with the portal's field names (timestamp, level,
    logger, message), the context ids, and objects dropped that could carry personal data."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return EMAIL_ADDRESS.sub("[email]", super().format(record))

    def add_fields(self, log_data, record, message_dict) -> None:
        # First on the line, in UTC: every node and worker writes comparable times.
        created = datetime.fromtimestamp(record.created, tz=UTC)
        log_data["timestamp"] = created.isoformat(timespec="milliseconds")
        super().add_fields(log_data, record, message_dict)
        for name in _DROPPED:
            log_data.pop(name, None)
        if record.name.startswith("celery."):  # a task's arguments and return value
            log_data.pop("data", None)
        if record.name != access_log.name:  # outside a request or task: not written
            for name in ("request_id", "user_id"):
                if log_data.get(name) is None:
                    log_data.pop(name, None)


class TextFormatter(logging.Formatter):
    """Development and tests: one readable line, with the request id when there is one."""

    def __init__(self):
        super().__init__("%(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"{line} [{rid}]" if rid else line


def logging_config(*, log_format: str, level: str) -> dict:
    """settings.LOGGING: stdout, JSON or text, the context on every record."""
    formatter = "core.logs.JsonFormatter" if log_format == "json" else "core.logs.TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.logs.ContextFilter"}},
        "formatters": {"portal": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "portal",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # pikepdf says at INFO that its C++ logger bridge started, in every process that checks
        # a PDF. django.server repeats the access line under runserver.
        "loggers": {
            "axes": {"level": "WARNING"},
            "pikepdf": {"level": "WARNING"},
            "django.server": {"level": "WARNING"},
        },
    }


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives each request its id (a safe incoming X-Request-ID, else a new
    one), echoes it in the response, and writes one access line. No query of its own: the user
    is read only if something already loaded it, the unit from the user's memberships
    (units.backends) or from what the view said (`about_unit`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        _context_set(rid)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        self._log(request, response, started)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = _loaded_user(request)  # AuthenticationMiddleware ran; the user may be loaded
        if user is not None:
            _user_id.set(user.pk)
        return None

    def _log(self, request, response, started) -> None:
        user = _loaded_user(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or match.route) if match else None
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        access_log.log(
            level,
            "%s %s %s",
            request.method,
            route or "-",
            status,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None else None,
                "unit_id": _unit_id.get() or _unit_in(match, user),
                "bytes": _size(response),
            },
        )


def _context_set(rid: str | None) -> None:
    _request_id.set(rid)
    _user_id.set(None)
    _unit_id.set(None)


@receiver(request_finished, dispatch_uid="zi_log_context_end")
def _context_end(**kwargs) -> None:
    """The context lasts until the response is sent, not until the middleware returns: Django
    logs a 4xx/5xx response (django.request) after the whole chain, and that record is the
    request's too."""
    _context_set(None)


def _loaded_user(request):
    """The signed-in user if already loaded (by a middleware, a view or DRF), else None:
    reading a lazy user here would cost a query on pages that never needed it."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _unit_in(match, user) -> int | None:
    """The unit named by the URL (`units/<code>/...`) when it is one of the user's, None when
    it is another (a unit below theirs: its id would cost a query); without a unit in the URL,
    the user's first unit (memberships are ordered by role, then unit path)."""
    memberships = getattr(user, "_zi_memberships", None) or []
    if match is not None and UNIT_ROUTE in (match.route or ""):
        code = match.kwargs.get("code")
        return next((m.unit_id for m in memberships if m.unit.code == code), None)
    return memberships[0].unit_id if memberships else None


def _size(response) -> int | None:
    if not response.streaming:
        return len(response.content)
    length = response.get("Content-Length")
    return int(length) if length and length.isdigit() else None


def task_context(task_id: str | None):
    """Within a Celery task: its id stands in for the request id on the task's records."""
    return _request_id.set(task_id)


def task_context_end(token) -> None:
    _request_id.reset(token)
