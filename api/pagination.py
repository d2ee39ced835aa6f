"""Lists one page at a time in an order that never shifts under a client walking them
(a cursor over the primary key), and incremental sync: `?updated_since=<ISO 8601>` returns the
rows changed after that moment, oldest change first, up to `sync_until`, which the client
passes as `updated_since` next time. A change is seen once: rows changed during a walk move
past `sync_until` and come in the next sync (ZI_API_SYNC_LAG_SECONDS covers a change still
committing when the first page was read)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

SINCE, UNTIL = "updated_since", "sync_until"


def _moment(request, name: str):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # An unencoded "+07:00" in a query string arrives as " 07:00".
    value = parse_datetime(raw.strip().replace(" ", "+")) if len(raw) <= 40 else None
    if value is None:
        raise ValidationError(
            {name: [_("Bukan waktu ISO 8601 (contoh: 2026-12-01T08:00:00+07:00).")]}
        )
    if timezone.is_naive(value):
        raise ValidationError({name: [_("Sertakan zona waktu (contoh: +07:00 atau Z).")]})
    return value


def sync_window(request):
    """(since, until) of an incremental sync, or None when the client lists everything."""
    since = _moment(request, SINCE)
    if since is None:
        return None
    until = _moment(request, UNTIL)
    if until is None:
        until = timezone.now() - timedelta(seconds=settings.ZI_API_SYNC_LAG_SECONDS)
    return since, until


class StablePagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("pk",)

    def paginate_queryset(self, queryset, request, view=None):
        self.window = sync_window(request)
        if self.window is not None:
            field = getattr(view, "sync_field", "updated_at")
            since, until = self.window
            queryset = queryset.filter(**{f"{field}__gt": since, f"{field}__lte": until})
            self.ordering = (field, "pk")
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        return self.ordering

    def _with_until(self, link):
        if link is None or self.window is None:
            return link
        return replace_query_param(link, UNTIL, self.window[1].isoformat())

    def get_next_link(self):
        return self._with_until(super().get_next_link())

    def get_previous_link(self):
        return self._with_until(super().get_previous_link())

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        if self.window is not None:
            body[UNTIL] = self.window[1].isoformat()
        body["results"] = data
        return Response(body)

    def get_paginated_response_schema(self, schema):
        found = super().get_paginated_response_schema(schema)
        found["properties"][UNTIL] = {
            "type": "string",
            "format": "date-time",
            "description": "With updated_since: pass this as updated_since in the next sync.",
        }
        return found
