"""Answers (read and write), evidence metadata, awards and readiness rows in the API."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers_assessments import ScoreField
from assessments.assessment import Layer
from assessments.evidence.links import evidence_download_path
from assessments.models import Answer, Evidence, PredicateAward

ANSWER_VALUE = {
    "description": 'As the engine takes it: an option\'s label ("Ya", "A"), a number '
    '(percent, survey index), or {"inputs": {name: count}} for a computed percent; '
    "null: not answered.",
    "nullable": True,
    "oneOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "object", "properties": {"inputs": {"type": "object"}}},
    ],
}


@extend_schema_field(ANSWER_VALUE)
class AnswerValueField(serializers.JSONField):
    pass


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="question.code")
    value = AnswerValueField(read_only=True)
    score = serializers.DecimalField(
        max_digits=12, decimal_places=6, read_only=True,
        help_text="What the engine made of the value: 0..1, or a Hasil item's points.",
    )  # fmt: skip
    updated_by = serializers.CharField(
        source="updated_by.get_full_name", default=None, allow_null=True
    )

    class Meta:
        model = Answer
        fields = [
            "item", "layer", "value", "score", "note", "revision", "updated_at", "updated_by",
        ]  # fmt: skip


class AnswerWriteSerializer(serializers.Serializer):
    layer = serializers.ChoiceField(choices=Layer.choices)
    value = AnswerValueField(allow_null=True)
    note = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=True,
        help_text='Left out: the stored note is kept. "" clears it.',
    )  # fmt: skip
    revision = serializers.IntegerField(
        allow_null=True, required=False, default=None, min_value=1,
        help_text="The revision the client started from; null for an item not answered yet.",
    )  # fmt: skip


class StoredAnswerSerializer(serializers.Serializer):
    value = AnswerValueField()
    note = serializers.CharField()
    revision = serializers.IntegerField()
    updated_by = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()


class YourAnswerSerializer(serializers.Serializer):
    value = AnswerValueField()
    note = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True)


class AnswerConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    yours = YourAnswerSerializer()
    current = StoredAnswerSerializer()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class EvidenceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    item = serializers.CharField(source="question.code", default=None, allow_null=True)
    file_name = serializers.CharField(source="original_name")
    link = serializers.URLField(source="url", help_text="An external link given instead of a file.")
    verdict_label = serializers.CharField(source="get_verdict_display")
    removed = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(
        help_text="The portal's authorised download page for the file (a signed-in session "
        "in scope opens it); null for a link. Never the storage's address."
    )
    file_url = serializers.SerializerMethodField(
        help_text="The same file for an API caller: send the token. Null for a link."
    )

    class Meta:
        model = Evidence
        fields = [
            "id", "kind", "kind_label", "item", "description", "covers_period", "document_date",
            "file_name", "size", "content_type", "sha256", "link", "scan_status", "verdict",
            "verdict_label", "uploaded_at", "removed", "removed_at", "updated_at",
            "download_url", "file_url",
        ]  # fmt: skip

    def get_removed(self, evidence) -> bool:
        return evidence.removed_at is not None

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, evidence):
        path = evidence_download_path(evidence)
        return self.context["request"].build_absolute_uri(path) if path else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, evidence):
        if not evidence.file:
            return None
        path = reverse("api:evidence_file", args=[evidence.assessment_id, evidence.pk])
        return self.context["request"].build_absolute_uri(path)


class AwardSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    predicate = serializers.CharField(help_text="WBK or WBBM.")
    granted_by = serializers.CharField(
        source="granted_by.get_full_name", default=None, allow_null=True
    )
    layer_scores = serializers.SerializerMethodField(
        help_text="Each layer's total when the predicate was granted (full precision)."
    )
    revoked_source_label = serializers.CharField(source="get_revoked_source_display")

    class Meta:
        model = PredicateAward
        fields = [
            "id", "unit", "unit_name", "year", "predicate", "sk_number", "sk_date",
            "granted_at", "granted_by", "layer_scores", "revoked_at", "revoked_on",
            "revoked_source", "revoked_source_label", "revoked_reason", "barred_until",
            "updated_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_layer_scores(self, award) -> dict:
        return {layer: str(value) for layer, value in award.layer_scores.items()}


class ReadinessRowSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment_id")
    unit = serializers.CharField(source="unit_code")
    unit_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    province = serializers.CharField()
    group = serializers.CharField(source="group_code", help_text="Kanwil/Eselon I; '' Pusat.")
    group_name = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    target_predicate = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="Dense national rank.")
    self_total = ScoreField()
    tpi_total = ScoreField()
    self_answered = serializers.IntegerField()
    item_count = serializers.IntegerField()
    basis = serializers.CharField(allow_null=True, help_text="The layer of eligibility.")
    wbk_eligible = serializers.BooleanField(allow_null=True)
    wbbm_eligible = serializers.BooleanField(allow_null=True)
    area_percents = serializers.ListField(child=ScoreField())
    selection_label = serializers.CharField()
    barred_until = serializers.DateField(allow_null=True)
    evidence_covered = serializers.IntegerField()
    evidence_required = serializers.IntegerField()
