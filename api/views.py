"""/api/v1/: each view asks the same scoped selectors as the pages (outside the caller's scope
is a 404), lists through api.pagination (stable order, `updated_since`)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api import selectors, serializers
from api.serializers_data import AwardSerializer, ReadinessRowSerializer
from assessments.assessment import Stage
from assessments.stages.models import Period
from reports.readiness import readiness_rows
from units.models import UnitKind
from units.selectors import unit_for_user, units_visible_to

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only rows changed after this moment (ISO 8601 with a time zone), oldest "
    "change first; pass the response's sync_until next time.",
)
SYNC_UNTIL = OpenApiParameter(
    "sync_until", OpenApiTypes.DATETIME, description="Set by the next links of a sync."
)
SYNC = [UPDATED_SINCE, SYNC_UNTIL]


@extend_schema_view(
    get=extend_schema(
        summary="Units in the caller's scope",
        parameters=[
            *SYNC,
            OpenApiParameter("parent", str, description="Only the children of this unit code."),
            OpenApiParameter("within", str, description="Only this unit code's subtree."),
            OpenApiParameter("kind", str, enum=UnitKind.values),
            OpenApiParameter("active", bool),
            OpenApiParameter("q", str, description="Name contains, or code equals."),
        ],
    )
)
class UnitList(generics.ListAPIView):
    serializer_class = serializers.UnitSerializer

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        units = units_visible_to(user)
        if "parent" in params:
            units = units.filter(parent=unit_for_user(user, params["parent"]))
        if "within" in params:
            units = units.filter(path__startswith=unit_for_user(user, params["within"]).path)
        if "kind" in params:
            if params["kind"] not in UnitKind.values:
                raise ValidationError({"kind": [_("Jenis unit tidak dikenal.")]})
            units = units.filter(kind=params["kind"])
        if "active" in params:
            units = units.filter(is_active=params["active"].lower() in ("1", "true", "yes"))
        if params.get("q", "").strip():
            query = params["q"].strip()[:100]
            units = units.filter(Q(name__icontains=query) | Q(code__iexact=query))
        return units


@extend_schema(summary="One unit in the caller's scope")
class UnitDetail(generics.RetrieveAPIView):
    serializer_class = serializers.UnitSerializer

    def get_object(self):
        return unit_for_user(self.request.user, self.kwargs["code"])


@extend_schema_view(get=extend_schema(summary="The programme's periods", parameters=SYNC))
class PeriodList(generics.ListAPIView):
    serializer_class = serializers.PeriodSerializer

    def get_queryset(self):
        return Period.objects.select_related("lke_version")


@extend_schema(summary="One period")
class PeriodDetail(generics.RetrieveAPIView):
    serializer_class = serializers.PeriodSerializer

    def get_object(self):
        return get_object_or_404(
            Period.objects.select_related("lke_version"), year=self.kwargs["year"]
        )


@extend_schema_view(
    get=extend_schema(
        summary="Predicates held by units in the caller's scope",
        description="As the unit's award history page shows them: SK, the layer totals at the "
        "grant, a revocation and until when the unit may not be proposed again.",
        parameters=[
            *SYNC,
            OpenApiParameter("year", int),
            OpenApiParameter("unit", str, description="Only this unit code's awards."),
            OpenApiParameter("within", str, description="Only this unit code's subtree."),
        ],
    )
)
class AwardList(generics.ListAPIView):
    serializer_class = AwardSerializer

    def get_queryset(self):
        return selectors.award_list(self.request.user, self.request.query_params)


class ReadinessPagination(BasePagination):
    """The readiness rows of one period, a page at a time in unit-code order: the rows are
    computed together (the rank is national), then cut after the `after` unit code."""

    page_size, max_page_size = 100, 500

    def paginate_queryset(self, rows, request, view=None):
        params = request.query_params
        size = params.get("page_size", "")
        digits = size.isascii() and size.isdigit() and int(size) > 0
        self.size = min(int(size), self.max_page_size) if digits else self.page_size
        after = params.get("after", "")
        ordered = sorted(rows, key=lambda row: row.unit_code)
        remaining = [row for row in ordered if row.unit_code > after]
        page = remaining[: self.size]
        self.next = None
        if len(remaining) > self.size:
            link = request.build_absolute_uri()
            self.next = replace_query_param(link, "after", page[-1].unit_code)
        return page

    def get_paginated_response(self, data):
        return Response({"next": self.next, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "after", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "The unit code the previous page ended with (set by `next`)."},
            {"name": "page_size", "in": "query", "required": False,
             "schema": {"type": "integer"}},
        ]  # fmt: skip


@extend_schema_view(
    get=extend_schema(
        summary="The national readiness report's rows (national admin)",
        description="The rows of the readiness export (reports.readiness), with the same "
        "filters; for whoever may request that report.",
        parameters=[
            OpenApiParameter("period", int, required=True, description="Period year."),
            OpenApiParameter("province", str),
            OpenApiParameter("kind", str, enum=UnitKind.values),
            OpenApiParameter("stage", str, enum=Stage.values),
        ],
    )
)
class ReadinessList(generics.ListAPIView):
    serializer_class = ReadinessRowSerializer
    pagination_class = ReadinessPagination

    def get_queryset(self):
        filters = selectors.readiness_filters(self.request.user, self.request.query_params)
        return readiness_rows(filters)
