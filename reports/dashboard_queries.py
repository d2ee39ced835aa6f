"""The dashboard's aggregate queries: assessments per status, answer sums per layer and area,
predicates granted per year and the units at risk, each a constant number of queries."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from areas.models import Indicator
from assessments.assessment import FINAL_STATUSES, STAGE_OF, Stage, Status
from assessments.models import Assessment, Layer, LayerTally, PredicateAward
from assessments.worksheet import tally
from reports.dashboard_filters import DashboardFilters
from units import permissions as unit_permissions

ZERO = Decimal(0)

RISK_WINDOW_DAYS = 14  # a stage deadline this close (or passed) puts a unit on the watch list


RISK_PROGRESS = Decimal("0.8")  # ...when, before submission, less of its LKE is filled in


RISK_LIMIT = 20


# The unit still has to fill in (or fix) its LKE: progress matters only in these statuses.
BEFORE_SUBMISSION = (
    Status.PENCANANGAN, Status.PEMBANGUNAN, Status.RETURNED_PRELIMINARY, Status.RETURNED_TPI,
)  # fmt: skip


STATUSES_OF_STAGE = {
    stage: [status for status, of in STAGE_OF.items() if of == stage] for stage in Stage
}


@dataclass(frozen=True)
class RiskRow:
    assessment: Assessment
    deadline: datetime.date
    days_left: int
    answered: int
    items: int

    @property
    def progress(self) -> int:
        return math.floor(self.answered * 100 / self.items) if self.items else 0


@dataclass(frozen=True, slots=True)
class IndicatorWeight:
    """An indicator as the dashboard weighs it: its area, weight and number of questions."""

    id: int
    version_id: int
    area: int | None  # None: a Hasil item
    weight: Decimal
    questions: int


def assessment_counts(base: QuerySet[Assessment]) -> list[dict]:
    """Per (period, status): assessments (1 query)."""
    return list(base.order_by().values("period_id", "status").annotate(n=Count("pk")))


def indicators(version_ids: set[int]) -> list[IndicatorWeight]:
    rows = (
        Indicator.objects.filter(version_id__in=version_ids)
        .order_by()
        .values("id", "version_id", "area__number", "weight")
        .annotate(questions=Count("questions"))
    )
    return [
        IndicatorWeight(r["id"], r["version_id"], r["area__number"], r["weight"], r["questions"])
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class PartSum:
    points: Decimal  # Σ over the assessments of the part's points
    answered: int  # Σ answered items
    assessments: int  # assessments with at least one item of the part answered


def answer_sums(base: QuerySet[Assessment]) -> dict[tuple[int, str, int], PartSum]:
    """(period, layer, part) → its sums over `base`, from the tally kept with the answers
    (assessments.worksheet.tally: part = area number, 0 = Hasil, 99 = the whole layer; eight
    rows per assessment and layer instead of 113 answers; 1 query)."""
    # From the assessments' side: their filters apply to the one join with the tally.
    rows = (
        base.order_by()
        .filter(tallies__isnull=False)
        .values("period_id", "tallies__layer", "tallies__part")
        .annotate(
            assessments=Count("pk", filter=Q(tallies__answered__gt=0)),
            points_sum=Sum("tallies__points"),
            answered_sum=Sum("tallies__answered"),
        )
    )
    return {
        (r["period_id"], r["tallies__layer"], r["tallies__part"]): PartSum(
            Decimal(r["points_sum"] or ZERO), r["answered_sum"] or 0, r["assessments"]
        )
        for r in rows
    }


def granted_per_year(user, filters: DashboardFilters) -> dict[int, int]:
    rows = (
        PredicateAward.objects.filter(unit_permissions.scope_filter(user, "unit__"), filters.q())
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {r["year"]: r["n"] for r in rows}


def at_risk(
    period_qs: QuerySet[Assessment], items: int, today: datetime.date
) -> tuple[list[RiskRow], bool]:
    """Open-period assessments, not final, whose stage deadline is near or passed and which,
    before submission, have less than RISK_PROGRESS of their LKE answered (1 query)."""
    deadline = Case(
        *[
            When(status__in=statuses, then=F(f"period__deadline_{stage}"))
            for stage, statuses in STATUSES_OF_STAGE.items()
        ],
        output_field=DateField(),
    )
    # A correlated probe rather than a join: the unit's layer's whole-layer tally row, read
    # only for the rows that reach it (statuses before submission).
    answered = Coalesce(
        Subquery(
            LayerTally.objects.filter(
                assessment=OuterRef("pk"), layer=Layer.SELF, part=tally.WHOLE
            ).values("answered")[:1]
        ),
        0,
    )
    low = math.ceil(items * RISK_PROGRESS)  # answered below this is under the threshold
    rows = list(
        period_qs.filter(period__is_open=True)
        .exclude(status__in=FINAL_STATUSES)
        .annotate(stage_deadline=deadline)
        .filter(stage_deadline__lte=today + datetime.timedelta(days=RISK_WINDOW_DAYS))
        .annotate(answered=answered)
        .filter(~Q(status__in=BEFORE_SUBMISSION) | Q(answered__lt=low))
        .order_by("stage_deadline", "unit__path")[: RISK_LIMIT + 1]
    )
    risk = [
        RiskRow(a, a.stage_deadline, (a.stage_deadline - today).days, a.answered, items)
        for a in rows[:RISK_LIMIT]
    ]
    return risk, len(rows) > RISK_LIMIT
