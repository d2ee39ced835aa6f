"""National readiness report (laporan kesiapan): every assessment of a period with its self and
TPI scores from the one scoring engine, rendered as XLSX, CSV or PDF.

Pure functions, called by the report job (`reports.kinds`) and the `render_report` command. At
national scale (5,000 assessments × 113 items × 2 layers ≈ 1.1M answers) the answers are read
in ONE streamed query as plain tuples and grouped per assessment, and `areas.scoring.score` is
called directly: `assessments.worksheet.scores.layer_results` does the same with model
instances, which would cost a million objects. Numbers keep full precision until they are
written, rounded with the engine's `display`.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.instrument import AreaSpec, Instrument
from areas.instrument_db import instrument_for
from areas.models import Question
from areas.results import ScoreResult, display
from assessments.assessment import STAGE_OF
from assessments.evidence.completeness import completeness
from assessments.models import (
    Answer,
    Assessment,
    Layer,
    Period,
    SelectionOutcome,
    Stage,
    Status,
)
from assessments.stages.awards import predicates_before, revocation_bars
from core.aggregates import JSONObjectAgg
from units.models import Unit, UnitKind

LAYERS = (Layer.SELF, Layer.TPI)
GROUP_KINDS = (UnitKind.ESELON1, UnitKind.KANWIL)
STAGE_ORDER = list(Stage)
BIN_EDGES = (0, 20, 40, 60, 80, 100)  # area percent histogram bins
DASH = "–"


# --------------------------------------------------------------------------- filters and rows


@dataclass(frozen=True)
class ReadinessFilters:
    period: Period
    province: str = ""
    kind: str = ""  # a units.models.UnitKind value, or "" for every kind
    stage: str = ""  # an assessments.models.Stage value, or "" for every stage

    def __post_init__(self) -> None:
        if self.kind and self.kind not in UnitKind.values:
            raise ValueError(_("Jenis unit tidak dikenal: %(kind)s.") % {"kind": self.kind})
        if self.stage and self.stage not in Stage.values:
            raise ValueError(_("Tahap tidak dikenal: %(stage)s.") % {"stage": self.stage})

    def q(self, prefix: str = "") -> Q:
        """The assessments these filters select; `prefix` reaches them from another model."""
        condition = Q(**{f"{prefix}period": self.period})
        if self.province:
            condition &= Q(**{f"{prefix}unit__province": self.province})
        if self.kind:
            condition &= Q(**{f"{prefix}unit__kind": self.kind})
        if self.stage:
            statuses = [status for status, stage in STAGE_OF.items() if stage == self.stage]
            condition &= Q(**{f"{prefix}status__in": statuses})
        return condition

    def describe(self) -> list[tuple[str, str]]:
        everything = _("Semua")
        return [
            (_("Periode"), str(self.period)),
            (_("Provinsi"), self.province or everything),
            (_("Jenis unit"), str(UnitKind(self.kind).label) if self.kind else everything),
            (_("Tahap"), str(Stage(self.stage).label) if self.stage else everything),
        ]


@dataclass(slots=True)
class Row:
    assessment_id: int
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    province: str
    group_code: str  # "" for the Pusat group
    group_name: str
    group_order: int
    stage: str
    stage_label: str
    status: str
    status_label: str
    target_predicate: str
    self_total: Decimal | None  # None: the layer has no answers
    tpi_total: Decimal | None
    self_answered: int
    item_count: int
    basis: str | None  # layer of eligibility and area percents: "tpi", "self", None (no answers)
    wbk_eligible: bool | None
    wbbm_eligible: bool | None
    area_percents: tuple[Decimal, ...]  # empty when basis is None
    rank: int | None = None  # dense national rank by best_total; None when unscored
    path: str = ""
    selection_label: str = ""  # TPN's administrative selection, once it decided
    barred_until: datetime.date | None = None  # a revoked predicate bars the unit's proposal
    # Evidence dictionary entries covered by accepted files (assessments.evidence.completeness)
    evidence_covered: int = 0
    evidence_required: int = 0

    @property
    def evidence_share(self) -> float | None:
        """Evidence completeness as a fraction; None when the instrument requires none."""
        if not self.evidence_required:
            return None
        return self.evidence_covered / self.evidence_required

    @property
    def best_total(self) -> Decimal | None:
        return self.tpi_total if self.tpi_total is not None else self.self_total

    @property
    def self_progress(self) -> float:
        return self.self_answered / self.item_count if self.item_count else 0.0


@dataclass(frozen=True, slots=True)
class _LayerSummary:
    """What a row keeps of one layer's ScoreResult (the full result is dropped at once)."""

    total: Decimal
    answered: int
    eligible: dict[str, bool]
    area_percents: tuple[Decimal, ...]


def readiness_rows(filters: ReadinessFilters) -> list[Row]:
    """Every assessment selected by `filters`, ranked, in a fixed number of queries."""
    instrument = instrument_for(filters.period.lke_version)
    assessments = list(
        Assessment.objects.filter(filters.q())
        .order_by("unit__path")
        .values_list(
            "id", "unit_id", "status", "target_predicate", "unit__code", "unit__name",
            "unit__kind", "unit__province", "unit__path", "selection__outcome",
        )
    )  # fmt: skip
    if not assessments:
        return []
    priors = predicates_before(
        {unit_id for _pk, unit_id, *_rest in assessments},
        filters.period.year,
        instrument.predicates,
    )
    selected = {pk: priors.get(unit_id) for pk, unit_id, *_rest in assessments}
    summaries, national = _score_answers(filters, instrument, selected)
    groups = _groups()
    bars = revocation_bars({unit_id for _pk, unit_id, *_rest in assessments}, timezone.localdate())
    rows = [
        _row(a, summaries.get(a[0], {}), groups, instrument.item_count, bars.get(a[1]))
        for a in assessments
    ]
    evidence = completeness(
        Assessment.objects.filter(filters.q()), filters.period, [r.assessment_id for r in rows]
    ).by_assessment
    for r in rows:
        r.evidence_covered = evidence[r.assessment_id].covered
        r.evidence_required = evidence[r.assessment_id].required
    _rank(rows, national)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.path))
    return rows


def _score_answers(
    filters: ReadinessFilters, instrument: Instrument, selected: dict[int, str | None]
) -> tuple[dict[int, dict[str, _LayerSummary]], set[float]]:
    """One streamed query over the period's self and TPI answers, grouped per assessment
    without model instances. Returns the layer summaries of the `selected` assessments (id ->
    prior predicate) and the displayed best totals of the whole period: the rank is national
    whatever the filters."""
    hasil_codes = {h.code for h in instrument.hasil}
    # The JSON objects' keys are question ids as text: each one's LKE code and whether it
    # is a Hasil item (scored apart).
    places = {
        str(pk): (code, code in hasil_codes)
        for pk, code in Question.objects.filter(
            version_id=filters.period.lke_version_id
        ).values_list("id", "code")
    }
    # One JSON object of {question id: value} per assessment and layer, decoded in one call,
    # rather than a million rows each with its own JSON value to decode.
    stream = (
        Answer.objects.filter(
            assessment__period=filters.period, layer__in=LAYERS, value__isnull=False
        )
        .values("assessment_id", "layer")
        .annotate(values=JSONObjectAgg("question_id", "value"))
        .values_list("assessment_id", "layer", "values")
        .order_by("assessment_id")
        .iterator(chunk_size=2000)
    )
    out: dict[int, dict[str, _LayerSummary]] = {}
    national: set[float] = set()
    for assessment_id, objects in itertools.groupby(stream, key=itemgetter(0)):
        values: dict[str, tuple[dict, dict]] = {layer: ({}, {}) for layer in LAYERS}
        for _pk, layer, answers in objects:
            split = values[layer]
            for question_id, value in answers.items():
                if value is not None:
                    code, hasil = places[question_id]
                    split[hasil][code] = value
        prior = selected.get(assessment_id)
        layers = {
            layer: _summary(scoring.score(instrument, *values[layer], prior_predicate=prior))
            for layer in LAYERS
            if values[layer][0] or values[layer][1]
        }
        best = layers.get(Layer.TPI) or layers.get(Layer.SELF)
        if best is not None:
            national.add(display(best.total))
        if assessment_id in selected:
            out[assessment_id] = layers
    return out, national


def _summary(result: ScoreResult) -> _LayerSummary:
    return _LayerSummary(
        total=result.total,
        answered=result.answered,
        eligible={name: p.eligible for name, p in result.predicates.items()},
        area_percents=tuple(area.percent for area in result.areas),
    )


def _groups() -> dict[int, tuple[str, str, int]]:
    """Every Kanwil and Eselon I unit: id -> (code, name, order). Fetching them all is one
    small query (a few dozen rows) and needs no list of ancestor ids."""
    units = Unit.objects.filter(kind__in=GROUP_KINDS).values_list("id", "code", "name", "kind")
    ordered = sorted(units, key=lambda u: (GROUP_KINDS.index(u[3]), u[1]))
    return {pk: (code, name, order) for order, (pk, code, name, _k) in enumerate(ordered, 1)}


def _group_of(path: str, groups: dict[int, tuple[str, str, int]]) -> tuple[str, str, int]:
    """The shallowest Kanwil/Eselon I on the unit's path (itself included), else Pusat."""
    for part in path.strip("/").split("/"):
        if part and int(part) in groups:
            return groups[int(part)]
    return "", _("Pusat"), 0


def _row(
    assessment: tuple, layers: dict[str, _LayerSummary], groups, item_count: int, bar=None
) -> Row:
    pk, _unit, status, target, code, name, kind, province, path, selection = assessment
    own, tpi = layers.get(Layer.SELF), layers.get(Layer.TPI)
    basis = Layer.TPI if tpi else (Layer.SELF if own else None)
    chosen = layers.get(basis) if basis else None
    group_code, group_name, group_order = _group_of(path, groups)
    stage = STAGE_OF[status]
    return Row(
        assessment_id=pk,
        unit_code=code,
        unit_name=name,
        kind=kind,
        kind_label=str(UnitKind(kind).label),
        province=province,
        group_code=group_code,
        group_name=group_name,
        group_order=group_order,
        stage=str(stage),
        stage_label=str(stage.label),
        status=status,
        status_label=str(Status(status).label),
        target_predicate=target,
        self_total=own.total if own else None,
        tpi_total=tpi.total if tpi else None,
        self_answered=own.answered if own else 0,
        item_count=item_count,
        basis=str(basis) if basis else None,
        wbk_eligible=chosen.eligible.get("WBK") if chosen else None,
        wbbm_eligible=chosen.eligible.get("WBBM") if chosen else None,
        area_percents=chosen.area_percents if chosen else (),
        path=path,
        selection_label=str(SelectionOutcome(selection).label) if selection else "",
        barred_until=bar.barred_until if bar else None,
    )


def _rank(rows: list[Row], national: set[float]) -> None:
    """Dense ranking, descending, among the displayed (2-decimal) best totals of the whole
    period: units that show the same score share a rank."""
    positions = {value: n for n, value in enumerate(sorted(national, reverse=True), 1)}
    for r in rows:
        best = r.best_total
        r.rank = None if best is None else positions[display(best)]


def areas_of(filters: ReadinessFilters) -> tuple[AreaSpec, ...]:
    return instrument_for(filters.period.lke_version).areas


def num(value: Decimal | None) -> float | None:
    """A score as written to a file: the engine's 2-decimal display value."""
    return None if value is None else float(display(value))


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Ya") if value else _("Tidak"))


def basis_label(basis: str | None) -> str:
    return {Layer.SELF: _("Mandiri"), Layer.TPI: _("TPI")}.get(basis, "")


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Summary:
    count: int
    stages: list[tuple[str, int, int]]  # label, units in the stage, units that reached it
    eligibility: list[tuple[str, int, int]]  # predicate, eligible at TPI, eligible at self only
    unscored: int
    groups: list[tuple[str, int, list[int], int, int, float | None]]  # name, n, per stage, …
    area_bins: list[tuple[int, str, list[int]]]  # area number, name, count per bin


def readiness_summary(rows: Sequence[Row], areas: Sequence[AreaSpec]) -> Summary:
    per_stage = dict.fromkeys(STAGE_ORDER, 0)
    for r in rows:
        per_stage[Stage(r.stage)] += 1
    counts = list(per_stage.values())
    stages = [(str(stage.label), counts[i], sum(counts[i:])) for i, stage in enumerate(STAGE_ORDER)]
    eligibility = [
        (
            predicate,
            sum(1 for r in rows if r.basis == Layer.TPI and getattr(r, attr)),
            sum(1 for r in rows if r.basis == Layer.SELF and getattr(r, attr)),
        )
        for predicate, attr in (("WBK", "wbk_eligible"), ("WBBM", "wbbm_eligible"))
    ]
    bins = [[0] * (len(BIN_EDGES) - 1) for _area in areas]
    for r in rows:
        for i, percent in enumerate(r.area_percents[: len(areas)]):
            bins[i][min(int(percent // 20), len(BIN_EDGES) - 2)] += 1
    return Summary(
        count=len(rows),
        stages=stages,
        eligibility=eligibility,
        unscored=sum(1 for r in rows if r.basis is None),
        groups=_group_summaries(rows),
        area_bins=[(a.number, a.name, bins[i]) for i, a in enumerate(areas)],
    )


def _group_summaries(rows: Sequence[Row]) -> list:
    out = []
    for (_order, name), members in grouped(rows):
        stages = [sum(1 for r in members if r.stage == stage) for stage in STAGE_ORDER]
        totals = [r.best_total for r in members if r.best_total is not None]
        mean = num(sum(totals, Decimal(0)) / len(totals)) if totals else None
        wbk = sum(1 for r in members if r.wbk_eligible)
        wbbm = sum(1 for r in members if r.wbbm_eligible)
        out.append((name, len(members), stages, wbk, wbbm, mean))
    return out


def grouped(rows: Sequence[Row]) -> list[tuple[tuple[int, str], list[Row]]]:
    """Rows per Kanwil/Eselon I group, Pusat first, each in the rows' (rank) order."""
    out: dict[tuple[int, str], list[Row]] = {}
    for r in rows:
        out.setdefault((r.group_order, r.group_name), []).append(r)
    return sorted(out.items(), key=lambda item: item[0][0])
