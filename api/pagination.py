"""Lists one page at a time in an order that never shifts under a client walking them, and
incremental sync.

Pages are cut by key, never by offset: the `cursor` of the next link names the last row sent
(its primary key, or its `updated_at` and primary key in a sync), and the next page starts
strictly after it. A walk therefore neither repeats nor skips a row, however many rows share a
timestamp (a migration fills a new column with one value; `touch()` stamps a transaction's rows
with its start).

`?updated_since=<ISO 8601>` returns the rows changed after that moment, oldest change first, up
to `sync_until`, which the client passes as `updated_since` next time. A change is seen once:
a row changed during a walk moves past `sync_until` and comes in the next sync. `sync_until`
stays behind every change that may still be committing: ZI_API_SYNC_LAG_SECONDS before now,
and on PostgreSQL before the start of the oldest transaction still open (a row's `updated_at`
is never older than its transaction), so a long transaction (a period opened for 5,000 units, a
workbook confirmed) is not skipped when it commits after the read.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

SINCE, UNTIL, CURSOR, SIZE = "updated_since", "sync_until", "cursor", "page_size"


def _moment(request, name: str):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:  # an unencoded "+07:00" in a query string arrives as " 07:00"
        value = parse_datetime(raw.strip().replace(" ", "+")) if len(raw) <= 40 else None
    except ValueError:  # well formed but no such day (2026-02-30)
        value = None
    if value is None:
        raise ValidationError(
            {name: [_("Bukan waktu ISO 8601 (contoh: 2026-12-01T08:00:00+07:00).")]}
        )
    if timezone.is_naive(value):
        raise ValidationError({name: [_("Sertakan zona waktu (contoh: +07:00 atau Z).")]})
    return value


def _oldest_open_transaction() -> datetime | None:
    """When the oldest transaction of another session began (PostgreSQL; None elsewhere:
    SQLite has one writer, and its writes are committed before anyone reads them)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0]


def sync_window(request):
    """(since, until) of an incremental sync, or None when the client lists everything."""
    since = _moment(request, SINCE)
    if since is None:
        return None
    until = _moment(request, UNTIL)
    if until is None:
        lag = timedelta(seconds=settings.ZI_API_SYNC_LAG_SECONDS)
        until = timezone.now() - lag
        oldest = _oldest_open_transaction()
        if oldest is not None:
            until = min(until, oldest - lag - timedelta(microseconds=1))
    return since, until


def _encode(values: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def _decode(request, sync: bool):
    raw = request.query_params.get(CURSOR)
    if raw is None:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw.encode()[:200]))
        pk = int(values["p"])
        moment = parse_datetime(values["t"]) if sync else None
        if sync and (moment is None or timezone.is_naive(moment)):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeError):
        raise ValidationError({CURSOR: [_("Kursor halaman tidak sah.")]}) from None
    return pk, moment


class StablePagination(BasePagination):
    page_size = 100
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.next_cursor = request, None
        self.window = sync_window(request)
        field = getattr(view, "sync_field", "updated_at")
        after = _decode(request, sync=self.window is not None)
        if self.window is not None:
            since, until = self.window
            queryset = queryset.filter(**{f"{field}__gt": since, f"{field}__lte": until})
            if after is not None:
                pk, moment = after
                queryset = queryset.filter(
                    Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
                )
            queryset = queryset.order_by(field, "pk")
        else:
            if after is not None:
                queryset = queryset.filter(pk__gt=after[0])
            queryset = queryset.order_by("pk")
        size = self._size(request)
        rows = list(queryset[: size + 1])
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            cursor = {"p": last.pk}
            if self.window is not None:
                cursor["t"] = getattr(last, field).isoformat()
            self.next_cursor = _encode(cursor)
        return rows

    def _size(self, request) -> int:
        raw = request.query_params.get(SIZE, "")
        if not raw:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {SIZE: [_("Ukuran halaman 1 sampai %(n)d.") % {"n": self.max_page_size}]}
            )
        return int(raw)

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        link = replace_query_param(self.request.build_absolute_uri(), CURSOR, self.next_cursor)
        if self.window is not None:
            link = replace_query_param(link, UNTIL, self.window[1].isoformat())
        return link

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": None}
        if self.window is not None:
            body[UNTIL] = self.window[1].isoformat()
        body["results"] = data
        return Response(body)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": CURSOR, "in": "query", "required": False, "schema": {"type": "string"},
             "description": "Set by the `next` link: where the page starts."},
            {"name": SIZE, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
             "description": f"Rows per page (default {self.page_size})."},
        ]  # fmt: skip

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True,
                             "description": "Always null: walk forward with `next`."},
                UNTIL: {"type": "string", "format": "date-time",
                        "description": "With updated_since: pass this as updated_since in "
                        "the next sync."},
                "results": schema,
            },
        }  # fmt: skip
