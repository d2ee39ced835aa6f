"""The prior predicate: the one rule that every page, check, report and export reads.

An award counts for an assessment only if it was granted before that assessment's period (an
earlier year), is not revoked, and was not produced by the assessment itself. So TPN granting WBK
this year never makes the same assessment "already WBK" for WBBM, and an award of a later year
never counts for an earlier period. Of the awards that count, the highest on the instrument's
predicate ladder (areas.scoring.Instrument.predicates, lowest first: WBK, WBBM) is the prior
predicate; holding a higher one also satisfies a rule that asks for a lower one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q

from assessments.assessment import Assessment
from assessments.stages.models import PredicateAward
from assessments.worksheet.scores import instrument_of


def _counting(unit_ids: Iterable[int], year: int) -> Q:
    return Q(unit_id__in=set(unit_ids), revoked_at__isnull=True, year__lt=year)


def highest(predicates: Iterable[str], ladder: Sequence[str]) -> str | None:
    """The highest of `predicates` on the ladder (unknown names rank below every rung)."""
    rank = {name: position for position, name in enumerate(ladder)}
    held = [p for p in predicates if p in rank]
    return max(held, key=rank.__getitem__, default=None)


def prior_predicates(assessments: Sequence[Assessment]) -> dict[int, str | None]:
    """Per assessment id, its prior predicate: one query whatever the number of assessments.
    The assessments may belong to different periods (each counts what came before its own)."""
    if not assessments:
        return {}
    condition = Q(pk__in=[])
    for year in {a.period.year for a in assessments}:
        units = [a.unit_id for a in assessments if a.period.year == year]
        condition |= _counting(units, year)
    awards = PredicateAward.objects.filter(condition).values_list(
        "unit_id", "year", "predicate", "assessment_id"
    )
    by_unit: dict[int, list[tuple[int, str, int | None]]] = {}
    for unit_id, year, predicate, source in awards:
        by_unit.setdefault(unit_id, []).append((year, predicate, source))
    ladder = instrument_of(assessments[0]).predicates
    return {
        a.pk: highest(
            (p for year, p, source in by_unit.get(a.unit_id, []) if year < a.period.year
             and source != a.pk),
            ladder,
        )
        for a in assessments
    }  # fmt: skip


def prior_predicate(assessment: Assessment) -> str | None:
    return prior_predicates([assessment])[assessment.pk]


def next_rung(held: str | None, ladder: Sequence[str]) -> str:
    """The predicate a unit aims for: the rung above the one it holds (the top one stays)."""
    if held not in ladder:
        return ladder[0]
    return ladder[min(ladder.index(held) + 1, len(ladder) - 1)]


def predicates_before(unit_ids: Iterable[int], year: int, ladder: Sequence[str]) -> dict:
    """Per unit id, the highest predicate counting for a period of `year` (opening a period:
    the units that already hold one aim for the next rung)."""
    out: dict[int, list[str]] = {}
    for unit_id, predicate in PredicateAward.objects.filter(_counting(unit_ids, year)).values_list(
        "unit_id", "predicate"
    ):
        out.setdefault(unit_id, []).append(predicate)
    return {unit_id: highest(held, ladder) for unit_id, held in out.items()}
