"""Evidence completeness (kelengkapan data dukung) of many assessments at once: the share of the
instrument's evidence dictionary entries that accepted files cover, per assessment and per area.

The rule is assessments.evidence.coverage's (accepted, not removed, linked to the entry, dated
inside the period's year when the entry asks for it, at least `min_count` of them), counted in
two queries whatever the number of assessments: the version's entries, and the accepted files
grouped by (assessment, entry). Read fresh on every request, like the rest of the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from areas.models import EvidenceRequirement
from assessments.assessment import EvidenceKind
from assessments.evidence.models import Evidence, EvidenceVerdict
from assessments.worksheet.tally import HASIL  # the part of the Hasil items, as the tally has it


@dataclass(frozen=True, slots=True)
class Completeness:
    covered: int
    required: int

    @property
    def percent(self) -> Decimal | None:
        """None when nothing is required."""
        if not self.required:
            return None
        return Decimal(self.covered * 100) / Decimal(self.required)


@dataclass(frozen=True)
class Figures:
    by_assessment: dict[int, Completeness]
    by_area: dict[int, Completeness]  # area number (HASIL for the Hasil items) over all
    entries_by_area: dict[int, int]


def _entries(version_id: int) -> dict[int, tuple[int, int]]:
    """Entry id → (area number or HASIL, min_count) of a version (1 query)."""
    rows = EvidenceRequirement.objects.filter(question__version_id=version_id).values_list(
        "pk", "question__indicator__area__number", "min_count"
    )
    return {pk: (area or HASIL, need) for pk, area, need in rows}


def _accepted(assessments: QuerySet, year: int):
    """(assessment, entry, accepted files) for the entries of `assessments` (1 query)."""
    outside = Q(requirement__must_be_in_period=True, document_date__isnull=False) & ~Q(
        document_date__year=year
    )
    return (
        Evidence.objects.filter(
            assessment__in=assessments.order_by().values("pk"),
            kind=EvidenceKind.ANSWER,
            removed_at__isnull=True,
            verdict=EvidenceVerdict.COMPLETE,
            requirement__isnull=False,
        )
        .exclude(outside)
        .order_by()
        .values_list("assessment_id", "requirement_id")
        .annotate(n=Count("pk"))
    )


def completeness(assessments: QuerySet, period, assessment_ids: list[int]) -> Figures:
    """Completeness of `assessment_ids` (the rows of `assessments`, all of `period`)."""
    entries = _entries(period.lke_version_id)
    per_area: dict[int, int] = defaultdict(int)
    for area, _need in entries.values():
        per_area[area] += 1
    covered_by: dict[int, int] = defaultdict(int)
    covered_area: dict[int, int] = defaultdict(int)
    for assessment_id, entry_id, n in _accepted(assessments, period.year):
        entry = entries.get(entry_id)
        if entry is not None and n >= entry[1]:
            covered_by[assessment_id] += 1
            covered_area[entry[0]] += 1
    total, count = len(entries), len(assessment_ids)
    return Figures(
        by_assessment={pk: Completeness(covered_by[pk], total) for pk in assessment_ids},
        by_area={area: Completeness(covered_area[area], n * count) for area, n in per_area.items()},
        entries_by_area=dict(per_area),
    )
