"""Dashboards for Admin nasional, Kanwil/Eselon I reviewers and TPI: assessments per stage,
LKE progress and average scores per area and layer, units at risk and the trend across periods.

Read-side only and scoped through `assessments_visible_to(user)`. Every figure is a database
aggregate, so a dashboard costs a fixed number of queries whatever the number of units, and
every request computes them afresh (no cache decides what the page shows). The averages read
the tally kept with the answers (assessments.worksheet.tally): the engine's area total is
linear in the question scores (indicator = mean of its q × weight, unanswered = 0), so the
tally's area points summed over the assessments and divided by their number is the mean of
the totals `areas.scoring` gives each assessment, without scoring each one. At 5,000 units
that is 140,000 tally rows instead of 2.3 million answers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from assessments.assessment import LAYER_ORDER
from assessments.evidence.completeness import HASIL as EVIDENCE_HASIL
from assessments.evidence.completeness import Completeness, completeness
from assessments.models import Layer, Period, Stage, Status
from assessments.selectors import assessments_visible_to
from assessments.worksheet.tally import HASIL, WHOLE
from reports import dashboard_queries
from reports.dashboard_filters import DashboardFilters, FilterOptions, filter_options, parse_filters
from reports.dashboard_queries import STATUSES_OF_STAGE, ZERO, IndicatorWeight, PartSum, RiskRow
from surveys.summaries import survey_summaries

HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- filters


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int
    statuses: list[tuple[str, str, int]]  # (status, label, count)


@dataclass(frozen=True)
class AreaProgress:
    number: int | None  # None: the Hasil items
    name: str
    answered: int
    items: int  # items of the area × assessments
    percent: Decimal


@dataclass(frozen=True)
class LayerCell:
    layer: str
    label: str
    points: Decimal | None  # None: nobody scored in this layer
    percent: Decimal | None


@dataclass(frozen=True)
class AreaScores:
    number: int | None  # None: Hasil
    name: str
    weight: Decimal
    cells: list[LayerCell]


@dataclass(frozen=True)
class LayerInfo:
    layer: str
    label: str
    scored: int  # assessments with at least one answer in this layer


@dataclass(frozen=True)
class TrendPoint:
    year: int
    name: str
    count: int
    self_total: Decimal | None
    tpi_total: Decimal | None
    granted: int


@dataclass(frozen=True)
class EvidenceArea:
    """The evidence dictionary entries of one area covered by accepted files, over the
    assessments shown (assessments.evidence.completeness)."""

    number: int | None  # None: Hasil
    name: str
    covered: int
    required: int  # entries of the area × assessments
    percent: Decimal | None


@dataclass(frozen=True)
class EvidenceUnit:
    assessment: object
    completeness: Completeness


EVIDENCE_LOWEST = 10  # units listed with the least complete evidence


@dataclass
class Dashboard:
    filters: DashboardFilters
    options: FilterOptions
    today: datetime.date
    total: int = 0
    stages: list[StageCount] = field(default_factory=list)
    layers: list[LayerInfo] = field(default_factory=list)
    progress: list[AreaProgress] = field(default_factory=list)
    area_scores: list[AreaScores] = field(default_factory=list)
    at_risk: list[RiskRow] = field(default_factory=list)
    at_risk_more: bool = False
    trend: list[TrendPoint] = field(default_factory=list)
    evidence: list[EvidenceArea] = field(default_factory=list)
    evidence_total: Completeness | None = None
    evidence_lowest: list[EvidenceUnit] = field(default_factory=list)
    surveys: list = field(default_factory=list)  # surveys.summaries.KindSummary per kind

    @property
    def scored_layers(self) -> list[LayerInfo]:
        return [info for info in self.layers if info.scored]


# --------------------------------------------------------------------------- queries


# --------------------------------------------------------------------------- arithmetic


def _layer_average(
    sums: Mapping[tuple[int, str, int], PartSum],
    period_id: int,
    layer: str,
    scored: int,
) -> tuple[dict[int, Decimal], Decimal] | None:
    """Mean area totals (points) and mean Hasil points of one layer over the `scored`
    assessments; None when nobody scored in that layer."""
    if not scored:
        return None
    areas: dict[int, Decimal] = defaultdict(lambda: ZERO)
    hasil = ZERO
    for (period, of_layer, part), cell in sums.items():
        if (period, of_layer) != (period_id, layer) or part == WHOLE:
            continue
        if part == HASIL:
            hasil = cell.points / scored
        else:
            areas[part] = cell.points / scored
    return areas, hasil


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return part * HUNDRED / whole if whole else ZERO


def _stages(status_counts: Mapping[str, int]) -> list[StageCount]:
    out = []
    for stage in Stage:
        statuses = [(s, Status(s).label, status_counts.get(s, 0)) for s in STATUSES_OF_STAGE[stage]]
        out.append(StageCount(stage, stage.label, sum(n for _, _, n in statuses), statuses))
    return out


def _progress(
    indicators: list[IndicatorWeight], areas: list[Area], sums, period_id: int, total: int
) -> list[AreaProgress]:
    items: dict[int | None, int] = defaultdict(int)
    answered: dict[int | None, int] = defaultdict(int)
    for ind in indicators:
        items[ind.area] += ind.questions
    for (period, layer, part), cell in sums.items():
        if (period, layer) == (period_id, Layer.SELF) and part != WHOLE:
            answered[None if part == HASIL else part] += cell.answered
    rows = [(a.number, f"{a.number}. {a.name}") for a in areas] + [(None, _("Hasil"))]
    out = []
    for number, name in rows:
        expected = items[number] * total
        if not items[number]:
            continue
        done = answered[number]
        out.append(AreaProgress(number, name, done, expected, _percent(Decimal(done), expected)))
    return out


def _area_scores(
    indicators: list[IndicatorWeight],
    areas: list[Area],
    sums,
    period_id: int,
    layers: list[LayerInfo],
) -> list[AreaScores]:
    averages = {
        info.layer: _layer_average(sums, period_id, info.layer, info.scored) for info in layers
    }
    hasil_weight = sum((ind.weight for ind in indicators if ind.area is None), ZERO)

    def cells(number: int | None, weight: Decimal) -> list[LayerCell]:
        out = []
        for info in layers:
            average = averages[info.layer]
            points = None
            if average is not None:
                points = average[1] if number is None else average[0].get(number, ZERO)
            percent = None if points is None else _percent(points, weight)
            out.append(LayerCell(info.layer, info.label, points, percent))
        return out

    rows = [AreaScores(a.number, a.name, a.weight, cells(a.number, a.weight)) for a in areas]
    if hasil_weight:
        rows.append(AreaScores(None, _("Hasil"), hasil_weight, cells(None, hasil_weight)))
    return rows


def _trend(
    periods: list[Period],
    sums,
    counts: Mapping[int, int],
    scored: Mapping[int, Mapping[str, int]],
    granted: Mapping[int, int],
) -> list[TrendPoint]:
    def total(period: Period, layer: str) -> Decimal | None:
        average = _layer_average(sums, period.pk, layer, scored[period.pk][layer])
        return None if average is None else sum(average[0].values(), ZERO) + average[1]

    points = {
        p.year: TrendPoint(
            p.year, p.name, counts.get(p.pk, 0), total(p, Layer.SELF), total(p, Layer.TPI),
            granted.get(p.year, 0),
        )
        for p in periods
    }  # fmt: skip
    for year, n in granted.items():  # awards of years before the portal kept periods
        points.setdefault(year, TrendPoint(year, str(year), 0, None, None, n))
    return [points[year] for year in sorted(points)]


# --------------------------------------------------------------------------- the dashboard


def dashboard_data(
    user, filters: DashboardFilters | Mapping[str, str], *, today: datetime.date | None = None
) -> Dashboard:
    """Everything the dashboard shows for this user and these filters (GET parameters or
    parsed filters), in a fixed number of queries."""
    options = filter_options(user)
    if not isinstance(filters, DashboardFilters):
        filters = parse_filters(filters, options)
    dash = Dashboard(filters, options, today or timezone.localdate())
    period = filters.period
    if period is None:
        return dash
    base = assessments_visible_to(user).filter(filters.q())
    indicators = dashboard_queries.indicators({p.lke_version_id for p in options.periods})
    own = [ind for ind in indicators if ind.version_id == period.lke_version_id]
    areas = list(Area.objects.filter(version_id=period.lke_version_id).order_by("number"))
    items = sum(ind.questions for ind in own)
    figures = _figures(user, filters, dash.today, base, items)
    counts: dict[int, int] = defaultdict(int)
    scored: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    status_counts: dict[str, int] = defaultdict(int)
    for row in figures.counts:
        counts[row["period_id"]] += row["n"]
        if row["period_id"] == period.pk:
            status_counts[row["status"]] += row["n"]
    sums = figures.sums
    for (period_id, layer, part), cell in sums.items():
        if part == WHOLE:
            scored[period_id][layer] = cell.assessments
    dash.total = counts.get(period.pk, 0)
    dash.stages = _stages(status_counts)
    dash.layers = [
        LayerInfo(layer, Layer(layer).label, scored[period.pk][layer]) for layer in LAYER_ORDER
    ]
    dash.progress = _progress(own, areas, sums, period.pk, dash.total)
    dash.area_scores = _area_scores(own, areas, sums, period.pk, dash.scored_layers)
    dash.at_risk, dash.at_risk_more = figures.at_risk
    dash.trend = _trend(options.periods, sums, counts, scored, figures.granted)
    dash.evidence, dash.evidence_total, dash.evidence_lowest = _evidence(
        base.filter(period=period), period, areas
    )
    dash.surveys = survey_summaries(user, filters, options.groups)
    return dash


def _evidence(period_qs, period, areas: list[Area]):
    """Evidence completeness per area and the least complete units (4 queries)."""
    ids = list(period_qs.order_by().values_list("pk", flat=True))
    figures = completeness(period_qs, period, ids)
    names = [(a.number, f"{a.number}. {a.name}") for a in areas]
    rows = []
    for number, name in [*names, (EVIDENCE_HASIL, _("Hasil"))]:
        cell = figures.by_area.get(number)
        if cell is not None and cell.required:
            shown = None if number == EVIDENCE_HASIL else number
            rows.append(EvidenceArea(shown, name, cell.covered, cell.required, cell.percent))
    cells = figures.by_assessment.values()
    total = Completeness(sum(c.covered for c in cells), sum(c.required for c in cells))
    if not total.required:
        return rows, None, []
    key = {pk: (cell.covered, pk) for pk, cell in figures.by_assessment.items()}
    lowest = sorted(ids, key=key.__getitem__)[:EVIDENCE_LOWEST]
    found = period_qs.filter(pk__in=lowest).select_related("unit__parent")
    units = [EvidenceUnit(a, figures.by_assessment[a.pk]) for a in found]
    units.sort(key=lambda u: key[u.assessment.pk])
    return rows, total, units


@dataclass(frozen=True)
class _Figures:
    """The database aggregates of one dashboard."""

    counts: list[dict]
    sums: dict[tuple[int, str, int], PartSum]
    at_risk: tuple[list[RiskRow], bool]
    granted: dict[int, int]


def _figures(user, filters, today, base, items) -> _Figures:
    return _Figures(
        counts=dashboard_queries.assessment_counts(base),
        sums=dashboard_queries.answer_sums(base),
        at_risk=dashboard_queries.at_risk(base.filter(period=filters.period), items, today),
        granted=dashboard_queries.granted_per_year(user, filters),
    )
