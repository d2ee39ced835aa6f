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

from api import serializers
from assessments.stages.models import Period
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
