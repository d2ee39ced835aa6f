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
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q

from areas.models import Predicate
from assessments.assessment import Assessment
from assessments.stages.models import PredicateAward
from assessments.worksheet.scores import instrument_of
from units.models import UnitKind


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


def revocation_bars(unit_ids: Iterable[int], day) -> dict[int, PredicateAward]:
    """Per unit, the revoked award whose bar on proposals still runs on `day` (the latest
    ending one): one query whatever the number of units."""
    bars: dict[int, PredicateAward] = {}
    for award in PredicateAward.objects.filter(
        unit_id__in=set(unit_ids), revoked_at__isnull=False, barred_until__gte=day
    ).order_by("barred_until"):
        bars[award.unit_id] = award
    return bars


def revocation_bar(unit_id: int, day) -> PredicateAward | None:
    return revocation_bars([unit_id], day).get(unit_id)


# --------------------------------------------------------------------------- public list


@dataclass(frozen=True)
class PublicAwardFilters:
    """The public list's filters, each bounded to a known value (anything else is ignored)."""

    year: int | None = None
    predicate: str = ""
    province: str = ""
    kind: str = ""

    CSV_HEADER = (
        "tahun", "kode_unit", "nama_unit", "jenis", "provinsi", "predikat", "nomor_sk",
        "tanggal_sk", "dicabut",
    )  # fmt: skip

    @classmethod
    def from_query(cls, query) -> PublicAwardFilters:
        year = str(query.get("year", "")).strip()
        predicate = str(query.get("predicate", "")).strip().upper()
        kind = str(query.get("kind", "")).strip()
        return cls(
            year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
            predicate=predicate if predicate in Predicate.values else "",
            province=str(query.get("province", "")).strip()[:64],
            kind=kind if kind in UnitKind.values else "",
        )

    def query_string(self) -> str:
        return urlencode(
            {
                key: value
                for key, value in (
                    ("year", self.year or ""),
                    ("predicate", self.predicate),
                    ("province", self.province),
                    ("kind", self.kind),
                )
                if value
            }  # fmt: skip
        )

    def choices(self) -> dict:
        """The filter menus: the years and provinces that have awards, every kind."""
        awarded = PredicateAward.objects.all()
        return {
            "years": list(awarded.order_by("-year").values_list("year", flat=True).distinct()),
            "provinces": list(
                awarded.exclude(unit__province="")
                .order_by("unit__province")
                .values_list("unit__province", flat=True)
                .distinct()
            ),  # fmt: skip
            "predicates": Predicate.values,
            "kinds": UnitKind.choices,
        }


def public_awards(filters: PublicAwardFilters):
    """Awards as published: year, unit, predicate, SK, and the date of a revocation."""
    qs = PredicateAward.objects.select_related("unit").only(
        "year", "predicate", "sk_number", "sk_date", "revoked_on", "revoked_at",
        "unit__code", "unit__name", "unit__kind", "unit__province",
    )  # fmt: skip
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.predicate:
        qs = qs.filter(predicate=filters.predicate)
    if filters.province:
        qs = qs.filter(unit__province=filters.province)
    if filters.kind:
        qs = qs.filter(unit__kind=filters.kind)
    return qs.order_by("-year", "unit__province", "unit__name", "pk")
