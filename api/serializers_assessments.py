"""Assessments in the API: status and stage dates, and each visible layer's scores as the
one scoring engine (areas.scoring) returns them. Scores are strings with the engine's two
display decimals (areas.results.display), so no client rounds them differently."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import selectors
from areas.results import display
from assessments.assessment import Assessment


def score_text(value) -> str | None:
    """A score as the pages show it, with a decimal point: "82.51"; text values (a prior
    predicate) as they are."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return f"{display(Decimal(str(value))):.2f}"
    return str(value)


@extend_schema_field({"type": "string", "nullable": True, "example": "82.51"})
class ScoreField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return score_text(value)


class StageDateSerializer(serializers.Serializer):
    """A stage the assessment reached (assessments.selectors.StageDates: made in Pencanangan,
    a stage entered by a move from another stage; a return inside a stage does not count)."""

    stage = serializers.CharField()
    stage_label = serializers.CharField(source="label")
    entered_at = serializers.DateTimeField(
        source="first_entered_at", help_text="When the assessment first entered the stage."
    )
    last_entered_at = serializers.DateTimeField(
        help_text="When it last entered the stage (after it was sent back to an earlier one; "
        "otherwise entered_at)."
    )


class LayerTotalSerializer(serializers.Serializer):
    layer = serializers.CharField()
    label = serializers.CharField()
    answered = serializers.IntegerField(help_text="Items answered in this layer.")
    points = ScoreField(
        help_text="Running total kept with the answers (the dashboards' figure: the engine's "
        "linear rule before it rounds each indicator). The detail has the engine's scores."
    )


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField(source="name")
    value = ScoreField()
    minimum = ScoreField()
    passed = serializers.BooleanField()
    margin = ScoreField()


class PredicateCheckSerializer(serializers.Serializer):
    predicate = serializers.CharField()
    eligible = serializers.BooleanField()
    rules = RuleSerializer(many=True)


class AreaScoreSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    weight = ScoreField()
    pemenuhan = ScoreField()
    reform = ScoreField()
    total = ScoreField()
    percent = ScoreField()


class LayerScoreSerializer(serializers.Serializer):
    layer = serializers.CharField()
    label = serializers.CharField()
    pengungkit = ScoreField(source="result.pengungkit")
    pemenuhan = ScoreField(source="result.pemenuhan")
    reform = ScoreField(source="result.reform")
    hasil = ScoreField(source="result.hasil")
    total = ScoreField(source="result.total")
    answered = serializers.IntegerField(source="result.answered")
    item_count = serializers.IntegerField(source="result.item_count")
    areas = AreaScoreSerializer(source="result.areas", many=True)
    hasil_detail = serializers.SerializerMethodField()
    predicates = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_hasil_detail(self, score) -> dict:
        return {key: score_text(value) for key, value in score.result.hasil_detail.items()}

    @extend_schema_field(PredicateCheckSerializer(many=True))
    def get_predicates(self, score) -> list:
        checks = [
            {"predicate": name, "eligible": check.eligible, "rules": check.rules}
            for name, check in score.result.predicates.items()  # the ladder, lowest first
        ]
        return PredicateCheckSerializer(checks, many=True).data


class EventSerializer(serializers.Serializer):
    transition = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    to_status_label = serializers.CharField(source="get_to_status_display")
    by = serializers.CharField(source="by.get_full_name")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class AssessmentListSerializer(serializers.ListSerializer):
    """Reads the stage dates of every row in one query."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        return super().to_representation(selectors.with_stage_dates(rows))


class AssessmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.IntegerField(source="period.year")
    target_predicate = serializers.CharField(help_text="WBK or WBBM.")
    status_label = serializers.CharField(source="get_status_display")
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    deadline = serializers.SerializerMethodField(
        help_text="The current stage's deadline (the period's); null once decided."
    )
    stage_dates = serializers.SerializerMethodField()
    layer_totals = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        list_serializer_class = AssessmentListSerializer
        fields = [
            "id", "unit", "unit_name", "period", "target_predicate", "status", "status_label",
            "stage", "stage_label", "status_changed_at", "deadline", "stage_dates", "sk_number",
            "tpn_layer_released", "layer_totals", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_deadline(self, assessment):
        return None if assessment.is_final else assessment.deadline

    @extend_schema_field(StageDateSerializer(many=True))
    def get_stage_dates(self, assessment) -> list:
        return StageDateSerializer(assessment.stage_dates.stages, many=True).data

    @extend_schema_field(LayerTotalSerializer(many=True))
    def get_layer_totals(self, assessment) -> list:
        user = self.context["request"].user
        return LayerTotalSerializer(selectors.layer_totals(user, assessment), many=True).data


class AssessmentDetailSerializer(AssessmentSerializer):
    history = EventSerializer(source="stage_events", many=True)
    scores = serializers.SerializerMethodField(
        help_text="The scoring engine's result for each layer the caller may see."
    )

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "history", "scores"]

    @extend_schema_field(LayerScoreSerializer(many=True))
    def get_scores(self, assessment) -> list:
        user = self.context["request"].user
        return LayerScoreSerializer(selectors.layer_scores(user, assessment), many=True).data
