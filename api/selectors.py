"""What the API reads, always through the pages' scoped selectors and policy (outside the
caller's scope: 404; a layer or kind the pages hide: never shown)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied, ValidationError

from areas.models import Question
from areas.results import ScoreResult
from areas.selectors import version_parts
from assessments import permissions
from assessments.assessment import Assessment, Layer, Status
from assessments.evidence.selectors import evidence_visible_to
from assessments.models import Answer, Evidence, LayerTally, Period, PredicateAward
from assessments.selectors import assessment_for_user, assessments_visible_to, stage_dates
from assessments.stages.awards import prior_predicate
from assessments.worksheet import tally
from assessments.worksheet.scores import layer_results
from reports.kinds import PROVINCE_MAX
from reports.readiness import ReadinessFilters
from units import permissions as unit_permissions
from units.selectors import unit_for_user, units_visible_to


def _year(params, name: str) -> int:
    raw = params[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) != 4:
        raise ValidationError({name: [_("Tahun harus empat angka (contoh: 2026).")]})
    return int(raw)


def within(user, queryset: QuerySet, params, prefix: str = "unit__") -> QuerySet:
    """The `unit` (a code) and `within` (a code's subtree) filters; a unit outside the
    caller's scope is a 404, as on the pages."""
    if "unit" in params:
        queryset = queryset.filter(**{prefix.rstrip("_"): unit_for_user(user, params["unit"])})
    if "within" in params:
        path = unit_for_user(user, params["within"]).path
        queryset = queryset.filter(**{f"{prefix}path__startswith": path})
    return queryset


# --------------------------------------------------------------------------- assessments


def assessment_list(user, params) -> QuerySet[Assessment]:
    """The caller's assessments with what each row shows, in a fixed number of queries: each
    layer's whole-layer tally (running totals); the serializer reads the page's stage dates
    (with_stage_dates)."""
    wholes = LayerTally.objects.filter(part=tally.WHOLE).order_by("layer")
    found = (
        assessments_visible_to(user)
        .select_related(None)
        .select_related("unit", "period")
        .prefetch_related(Prefetch("tallies", queryset=wholes, to_attr="whole_tallies"))
    )
    if "period" in params:
        found = found.filter(period__year=_year(params, "period"))
    if "status" in params:
        if params["status"] not in Status.values:
            raise ValidationError({"status": [_("Status tidak dikenal.")]})
        found = found.filter(status=params["status"])
    return within(user, found, params)


def assessment_detail(user, pk: int) -> Assessment:
    """One assessment of the caller's scope (404 otherwise) with its transitions."""
    assessment = assessment_for_user(user, pk)
    assessment.stage_events = list(assessment.events.select_related("by").order_by("at", "pk"))
    assessment.whole_tallies = list(assessment.tallies.filter(part=tally.WHOLE))
    return with_stage_dates([assessment])[0]


def with_stage_dates(assessments: list[Assessment]) -> list[Assessment]:
    """The assessments, each with `.stage_dates` (assessments.selectors.StageDates: the
    one reading every export makes of the stage history), read in one query for all."""
    dates = stage_dates(assessments)
    for assessment in assessments:
        assessment.stage_dates = dates[assessment.pk]
    return assessments


@dataclass(frozen=True)
class LayerTotal:
    layer: str
    label: str
    answered: int
    points: object  # Decimal: the tally's running total


def layer_totals(user, assessment: Assessment) -> list[LayerTotal]:
    """Each visible layer's tally (answered items, running points): what the dashboards sum."""
    kept = {row.layer: row for row in assessment.whole_tallies}
    out = []
    for layer in permissions.visible_layers(user, assessment):
        row = kept.get(layer)
        if row is not None:
            out.append(LayerTotal(layer, str(Layer(layer).label), row.answered, row.points))
    return out


@dataclass(frozen=True)
class LayerScore:
    layer: str
    label: str
    result: ScoreResult


def layer_scores(user, assessment: Assessment) -> list[LayerScore]:
    """The engine's result for each layer the caller may see, as the summary page scores it
    (assessments.views.summary): the same answers, the same prior predicate, one engine."""
    layers = permissions.visible_layers(user, assessment)
    answers = list(assessment.answers.filter(layer__in=layers).select_related("question"))
    results = layer_results(
        assessment, layers, answers=answers, prior_predicate=prior_predicate(assessment)
    )
    return [LayerScore(layer, str(Layer(layer).label), results[layer]) for layer in layers]


# --------------------------------------------------------------------------- answers


def answer_layers(user, assessment: Assessment, params) -> list[str]:
    """The layers an answers list reads: `layer` if given and visible, else every visible one.
    A layer the pages hide from the caller is a 403 (the assessment itself is in scope)."""
    visible = permissions.visible_layers(user, assessment)
    if "layer" not in params:
        return visible
    layer = params["layer"]
    if layer not in Layer.values:
        raise ValidationError({"layer": [_("Lapisan tidak dikenal.")]})
    if layer not in visible:
        raise PermissionDenied(_("Anda tidak dapat melihat lapisan ini."))
    return [layer]


def answer_list(user, assessment: Assessment, params) -> QuerySet[Answer]:
    return Answer.objects.filter(
        assessment=assessment, layer__in=answer_layers(user, assessment, params)
    ).select_related("question", "updated_by")


def question_by_code(assessment: Assessment, code: str) -> Question:
    """One item of the assessment's LKE by its code (P1.1.a); 404 if it is not one."""
    parts = version_parts(assessment.period.lke_version)
    for question in parts.questions:
        if question.code == code:
            return question
    return get_object_or_404(Question.objects.none())


# --------------------------------------------------------------------------- evidence, awards


def evidence_list(user, assessment: Assessment) -> QuerySet[Evidence]:
    return evidence_visible_to(user, assessment).select_related("question")


def award_list(user, params) -> QuerySet[PredicateAward]:
    """Awards of the units in the caller's scope, as the unit's award history page shows them
    (the public awards page shows fewer fields, to everyone)."""
    awards = PredicateAward.objects.filter(unit__in=units_visible_to(user)).select_related(
        "unit", "granted_by"
    )
    if "year" in params:
        awards = awards.filter(year=_year(params, "year"))
    return within(user, awards, params)


# --------------------------------------------------------------------------- readiness


def readiness_filters(user, params):
    """The readiness report's filters from the query, for whoever may request the report
    (reports.kinds: the national admin); others in scope get a 403."""
    if not unit_permissions.is_admin(user):
        raise PermissionDenied(_("Laporan kesiapan nasional hanya untuk Admin nasional."))
    if "period" not in params:
        raise ValidationError({"period": [_("Pilih periode (tahun).")]})
    period = get_object_or_404(
        Period.objects.select_related("lke_version"), year=_year(params, "period")
    )
    try:
        return ReadinessFilters(
            period=period,
            province=params.get("province", "").strip()[:PROVINCE_MAX],
            kind=params.get("kind", ""),
            stage=params.get("stage", ""),
        )
    except ValueError as error:
        raise ValidationError({"detail": [str(error)]}) from None
