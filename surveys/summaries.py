"""The dashboard's survey figures for a period (national, or the reader's scope): per kind
(IKM, SPKP, SPAK) the units with a survey, the respondents, the mean IKM or index, the units
per IKM mutu, and the same per Kanwil/Eselon I. Two queries whatever the number of units: the
surveys, and one aggregate grouped by unit and instrument (the Kanwil/Eselon I units are the
dashboard's filter options, already read); the rest is the pure arithmetic of `surveys.ikm` and
`surveys.indices` per unit, its windows of the period (e.g. semester I and II) pooled as one
survey, as the LKE fill pools them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count
from django.utils.translation import gettext as _

from surveys import ikm
from surveys.models import InstrumentKind, SurveyResponse
from surveys.results import result_of, totals_by
from surveys.selectors import surveys_visible_to
from units.models import UnitKind

MUTU = ("A", "B", "C", "D")
PLACES = Decimal("1e-12")
GROUP_ORDER = (UnitKind.ESELON1, UnitKind.KANWIL)  # as the readiness report lists its groups


@dataclass
class _Unit:
    group: tuple[str, str, int]
    values: list[Fraction] = field(default_factory=list)  # IKM or index, per survey
    lke: list[Fraction] = field(default_factory=list)  # SPKP/SPAK on the LKE's 1-4
    respondents: int = 0


@dataclass(frozen=True)
class Figures:
    """One kind's figures over a set of units (the whole scope, or one group)."""

    units: int  # with a survey of the kind in the period
    respondents: int
    mean: Decimal | None  # mean over the units with responses of their IKM or index
    mean_lke: Decimal | None  # SPKP/SPAK: the same on the LKE's 1-4 scale
    mutu: list[tuple[str, int]]  # IKM: units per mutu of their IKM


@dataclass(frozen=True)
class GroupFigures:
    code: str
    name: str
    figures: Figures


@dataclass(frozen=True)
class KindSummary:
    kind: str
    label: str
    figures: Figures
    groups: list[GroupFigures]

    @property
    def is_ikm(self) -> bool:
        return self.kind == InstrumentKind.IKM


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _decimal_mean(values: list[Fraction]) -> Fraction | None:
    """The mean of many units' figures, each first taken to 12 decimals: exact fractions of
    thousands of units grow their denominators past use (the mean is shown to 2 decimals)."""
    if not values:
        return None
    total = sum((Decimal(v.numerator) / Decimal(v.denominator)).quantize(PLACES) for v in values)
    return Fraction(total) / len(values)


def _figures(kind: str, units: list[_Unit]) -> Figures:
    scored = [u for u in units if u.values]
    means = [_mean(u.values) for u in scored]  # each unit's own figure: exact, as published
    mutu = dict.fromkeys(MUTU, 0)
    if kind == InstrumentKind.IKM:
        for value in means:
            mutu[ikm.band(ikm.round_half_up(value, 2))[0]] += 1
    mean = _decimal_mean(means)
    mean_lke = _decimal_mean([_mean(u.lke) for u in scored if u.lke])
    return Figures(
        units=len(units),
        respondents=sum(u.respondents for u in units),
        mean=None if mean is None else ikm.round_half_up(mean, 2),
        mean_lke=None if mean_lke is None else ikm.round_half_up(mean_lke, 2),
        mutu=list(mutu.items()) if kind == InstrumentKind.IKM else [],
    )


def _groups(units) -> dict[int, tuple[str, str, int]]:
    """id -> (code, name, order) of the Kanwil/Eselon I units (the dashboard's group options:
    those of the reader's scope, already read), ordered as reports.readiness orders them."""
    ordered = sorted(
        (u for u in units if u.kind in GROUP_ORDER),
        key=lambda u: (GROUP_ORDER.index(u.kind), u.code),
    )
    return {u.pk: (u.code, u.name, order) for order, u in enumerate(ordered, 1)}


def _group_of(path: str, groups: dict[int, tuple[str, str, int]]) -> tuple[str, str, int]:
    """The shallowest Kanwil/Eselon I on the unit's path (itself included), else Pusat."""
    for part in path.strip("/").split("/"):
        if part and int(part) in groups:
            return groups[int(part)]
    return "", _("Pusat"), 0


def survey_summaries(user, filters, group_units) -> list[KindSummary]:
    """The figures of the dashboard's period and filters, within the user's scope;
    `group_units` are the Kanwil/Eselon I units of that scope (the dashboard's options)."""
    if filters.period is None:
        return []
    scope = surveys_visible_to(user).filter(filters.q(), period=filters.period)
    # Plain values, not model instances: thousands of surveys on a national dashboard.
    surveys = scope.annotate(question_count=Count("instrument__questions")).values_list(
        "unit_id", "unit__path", "instrument_id", "instrument__kind", "instrument__scale_max",
        "question_count",
    )  # fmt: skip
    # A unit's windows of the period (semester I and II) are pooled, as the LKE fill pools
    # them (surveys.lke): one aggregate row per unit and instrument version.
    responses = SurveyResponse.objects.filter(survey__in=scope.values("pk"))
    rows = {
        (row["survey__unit_id"], row["survey__instrument_id"]): row
        for row in totals_by(responses, "survey__unit_id", "survey__instrument_id")
    }
    groups = _groups(group_units)
    units: dict[str, dict[int, _Unit]] = defaultdict(dict)
    counted = set()
    for unit_id, path, instrument_id, kind, scale_max, question_count in surveys:
        unit = units[kind].setdefault(unit_id, _Unit(_group_of(path, groups)))
        row = rows.get((unit_id, instrument_id))
        if row is None or (unit_id, instrument_id) in counted:
            continue
        counted.add((unit_id, instrument_id))
        result = result_of(kind, scale_max, row, question_count)
        unit.respondents += result.respondents
        if kind == InstrumentKind.IKM:
            if result.ikm_exact is not None:
                unit.values.append(result.ikm_exact)
        elif result.index is not None:
            unit.values.append(result.index)
            unit.lke.append(result.lke_value)
    out = []
    for kind, label in InstrumentKind.choices:
        members = list(units[kind].values())
        by_group: dict[tuple[str, str, int], list[_Unit]] = defaultdict(list)
        for unit in members:
            by_group[unit.group].append(unit)
        group_rows = [
            GroupFigures(code, name, _figures(kind, by_group[(code, name, order)]))
            for code, name, order in sorted(by_group, key=lambda g: (g[2], g[1]))
        ]
        out.append(KindSummary(kind, str(label), _figures(kind, members), group_rows))
    return out
