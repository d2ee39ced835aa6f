"""What the API says of each thing: plain fields, codes and years for references (stable
across databases, unlike primary keys), labels beside codes for people reading the JSON."""

from rest_framework import serializers

from assessments.stages.models import Period
from units.models import Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "code", "name", "kind", "kind_label", "madrasah_level", "province", "parent",
            "depth", "is_active", "updated_at",
        ]  # fmt: skip


class PeriodSerializer(serializers.ModelSerializer):
    lke_version = serializers.CharField(source="lke_version.name", read_only=True)

    class Meta:
        model = Period
        fields = [
            "year", "name", "lke_version", "is_open", "tpn_quota", "deadline_pencanangan",
            "deadline_pembangunan", "deadline_penilaian", "deadline_pengusulan",
            "deadline_evaluasi", "appeal_opens", "appeal_closes", "updated_at",
        ]  # fmt: skip
